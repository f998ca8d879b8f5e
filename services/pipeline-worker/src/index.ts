export * from './pipeline-workers.js';
export * from './worker-context.js';
export * from './error-policy.js';
export { PARSER_VERSION } from './jobs/process-message.handler.js';
