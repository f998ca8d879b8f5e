import { openDb, type Db } from '../db.js';
import { migrate } from '../migrate.js';
import { openIsolatedSchema } from '../isolated-schema.js';

/**
 * A migrated, empty register for one test: in-memory PGlite, or a fresh
 * schema on a real PostgreSQL (so parallel runs and leftovers never meet).
 * Used by this package's tests and the project's integration tests.
 */
export interface TestDb {
  db: Db;
  /** empties the register's tables (between tests sharing one database) */
  reset(): Promise<void>;
  /** drops the schema (PostgreSQL) and closes every connection */
  cleanup(): Promise<void>;
}

const REGISTER_TABLES = [
  'corrections',
  'application_aliases',
  'sender_addresses',
  'application_projects',
  'audit_log',
  'projects',
  'attachments',
  'messages',
  'applications',
  'receipt_counters',
];

async function resetRegister(db: Db): Promise<void> {
  await db.exec(`truncate ${[...REGISTER_TABLES, 'acks'].join(', ')} restart identity cascade`);
}

export type TestEngine = 'pglite' | 'postgres';

export async function openTestDb(
  engine: TestEngine,
  opts: { databaseUrl?: string; poolSize?: number } = {},
): Promise<TestDb> {
  if (engine === 'pglite') {
    const db = await openDb({ memory: true });
    await migrate(db);
    return { db, reset: () => resetRegister(db), cleanup: () => db.close() };
  }
  if (!opts.databaseUrl) throw new Error('openTestDb(postgres) needs databaseUrl');
  const iso = await openIsolatedSchema(opts.databaseUrl, { prefix: 't', poolSize: opts.poolSize ?? 5 });
  return { db: iso.db, reset: () => resetRegister(iso.db), cleanup: () => iso.drop() };
}
