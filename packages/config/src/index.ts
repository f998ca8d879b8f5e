export * from './env-schema.js';
export * from './load-env.js';
export * from './imap-url.js';
