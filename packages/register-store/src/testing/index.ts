/**
 * `@intake/register-store/testing`: builders of parsed messages and a
 * migrated throw-away register for tests (this package's, other packages',
 * the integration tests'). Not reachable from the package's main entry.
 */
export * from './factories.js';
export * from './test-db.js';
