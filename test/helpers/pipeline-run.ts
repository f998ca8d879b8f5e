import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Queue } from 'bullmq';
import { CORPUS_AUTHSERV_ID, type Case } from '@intake/fixture-generator';
import { createRedis, QUEUES } from '@intake/queue';
import type { Db } from '@intake/register-store';
import { spawnIntake, type CliProcess } from './cli-process.js';
import { createIsolatedDb } from './isolated-db.js';
import { appendMessage } from './mailbox.js';
import { REPO_DIR, restartServer } from './servers.js';
import { uniqueName } from './unique.js';
import { waitFor } from './wait.js';

/** What the pipeline is fed: a case's bytes and its server receipt time. */
export type PipelineMail = Pick<Case, 'raw' | 'internalDate'>;

/** Handles for a test that acts on the pipeline behind its back (fault injection, mail appended later). */
export interface PipelineHandles {
  db: Db;
  deskAddress: string;
  /** this run's queues, on the run's own prefix */
  queues: Queue[];
  append(mail: PipelineMail): Promise<void>;
}

export interface PipelineRunOptions {
  cases: PipelineMail[];
  workers: number;
  /** kill -9 a random worker this many times while mail is processed, restarting it each time */
  workerKills?: number;
  /** restart PostgreSQL once while mail is processed */
  restartPostgres?: boolean;
  /** send replies through the test SMTP server (else SMTP_URL is unset: replies are stored) */
  smtp?: boolean;
  seed?: number;
  /**
   * OCR the scans (the two-phase OCR queue). Off by default: the corpus's scans are drawn blocks
   * with no words, and reading them would only add minutes of CPU to tests about reliability;
   * OCR has its own tests (test/integration/ocr-two-phase.test.ts and the ocr-reading unit tests).
   * @defaultValue false
   */
  ocr?: boolean;
  /** runs while the pipeline works, before the drain wait (fault injection) */
  whileRunning?: (db: Db, h: PipelineHandles) => Promise<void>;
  /** runs after the poller started and before any worker does (jobs queued, nothing processed) */
  beforeWorkers?: (h: PipelineHandles) => Promise<void>;
  /** messages the register must end with @defaultValue the distinct raw mails of `cases` */
  expectedMessages?: number;
  /** extra environment of every process (RECONCILE_INTERVAL_MS…) */
  env?: Record<string, string>;
}

export interface PipelineRun {
  db: Db;
  deskAddress: string;
  exportJson: RegisterExportLike;
  log: string[];
  dispose(): Promise<void>;
}

export interface RegisterExportLike {
  applications: Array<{
    receiptNo: string;
    applicant: { code: string; name: string } | null;
    cluster: string | null;
    field: string | null;
    copies: { scan: boolean; electronic: boolean };
    documents: Record<string, boolean>;
    metrics: Record<string, unknown>;
    flags: Array<{ code: string; label: string; detail: string }>;
    messages: Array<{
      messageId: string | null;
      from: string;
      subject: string;
      receivedAt: string;
      ack: { status: string; reason?: string | null } | null;
    }>;
  }>;
  missingApplicants: Array<{ code: string; name: string }>;
}

async function countRow(db: Db, sql: string): Promise<number> {
  const rows = await db.query<{ n: number }>(sql);
  return rows[0]?.n ?? 0;
}

/**
 * The whole pipeline as separate processes (poller + N workers, the real
 * `intake` command) over real Dovecot, Redis, PostgreSQL and Postfix, fed by
 * APPENDing the cases with their receipt times; resolves when every message is
 * registered, validated and acknowledged and every queue is empty.
 */
export async function runPipeline(opts: PipelineRunOptions): Promise<PipelineRun> {
  const isolated = await createIsolatedDb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-pipeline-'));
  const prefix = uniqueName('p').replace(/[^A-Za-z0-9_-]/g, '');
  const deskAddress = `${uniqueName('desk')}@desk.test`;
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:26379';
  const env: Record<string, string> = {
    IMAP_URL: `imap://${encodeURIComponent(deskAddress)}:${encodeURIComponent(process.env.TEST_MAIL_PASSWORD ?? '')}@${process.env.TEST_IMAP_HOST}:${process.env.TEST_IMAP_PORT}/INBOX`,
    REDIS_URL: redisUrl,
    DATABASE_URL: isolated.url,
    DATA_DIR: dataDir,
    QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: '2',
    ACK_FROM: deskAddress,
    ACK_RATE_LIMIT_PER_HOUR: '50',
    // the corpus's receiving server: its Authentication-Results are believed, every other one is not
    AUTHSERV_ID: CORPUS_AUTHSERV_ID,
    ...(opts.ocr ? {} : { OCR_MAX_PAGES: '0' }),
    ...(opts.smtp
      ? { SMTP_URL: `smtp://${process.env.TEST_SMTP_HOST ?? '127.0.0.1'}:${process.env.TEST_SMTP_PORT}` }
      : {}),
    ...opts.env,
  };
  for (const c of opts.cases) await appendMessage({ user: deskAddress, raw: c.raw, internalDate: c.internalDate });

  const procs: CliProcess[] = [];
  const logDir = path.join(dataDir, 'logs');
  let n = 0;
  const spawn = (cmd: string) => {
    const p = spawnIntake([cmd], env, path.join(logDir, `${cmd}-${n++}.log`));
    procs.push(p);
    return p;
  };
  spawn('poller');
  const db = isolated.db;
  const conn = createRedis(redisUrl, 'worker');
  // the test's own connection: a Redis restarted by a fault-injection test reconnects by itself
  conn.on('error', () => undefined);
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: conn, prefix }));
  const handles: PipelineHandles = {
    db,
    deskAddress,
    queues,
    append: async (m) => {
      await appendMessage({ user: deskAddress, raw: m.raw, internalDate: m.internalDate });
    },
  };
  if (opts.beforeWorkers) await opts.beforeWorkers(handles);
  const workers: CliProcess[] = [];
  for (let i = 0; i < opts.workers; i++) workers.push(spawn('worker'));

  const registered = () => countRow(db, 'select count(*)::int as n from messages');
  let seed = opts.seed ?? 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const log: string[] = [];
  const distinct = opts.expectedMessages ?? new Set(opts.cases.map((c) => c.raw.toString('base64'))).size;

  for (let k = 0; k < (opts.workerKills ?? 0); k++) {
    const target = Math.min(
      distinct - 1,
      Math.floor(((k + 1) / ((opts.workerKills ?? 0) + 1)) * distinct * (0.6 + rand() * 0.4)),
    );
    await waitFor(async () => (await registered()) >= target, {
      timeoutMs: 120_000,
      intervalMs: 20,
      message: `kill ${k}: ${target} registered`,
    });
    const i = Math.floor(rand() * workers.length);
    workers[i]!.kill('SIGKILL');
    await workers[i]!.exited;
    log.push(`killed worker ${i} at ${await registered()} registered`);
    workers[i] = spawn('worker');
  }
  if (opts.restartPostgres) {
    await waitFor(async () => (await registered()) >= Math.floor(distinct / 3), {
      timeoutMs: 120_000,
      intervalMs: 20,
      message: 'a third registered',
    });
    await restartServer('pg');
    log.push('restarted PostgreSQL');
  }

  if (opts.whileRunning) await opts.whileRunning(db, handles);

  await waitFor(
    async () => {
      const msgs = await registered();
      if (msgs < distinct) return false;
      const pendingLedger = await countRow(db, `select count(*)::int as n from mail_ledger where status <> 'done'`);
      const acks = await countRow(
        db,
        `select count(*)::int as n from acks where kind = 'ack' and status in ('sent','skipped','stored','failed')`,
      );
      const unvalidated = await countRow(db, 'select count(*)::int as n from applications where validated_at is null');
      if (pendingLedger > 0 || acks < msgs || unvalidated > 0) return false;
      for (const q of queues) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(c).some((v) => v > 0)) return false;
      }
      return true;
    },
    { timeoutMs: 240_000, intervalMs: 250, message: `pipeline drained (${distinct} messages; logs in ${logDir})` },
  );

  const out = spawnSync(
    process.execPath,
    [path.join(REPO_DIR, 'services/cli/bin/intake.js'), 'register', 'export', '--format', 'json'],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (out.status !== 0) throw new Error(`register export failed: ${out.stderr}`);
  const exportJson = JSON.parse(out.stdout) as RegisterExportLike;

  for (const r of await db.query<{ to_address: string; attempts: number; status: string; last_error: string | null }>(
    `select to_address, attempts, status, last_error from acks where attempts > 1`,
  )) {
    log.push(`ack to ${r.to_address}: ${r.status} after ${r.attempts} attempts (${r.last_error ?? ''})`);
  }
  return {
    db,
    deskAddress,
    exportJson,
    log,
    async dispose() {
      for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.kill('SIGTERM');
      const exits = await Promise.all(procs.map((p) => p.exited));
      for (const q of queues) {
        // a queue Redis already lost (a killed test) has nothing left to remove
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      conn.disconnect();
      await isolated.drop();
      const unclean = exits.filter((e) => e.signal === null && e.code !== 0);
      if (process.env.INTAKE_KEEP_LOGS !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
      if (unclean.length) throw new Error(`a process exited uncleanly on SIGTERM: ${JSON.stringify(unclean)}`);
    },
  };
}
