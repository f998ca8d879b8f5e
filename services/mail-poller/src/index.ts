export * from './mail-poller.js';
export * from './ingest-message.js';
export * from './mailbox-action.js';
export * from './sync-strategy.js';
export * from './message-id.js';
export * from './fetch-plan.js';
