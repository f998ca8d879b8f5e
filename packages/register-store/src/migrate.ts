import type { Db } from './db.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

/** An arbitrary constant: every process that migrates takes the same advisory lock. */
const MIGRATION_LOCK_KEY = 7_302_020;

/**
 * Apply pending migrations in order, once, even when several processes start
 * together (poller, workers, dashboard): they serialise on an advisory lock.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.tx(async (q) => {
    await q.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await q.query(`create table if not exists schema_migrations (
      id integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await q.query<{ id: number }>('select id from schema_migrations')).map((r) => r.id));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(m.id)) continue;
      for (const stmt of splitStatements(m.sql)) await q.query(stmt);
      await q.query('insert into schema_migrations (id, name) values ($1, $2)', [m.id, m.name]);
      applied.push(m.id);
    }
    return applied;
  });
}

/** Migrations are plain DDL without functions or quoted semicolons, so ";\n" splits them. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !/^(--[^\n]*\n?)+$/.test(s));
}
