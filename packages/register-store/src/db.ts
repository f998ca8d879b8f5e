import fs from 'node:fs';
import path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { isStalePreparedPlan, StatementNames } from './statement-names.js';

export type Row = Record<string, unknown>;

/** The one query surface every store module uses; the same SQL runs on PGlite and PostgreSQL 15. */
export interface Queryable {
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** run `fn` in one transaction; rolls back when it throws */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** run several statements (migrations); no parameters */
  exec(sql: string): Promise<void>;
  /** safe to call twice */
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres://… ; unset means the embedded PGlite under `dataDir` */
  databaseUrl?: string | null;
  /** where PGlite keeps its files (DATA_DIR/register); ignored with databaseUrl */
  dataDir?: string;
  /** in-memory PGlite, for unit tests */
  memory?: boolean;
  /** pool size for PostgreSQL @defaultValue 5 */
  poolSize?: number;
  /** where a connection lost between queries is reported (PostgreSQL); @defaultValue not reported */
  logger?: { warn: (obj: object, msg: string) => void };
}

/**
 * Values come back the same from both engines: int8/numeric as number (our
 * counts and 万元 sums stay far below 2^53), bytea as Buffer, timestamptz as Date.
 */
export function toBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError('expected bytea');
}

const INT8 = 20;
const NUMERIC = 1700;

async function openPglite(opts: OpenDbOptions): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  let dir: string | undefined;
  if (!opts.memory) {
    dir = path.resolve(opts.dataDir ?? './data/register');
    fs.mkdirSync(dir, { recursive: true });
  }
  const pg = await PGlite.create(dir, {
    parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v) },
  });
  let closed = false;
  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      return (await pg.query<T>(sql, params)).rows;
    },
    async tx<T>(fn: (q: Queryable) => Promise<T>) {
      return pg.transaction(async (t) =>
        fn({ query: async <R>(s: string, p?: unknown[]) => (await t.query<R>(s, p)).rows }),
      );
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pg.close();
    },
  };
}

async function openPostgres(opts: OpenDbOptions & { databaseUrl: string }): Promise<Db> {
  const pgMod = await import('pg');
  const pgLib = pgMod.default;
  const types = {
    getTypeParser: (oid: number, format?: string): ((v: string) => unknown) => {
      if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
      // pg keys its parsers by a TypeId enum, but oids arrive from the wire as plain numbers
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
      return pgLib.types.getTypeParser(oid, format as 'text') as (v: string) => unknown;
    },
  };
  const pool = new pgLib.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 5, types });
  // An idle client that loses its server (restart) emits 'error' on the pool;
  // unhandled, that kills the process. Queries in flight fail and are retried by the job.
  pool.on('error', (err) => opts.logger?.warn({ code: 'db.idle-client-error', err }, 'idle database connection lost'));
  const names = new StatementNames();
  /** a query on the pool or a checked-out client, prepared once per connection when its text recurs */
  const run = async <T>(on: Pool | PoolClient, sql: string, params: unknown[] | undefined, inTx: boolean) => {
    const name = params && params.length > 0 ? names.nameFor(sql) : null;
    if (name === null) return (await on.query(sql, params)).rows as T[];
    try {
      return (await on.query({ name, text: sql, values: params })).rows as T[];
    } catch (err) {
      if (!isStalePreparedPlan(err)) throw err;
      names.refuse(sql);
      // in a transaction the error has aborted it: the caller's retry (a job's next attempt) runs it unnamed
      if (inTx) throw err;
      return (await on.query(sql, params)).rows as T[];
    }
  };
  let closed = false;
  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      return run<T>(pool, sql, params, false);
    },
    async tx<T>(fn: (q: Queryable) => Promise<T>) {
      const client = await pool.connect();
      // A server restart while the client is checked out emits 'error' on the
      // client itself (not the pool); unhandled, it would kill the process. The
      // query in flight fails on its own and the job retries.
      const state: { broken: Error | null } = { broken: null };
      const onError = (err: Error) => {
        state.broken = err;
      };
      client.on('error', onError);
      try {
        await client.query('begin');
        const out = await fn({
          query: async <R>(s: string, p?: unknown[]) => run<R>(client, s, p, true),
        });
        await client.query('commit');
        return out;
      } catch (err) {
        // the transaction's own error is the one to report; a rollback that fails means the
        // connection is gone, and the server discards the transaction with it
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', onError);
        // a broken connection is destroyed, not returned to the pool
        client.release(state.broken ?? undefined);
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

export async function openDb(opts: OpenDbOptions): Promise<Db> {
  return opts.databaseUrl ? openPostgres({ ...opts, databaseUrl: opts.databaseUrl }) : openPglite(opts);
}
