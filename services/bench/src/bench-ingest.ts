import { silentLogger } from '@intake/logger';
import { createMailPoller, FETCH_LIMITS } from '@intake/mail-poller';
import { createQueues, createRedis } from '@intake/queue';
import { createRawStore } from '@intake/raw-archive';
import { appendAll, emptyMailboxLater, rawFetchAll, seedMaildir } from './imap.js';
import { createDesk, peakRssMB } from './pipeline.js';
import { stampedBacklog } from './inputs.js';
import { progress } from './progress.js';
import type { Figure } from './report.js';
import { countRows, createIsolatedDb, createQueuePrefix, makeTempDir, uniqueName, type Cleanup } from './resources.js';
import type { ServerEnv } from './servers.js';
import { perSecond, ratio, waitUntil } from './stats.js';

export interface DrainResult {
  count: number;
  pollerMs: number;
  rawFetchMs: number;
  appendMs: number;
  bytes: number;
  /** poller start → first message queued (connect, login, SELECT, SEARCH, first FETCH) */
  firstMs: number | null;
}

/**
 * One backlog: APPEND `count` stamped messages to a fresh mailbox (not timed),
 * time a bare imapflow fetch of all of them, then the poller draining them into
 * a fresh schema and queue prefix (archive + ledger + enqueue), then the bare
 * fetch again; the baseline is the mean of the two bare fetches.
 */
export async function drainBacklog(
  env: ServerEnv,
  cleanup: Cleanup,
  templates: Buffer[],
  count: number,
  rawStoreKind: 'fs' | 'postgres' = 'fs',
): Promise<DrainResult> {
  const user = `${uniqueName('backlog')}@bench.test`;
  emptyMailboxLater(env, cleanup, user);
  progress(`backlog ${count}: appending to ${user}`);
  const appended = await appendAll(env, user, stampedBacklog(templates, count, user), (n) =>
    progress(`backlog ${count}: ${n} appended`),
  );
  progress(
    `backlog ${count}: ${appended.count} appended (${(appended.bytes / 1024 / 1024).toFixed(0)} MB) in ${(appended.ms / 1000).toFixed(1)} s; bare fetch`,
  );
  const raw1 = await rawFetchAll(env, user);
  if (raw1.count !== count) throw new Error(`bare fetch saw ${raw1.count} of ${count} messages`);

  const iso = await createIsolatedDb(env.databaseUrl, cleanup);
  const prefix = createQueuePrefix(env.redisUrl, cleanup);
  const conn = createRedis(env.redisUrl, 'producer');
  conn.on('error', () => undefined);
  const queues = createQueues(conn, prefix);
  const dataDir = makeTempDir(cleanup, 'ingest');
  const rawStore = createRawStore({ kind: rawStoreKind, dataDir, db: iso.db });
  const poller = createMailPoller(
    { db: iso.db, rawStore, queues, logger: silentLogger },
    {
      imap: { host: env.imapHost, port: env.imapPort, secure: false, user, pass: env.mailPassword, mailbox: 'INBOX' },
      action: { type: 'none' },
      pollIntervalMs: 500,
      rescanIntervalMs: 3_600_000,
      maxReconnectDelayMs: 1_000,
    },
  );
  progress(`backlog ${count}: poller draining`);
  const t0 = performance.now();
  const running = poller.run();
  let last = 0;
  let pollerMs: number;
  let firstMs = null as number | null;
  try {
    await waitUntil(
      async () => {
        const n = await countRows(iso.db, 'select count(*)::int as n from mail_ledger where job_id is not null');
        if (n > 0 && firstMs === null) firstMs = performance.now() - t0;
        if (n - last >= 2000) {
          last = n;
          progress(`backlog ${count}: ${n} queued`);
        }
        return n >= count;
      },
      { timeoutMs: Math.max(120_000, count * 100), intervalMs: 20, what: `the poller to queue ${count} messages` },
    );
  } finally {
    pollerMs = performance.now() - t0;
    await poller.stop();
    await running;
    await queues.close();
    conn.disconnect();
  }
  const raw2 = await rawFetchAll(env, user);
  const rawFetchMs = (raw1.ms + raw2.ms) / 2;
  progress(
    `backlog ${count}: poller ${(pollerMs / 1000).toFixed(1)} s (first queued after ${firstMs?.toFixed(0)} ms), bare fetch ${(raw1.ms / 1000).toFixed(1)} / ${(raw2.ms / 1000).toFixed(1)} s`,
  );
  return { count, pollerMs, rawFetchMs, appendMs: appended.ms, bytes: appended.bytes, firstMs };
}

export interface LargeDrain {
  count: number;
  pollerMs: number;
  pollerPeakRssMB: number | null;
  workerPeakRssMB: number | null;
  /** messages the workers had registered when the poller finished */
  registered: number;
}

/**
 * `--large` (issue 14.6, not in CI): `count` messages drained by `intake poller` in its own process,
 * with two `intake worker` processes reading alongside, so the peak RSS of each is its own: a
 * per-message state that grows without bound shows as a poller far above its size at 10k.
 */
export async function drainLargeBacklog(
  env: ServerEnv,
  cleanup: Cleanup,
  templates: Buffer[],
  count: number,
): Promise<LargeDrain> {
  const desk = await createDesk(env, cleanup, { smtp: false, concurrency: 2 });
  progress(`backlog ${count} (--large): seeding the maildir of ${desk.user}`);
  const seeded = await seedMaildir(env, desk.user, stampedBacklog(templates, count, desk.user), (n) =>
    progress(`backlog ${count}: ${n} seeded`),
  );
  progress(`backlog ${count}: ${seeded.count} seeded in ${(seeded.ms / 1000).toFixed(0)} s`);
  const workers = [desk.spawn('worker'), desk.spawn('worker')];
  await Promise.all(workers.map((w) => w.waitForLog('worker.started')));
  progress(`backlog ${count}: poller process draining, 2 worker processes reading alongside`);
  const t0 = performance.now();
  const poller = desk.spawn('poller');
  let last = 0;
  await waitUntil(
    async () => {
      if (poller.child.exitCode !== null) throw new Error(`poller exited early; see ${poller.logFile}`);
      const n = await countRows(desk.iso.db, 'select count(*)::int as n from mail_ledger where job_id is not null');
      if (n - last >= 10_000) {
        last = n;
        progress(`backlog ${count}: ${n} queued`);
      }
      return n >= count;
    },
    { timeoutMs: Math.max(600_000, count * 100), intervalMs: 500, what: `the poller to queue ${count} messages` },
  );
  const pollerMs = performance.now() - t0;
  const rss = workers.map((w) => peakRssMB(w.child.pid)).filter((v): v is number => v !== null);
  const out: LargeDrain = {
    count,
    pollerMs,
    pollerPeakRssMB: peakRssMB(poller.child.pid),
    workerPeakRssMB: rss.length ? Math.max(...rss) : null,
    registered: await countRows(desk.iso.db, 'select count(*)::int as n from messages'),
  };
  for (const p of desk.procs) p.child.kill('SIGTERM');
  await Promise.all(desk.procs.map((p) => p.exited));
  return out;
}

export function largeFigures(r: LargeDrain, tenK: DrainResult | null): Figure[] {
  return [
    {
      key: 'backlog.seconds100k',
      value: r.pollerMs / 1000,
      unit: 's',
      note: `${r.count} messages through \`intake poller\` in its own process (clock from its spawn); 2 worker processes had registered ${r.registered} by then`,
    },
    {
      key: 'backlog.ratio100kTo10k',
      value: tenK ? ratio(r.pollerMs, tenK.pollerMs) : null,
      unit: '×',
      note: 'the 10k drain runs in-process, this one in its own process: compare loosely',
    },
    { key: 'backlog.pollerPeakRssMB100k', value: r.pollerPeakRssMB, unit: 'MB' },
    { key: 'backlog.workerPeakRssMB100k', value: r.workerPeakRssMB, unit: 'MB' },
  ];
}

/** The same drain with RAW_STORE=postgres (issue 14.3): the raw bytes go into the register database. */
export function postgresRawFigures(r: DrainResult): Figure[] {
  const ours = perSecond(r.count, r.pollerMs);
  const raw = perSecond(r.count, r.rawFetchMs);
  return [
    {
      key: 'ingest.msgsPerSecRawStorePostgres',
      value: ours,
      unit: 'msg/s',
      baseline: { label: 'bare imapflow fetch', value: raw },
      ratio: ratio(ours, raw),
      note: `${r.count} messages, RAW_STORE=postgres (bytes in raw_messages, no files)`,
    },
    { key: 'ingest.ratioRawStorePostgres', value: ratio(ours, raw), unit: '×', aim: '≥ 0.6×' },
  ];
}

export function ingestFigures(small: DrainResult, big: DrainResult | null): Figure[] {
  const ours = perSecond(small.count, small.pollerMs);
  const raw = perSecond(small.count, small.rawFetchMs);
  const avgKb = small.bytes / small.count / 1024;
  const out: Figure[] = [
    {
      key: 'ingest.msgsPerSec',
      value: ours,
      unit: 'msg/s',
      baseline: { label: 'bare imapflow fetch', value: raw },
      ratio: ratio(ours, raw),
      note: `${small.count} messages, ${avgKb.toFixed(0)} KB average, same mailbox and FETCH batches (the poller's plan: ≤ ${FETCH_LIMITS.maxMessages} messages, ≤ ${FETCH_LIMITS.maxBytes / 1024 / 1024} MiB); poller in-process with real PostgreSQL + Redis, no workers`,
    },
    { key: 'ingest.rawFetchMsgsPerSec', value: raw, unit: 'msg/s' },
    { key: 'ingest.ratio', value: ratio(ours, raw), unit: '×', aim: '≥ 0.6×', note: 'RAW_STORE=fs, fsync on' },
    {
      key: 'ingest.msPerMsg',
      value: small.pollerMs / small.count,
      unit: 'ms',
      baseline: { label: 'bare fetch', value: small.rawFetchMs / small.count },
    },
    {
      key: 'backlog.seconds1k',
      value: small.pollerMs / 1000,
      unit: 's',
      baseline: { label: 'bare fetch', value: small.rawFetchMs / 1000 },
      ratio: ratio(small.pollerMs, small.rawFetchMs),
      note: `${small.count} messages; first one queued after ${small.firstMs?.toFixed(0)} ms; APPEND took ${(small.appendMs / 1000).toFixed(1)} s (not counted)`,
    },
  ];
  if (big) {
    out.push(
      {
        key: 'backlog.seconds10k',
        value: big.pollerMs / 1000,
        unit: 's',
        baseline: { label: 'bare fetch', value: big.rawFetchMs / 1000 },
        ratio: ratio(big.pollerMs, big.rawFetchMs),
        note: `${big.count} messages (${(big.bytes / 1024 / 1024).toFixed(0)} MB); first one queued after ${big.firstMs?.toFixed(0)} ms; APPEND took ${(big.appendMs / 1000).toFixed(1)} s (not counted)`,
      },
      {
        key: 'backlog.ratio10kTo1k',
        value: ratio(big.pollerMs, small.pollerMs),
        unit: '×',
        baseline: { label: 'size ratio', value: big.count / small.count, unit: '×' },
        aim: '≤ 11×',
      },
    );
  } else {
    out.push({ key: 'backlog.seconds10k', value: null, unit: 's', note: 'not measured (an earlier step failed)' });
  }
  return out;
}
