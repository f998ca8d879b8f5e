import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { createRedis, QUEUES } from '@intake/queue';
import { openIsolatedSchema, type Db } from '@intake/register-store';
import { progress } from './progress.js';

/** A name no other run uses: lower-case letters, digits and dashes (mailbox, address, prefix). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Everything the bench creates, undone in reverse order at the end (also after a failure). */
export class Cleanup {
  private readonly steps: Array<{ what: string; fn: () => Promise<void> | void }> = [];

  add(what: string, fn: () => Promise<void> | void): void {
    this.steps.push({ what, fn });
  }

  async runAll(): Promise<string[]> {
    const failures: string[] = [];
    while (this.steps.length) {
      const s = this.steps.pop()!;
      try {
        await s.fn();
      } catch (err) {
        failures.push(`${s.what}: ${(err as Error).message}`);
        progress(`cleanup of ${s.what} failed: ${(err as Error).message}`);
      }
    }
    return failures;
  }
}

export function makeTempDir(cleanup: Cleanup, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `intake-bench-${prefix}-`));
  cleanup.add(`temp dir ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface IsolatedDb {
  db: Db;
  url: string;
  schema: string;
}

/** A fresh, migrated schema in the test PostgreSQL (search_path in the URL); dropped by `cleanup`. */
export async function createIsolatedDb(baseUrl: string, cleanup: Cleanup, poolSize?: number): Promise<IsolatedDb> {
  const iso = await openIsolatedSchema(baseUrl, { prefix: 'bench', ...(poolSize ? { poolSize } : {}) });
  cleanup.add(`schema ${iso.schema}`, () => iso.drop());
  return { db: iso.db, url: iso.url, schema: iso.schema };
}

/** A unique BullMQ prefix whose queues are obliterated by `cleanup`. */
export function createQueuePrefix(redisUrl: string, cleanup: Cleanup): string {
  const prefix = uniqueName('bench').replace(/[^A-Za-z0-9_-]/g, '');
  cleanup.add(`queues ${prefix}`, async () => {
    const conn = createRedis(redisUrl, 'worker');
    conn.on('error', () => undefined);
    try {
      for (const name of Object.values(QUEUES)) {
        const q = new Queue(name, { connection: conn, prefix });
        await q.obliterate({ force: true });
        await q.close();
      }
    } finally {
      conn.disconnect();
    }
  });
  return prefix;
}

export async function countRows(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await db.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}
