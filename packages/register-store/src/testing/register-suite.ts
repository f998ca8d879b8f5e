import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openTestDb, type TestDb, type TestEngine } from './test-db.js';

/**
 * The hooks every register test file repeated: one migrated register per engine
 * for the whole `describe`, emptied before each test, dropped after. Kept out of
 * `./testing`'s index, which the demo loads outside vitest.
 */

// eslint-disable-next-line no-restricted-properties -- the test set-up's servers (test/helpers/global-setup.ts) publish it here
const DATABASE_URL = process.env.TEST_DATABASE_URL;

/** PGlite always; the real PostgreSQL too when the test servers are up. */
export const TEST_ENGINES: readonly TestEngine[] = DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * Registers the hooks in the calling `describe`; `t.db` is valid inside its tests.
 * `reset` replaces the emptying of the register's tables (a suite on other tables).
 */
export function useTestDb(
  engine: TestEngine,
  opts: { poolSize?: number; reset?: (db: TestDb['db']) => Promise<void> } = {},
): TestDb {
  let current: TestDb | undefined;
  const open = (): TestDb => {
    if (!current) throw new Error('the test register is opened in beforeAll: use it inside a test');
    return current;
  };
  beforeAll(async () => {
    current = await openTestDb(engine, {
      ...(DATABASE_URL ? { databaseUrl: DATABASE_URL } : {}),
      ...(opts.poolSize === undefined ? {} : { poolSize: opts.poolSize }),
    });
  }, 120_000);
  afterAll(async () => {
    await current?.cleanup();
  }, 60_000);
  beforeEach(async () => {
    await (opts.reset ? opts.reset(open().db) : open().reset());
  });
  return {
    get db() {
      return open().db;
    },
    reset: () => open().reset(),
    cleanup: () => open().cleanup(),
  };
}
