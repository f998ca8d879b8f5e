import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openDb, type Db } from '@intake/register-store';

/**
 * A fresh schema in the test PostgreSQL per test (search_path in the URL), so
 * tests and repeated runs never see each other's rows; dropped on cleanup.
 */
export async function createIsolatedDb(baseUrl = process.env.TEST_DATABASE_URL): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set: the integration global setup starts PostgreSQL and sets it');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const url = u.toString();
  const db = await openDb({ databaseUrl: url });
  await migrate(db);
  return {
    db, url,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
