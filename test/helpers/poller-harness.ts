import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { createRootLogger } from '@intake/logger';
import { createMailPoller, type MailboxAction, type MailPoller, type MailPollerOptions } from '@intake/mail-poller';
import type { Logger } from '@intake/logger';
import { createQueues, createRedis, QUEUES, type PipelineQueues } from '@intake/queue';
import { createRawStore, type RawStore } from '@intake/raw-archive';
import { listLedger, type Db } from '@intake/register-store';
import { createIsolatedDb } from './isolated-db.js';
import { archivedMessages } from './raw-segments.js';

/** A poller wired to real Dovecot, Redis and PostgreSQL with private names, and ways to look at what it did. */
export interface PollerHarness {
  db: Db;
  dbUrl: string;
  dataDir: string;
  prefix: string;
  user: string;
  mailbox: string;
  rawStore: RawStore;
  queues: PipelineQueues;
  /** `poller` overrides the harness's poller options (reconnect curve, dice); `logger` replaces the silent one */
  start(opts?: {
    disableIdle?: boolean;
    poller?: Partial<Pick<MailPollerOptions, 'minReconnectDelayMs' | 'maxReconnectDelayMs' | 'random' | 'fetchLimits'>>;
    /** what the poller writes to instead of the harness's store (a wrapper that watches the calls) */
    rawStore?: RawStore;
    logger?: Logger;
  }): MailPoller;
  stop(): Promise<void>;
  ledgerCount(): Promise<number>;
  processJobIds(): Promise<string[]>;
  /** sha256 of every message in the fs archive's segments, read from the files */
  archivedShas(): string[];
  cleanup(): Promise<void>;
}

export async function createPollerHarness(opts: {
  user: string;
  mailbox?: string;
  rawStore?: 'fs' | 'postgres';
  action?: MailboxAction;
}): Promise<PollerHarness> {
  const isolated = await createIsolatedDb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-poller-'));
  const prefix = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:26379';
  const conn = createRedis(redisUrl, 'producer');
  conn.on('error', () => undefined);
  const queues = createQueues(conn, prefix);
  const rawStore = createRawStore({ kind: opts.rawStore ?? 'fs', dataDir, db: isolated.db });
  const logger = createRootLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const mailbox = opts.mailbox ?? 'INBOX';
  let poller: MailPoller | null = null;
  const inspectConn = createRedis(redisUrl, 'worker');
  inspectConn.on('error', () => undefined);
  const processQueue = new Queue(QUEUES.process, { connection: inspectConn, prefix });
  processQueue.on('error', () => undefined);
  return {
    db: isolated.db,
    dbUrl: isolated.url,
    dataDir,
    prefix,
    user: opts.user,
    mailbox,
    rawStore,
    queues,
    start(o = {}) {
      poller = createMailPoller(
        { db: isolated.db, rawStore: o.rawStore ?? rawStore, queues, logger: o.logger ?? logger },
        {
          imap: {
            host: process.env.TEST_IMAP_HOST ?? '127.0.0.1',
            port: Number(process.env.TEST_IMAP_PORT ?? 21143),
            secure: false,
            user: opts.user,
            pass: process.env.TEST_MAIL_PASSWORD ?? '',
            mailbox,
          },
          action: opts.action ?? { type: 'none' },
          pollIntervalMs: 500,
          rescanIntervalMs: 60_000,
          maxReconnectDelayMs: 1_000,
          disableIdle: o.disableIdle,
          ...o.poller,
        },
      );
      void poller.run();
      return poller;
    },
    async stop() {
      await poller?.stop();
      poller = null;
    },
    async ledgerCount() {
      return (await listLedger(isolated.db, { mailbox })).length;
    },
    async processJobIds() {
      const jobs = await processQueue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
      return jobs.map((j) => String(j.id));
    },
    archivedShas() {
      return archivedMessages(dataDir).map((m) => m.sha256);
    },
    async cleanup() {
      await poller?.stop();
      // a queue Redis already lost (a killed test) has nothing left to remove
      await processQueue.obliterate({ force: true }).catch(() => undefined);
      await processQueue.close();
      await queues.close();
      conn.disconnect();
      inspectConn.disconnect();
      await isolated.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small distinct RFC 822 message. */
export function makeMail(i: number, tag: string, extra = ''): Buffer {
  return Buffer.from(
    [
      `From: office${i % 7}@fgw.test`,
      'To: intake@desk.test',
      `Subject: test ${tag} #${i}`,
      `Message-ID: <${tag}-${i}@fgw.test>`,
      'Date: Thu, 14 May 2020 10:00:00 +0800',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `message ${i} of ${tag}${extra}`,
      '',
    ].join('\r\n'),
  );
}
