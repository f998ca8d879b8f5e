import { randomBytes } from 'node:crypto';
import { openDb, type Db } from './db.js';
import { migrate } from './migrate.js';

/**
 * A fresh, migrated schema in a PostgreSQL database, reached through
 * search_path in the connection URL: tests and benchmark runs share one
 * server without seeing each other's rows. `drop()` removes it.
 */
export async function openIsolatedSchema(
  baseUrl: string,
  opts: { prefix?: string; poolSize?: number } = {},
): Promise<{ db: Db; url: string; schema: string; drop(): Promise<void> }> {
  const schema = `${opts.prefix ?? 't'}_${randomBytes(6).toString('hex')}`;
  const admin = await openDb({ databaseUrl: baseUrl, poolSize: 1 });
  try {
    await admin.exec(`create schema ${schema}`);
  } finally {
    await admin.close();
  }
  const u = new URL(baseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const url = u.toString();
  const db = await openDb({ databaseUrl: url, ...(opts.poolSize ? { poolSize: opts.poolSize } : {}) });
  await migrate(db);
  let dropped = false;
  return {
    db,
    url,
    schema,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.close();
      const c = await openDb({ databaseUrl: baseUrl, poolSize: 1 });
      try {
        await c.exec(`drop schema if exists ${schema} cascade`);
      } finally {
        await c.close();
      }
    },
  };
}
