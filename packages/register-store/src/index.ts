export * from './db.js';
export * from './migrate.js';
export * from './migrations/index.js';
export * from './ledger-store.js';
