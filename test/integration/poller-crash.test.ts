// Guards issue 2: kill -9 of the poller at random points (between archiving,
// recording, enqueueing and checkpointing) never loses or doubles a message,
// and SIGTERM finishes the message in hand and exits cleanly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, QUEUES } from '@intake/queue';
import { createRawStore, sha256Of } from '@intake/raw-archive';
import { listLedger, type Db } from '@intake/register-store';
import { appendMessage } from '../helpers/mailbox.js';
import { createIsolatedDb } from '../helpers/isolated-db.js';
import { spawnIntake } from '../helpers/cli-process.js';
import { makeMail } from '../helpers/poller-harness.js';
import { archivedMessages, rawArchiveFiles } from '../helpers/raw-segments.js';
import { uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';

let isolated: Awaited<ReturnType<typeof createIsolatedDb>>;
let db: Db;
let dataDir: string;
beforeAll(async () => {
  isolated = await createIsolatedDb();
  db = isolated.db;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-crash-'));
});
afterAll(async () => {
  await isolated.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('poller killed with SIGKILL at random points', () => {
  it('ends with every message exactly once in archive, ledger and queue', async () => {
    const user = uniqueName('crash') + '@desk.test';
    const prefix = uniqueName('q').replace(/[^A-Za-z0-9_-]/g, '');
    const tag = uniqueName('k');
    const pass = encodeURIComponent(process.env.TEST_MAIL_PASSWORD ?? '');
    const env = {
      IMAP_URL: `imap://${encodeURIComponent(user)}:${pass}@${process.env.TEST_IMAP_HOST}:${process.env.TEST_IMAP_PORT}/INBOX`,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:26379',
      DATABASE_URL: isolated.url,
      DATA_DIR: dataDir,
      QUEUE_PREFIX: prefix,
    };
    let total = 0;
    const appendMore = async (n: number) => {
      for (let i = 0; i < n; i++, total++)
        await appendMessage({
          user,
          raw: makeMail(total, tag),
          internalDate: new Date(Date.parse('2020-05-15T08:00:00Z') + total * 1000),
        });
    };
    await appendMore(80);
    const ledgerCount = async () => (await listLedger(db, { mailbox: 'INBOX' })).length;
    // seeded, so a failure can be replayed: the kill thresholds are printed on failure
    let seed = Number(process.env.TEST_SEED ?? Date.now() % 100_000);
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const kills: number[] = [];
    for (let round = 0; round < 5; round++) {
      const p = spawnIntake(['poller'], env, path.join(dataDir, `poller-${round}.log`));
      const before = await ledgerCount();
      const target = Math.min(total, before + 1 + Math.floor(rand() * 15));
      kills.push(target);
      await waitFor(async () => (await ledgerCount()) >= target || p.child.exitCode !== null, {
        timeoutMs: 60_000,
        intervalMs: 5,
        message: `round ${round}: ledger reaches ${target}`,
      });
      p.kill('SIGKILL');
      await p.exited;
      await appendMore(5);
    }
    const last = spawnIntake(['poller'], env, path.join(dataDir, 'poller-final.log'));
    await waitFor(async () => (await ledgerCount()) === total, {
      timeoutMs: 90_000,
      intervalMs: 100,
      message: `ledger reaches ${total} (kills at ${kills.join(',')}, seed ${seed})`,
    });
    last.kill('SIGTERM');
    const exit = await last.exited;
    expect(exit.code).toBe(0);

    const rows = await listLedger(db, { mailbox: 'INBOX' });
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.uid)).size).toBe(total);
    expect(new Set(rows.map((r) => r.sha256)).size).toBe(total);
    expect(rows.filter((r) => r.status !== 'queued').map((r) => `${r.uid}:${r.status}`)).toEqual([]);
    const conn = createRedis(env.REDIS_URL, 'worker');
    const q = new Queue(QUEUES.process, { connection: conn, prefix });
    try {
      const jobs = await q.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
      expect(jobs).toHaveLength(total);
      expect(new Set(jobs.map((j) => (j.data as { sha256: string }).sha256)).size).toBe(total);
      // every message is in a segment (a batch killed after its rename but before its index row
      // is fetched and written again by the next poller: the set, not the count, is what matters)
      expect(new Set(archivedMessages(dataDir).map((m) => m.sha256))).toEqual(new Set(rows.map((r) => r.sha256)));
      const store = createRawStore({ kind: 'fs', dataDir, db });
      for (const r of rows.slice(0, 20)) expect(sha256Of(await store.get(r.sha256))).toBe(r.sha256);
      // a kill mid-batch tears the temp file of that batch, never a segment (only a rename makes one);
      // the next poller's store removes the dead writers' temp files before its first write
      expect(rawArchiveFiles(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await q.obliterate({ force: true });
      await q.close();
      conn.disconnect();
    }
  });
});
