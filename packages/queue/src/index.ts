export * from './job-catalog.js';
export * from './connection.js';
export * from './queues.js';
export * from './retry-curves.js';
