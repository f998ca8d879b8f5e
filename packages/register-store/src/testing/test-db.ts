import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../db.js';
import { migrate } from '../migrate.js';

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

const REGISTER_TABLES = ['audit_log', 'projects', 'attachments', 'messages', 'applications', 'receipt_counters'];

async function resetRegister(db: Db): Promise<void> {
  const present = await db.query<{ t: string | null }>(`select to_regclass('acks')::text as t`);
  const tables = present[0]?.t ? [...REGISTER_TABLES, 'acks'] : REGISTER_TABLES;
  await db.exec(`truncate ${tables.join(', ')} restart identity cascade`);
}

export type TestEngine = 'pglite' | 'postgres';

export async function openTestDb(engine: TestEngine, opts: { databaseUrl?: string; poolSize?: number } = {}): Promise<TestDb> {
  if (engine === 'pglite') {
    const db = await openDb({ memory: true });
    await migrate(db);
    return { db, reset: () => resetRegister(db), cleanup: () => db.close() };
  }
  if (!opts.databaseUrl) throw new Error('openTestDb(postgres) needs databaseUrl');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openDb({ databaseUrl: opts.databaseUrl, poolSize: 1 });
  await admin.exec(`create schema ${schema}`);
  const db = await openDb({ databaseUrl: withSearchPath(opts.databaseUrl, schema), poolSize: opts.poolSize ?? 5 });
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    await admin.exec(`drop schema ${schema} cascade`);
    await admin.close();
    throw err;
  }
  return {
    db,
    reset: () => resetRegister(db),
    async cleanup() {
      await db.close();
      await admin.exec(`drop schema if exists ${schema} cascade`);
      await admin.close();
    },
  };
}

/** libpq `options`: every pooled connection starts with this search_path. */
export function withSearchPath(databaseUrl: string, schema: string): string {
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
