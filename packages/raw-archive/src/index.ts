export * from './raw-store.js';
