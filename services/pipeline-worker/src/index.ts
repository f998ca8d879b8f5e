export * from './pipeline-workers.js';
export * from './worker-context.js';
export * from './error-policy.js';
export { PARSER_VERSION, processArchivedMessage } from './jobs/process-message.handler.js';
export { createMessageParser, type MessageParser } from './message-parser.js';
export * from './staff-actions.js';
export { createRegisterOcrCache } from './register-ocr-cache.js';
export { hasPendingOcr, replyDelayMs } from './reply-wait.js';
export type { WorkerOcr } from './worker-context.js';
