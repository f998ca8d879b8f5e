import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { readEnvSources, loadEnv, redactUrl, type TEnv } from '@intake/config';
import {
  buildApplicantDirectory,
  loadCampaignProfile,
  type ApplicantDirectory,
  type TCampaignProfile,
} from '@intake/domain';
import { createRootLogger, type Logger } from '@intake/logger';
import { createQueues, createRedis, type PipelineQueues } from '@intake/queue';
import { createOcrService, type OcrCache, type OcrService } from '@intake/ocr';
import { createRawStore, type RawStore } from '@intake/raw-archive';
import { migrate, openDb, type Db } from '@intake/register-store';
import type { Redis } from 'ioredis';
import { ensureRedis } from './embedded-redis.js';
import { acquireRegisterLock } from './register-lock.js';

/**
 * What a command runs on, opened on demand and closed in reverse order.
 * Configuration is read and validated here, once per process.
 */
export interface Runtime {
  env: TEnv;
  logger: Logger;
  profile: TCampaignProfile;
  directory: ApplicantDirectory;
  db(): Promise<Db>;
  rawStore(): Promise<RawStore>;
  redisUrl(): Promise<string>;
  redis(role: 'worker' | 'producer'): Promise<Redis>;
  queues(): Promise<PipelineQueues>;
  /** the OCR service (sandboxed children, OCR_* settings) over `cache`; one per process */
  ocr(cache: OcrCache): OcrService;
  /** close everything that was opened; safe to call twice */
  close(): Promise<void>;
}

/** The configuration sources of this process: its environment and the working directory's .env. */
export function configSources(): Record<string, string | undefined> {
  return readEnvSources(process.env, process.cwd());
}

export function createRuntime(command: string, source: Record<string, string | undefined> = configSources()): Runtime {
  const env = loadEnv(source);
  const logger = createRootLogger({ level: env.LOG_LEVEL, name: `intake-${command}` });
  const profile = loadCampaignProfile(env.CAMPAIGN);
  const directory = buildApplicantDirectory(profile);
  const closers: Array<() => Promise<void> | void> = [];
  let dbP: Promise<Db> | null = null;
  let rawP: Promise<RawStore> | null = null;
  let redisUrlP: Promise<string> | null = null;
  let queuesP: Promise<PipelineQueues> | null = null;
  let ocrService: OcrService | null = null;
  let closed = false;

  const rt: Runtime = {
    env,
    logger,
    profile,
    directory,
    db() {
      dbP ??= (async () => {
        if (!env.DATABASE_URL) closers.push(acquireRegisterLock(env.DATA_DIR, `intake ${command}`));
        const db = await openDb({
          databaseUrl: env.DATABASE_URL ?? null,
          dataDir: path.join(env.DATA_DIR, 'register'),
          logger,
        });
        closers.push(() => db.close());
        await migrate(db);
        logger.info(
          { code: 'db.open', kind: db.kind, url: redactUrl(env.DATABASE_URL) || undefined },
          'register database ready',
        );
        return db;
      })();
      return dbP;
    },
    rawStore() {
      rawP ??= (async () => createRawStore({ kind: env.RAW_STORE, dataDir: env.DATA_DIR, db: await rt.db() }))();
      return rawP;
    },
    redisUrl() {
      redisUrlP ??= (async () => {
        const r = await ensureRedis({ redisUrl: env.REDIS_URL, dataDir: env.DATA_DIR, logger });
        if (r.child) closers.push(() => stopChild(r.child!));
        return r.url;
      })();
      return redisUrlP;
    },
    async redis(role) {
      const conn = createRedis(await rt.redisUrl(), role);
      conn.on('error', (err: Error) => logger.debug({ code: 'redis.error', err }, 'redis connection error'));
      closers.push(() => {
        conn.disconnect();
      });
      return conn;
    },
    queues() {
      queuesP ??= (async () => {
        const q = createQueues(await rt.redis('producer'), env.QUEUE_PREFIX, (err) =>
          logger.debug({ code: 'queue.error', err }, 'queue connection error'),
        );
        closers.push(() => q.close());
        return q;
      })();
      return queuesP;
    },
    ocr(cache) {
      if (!ocrService) {
        const service = createOcrService({
          cache,
          children: env.OCR_CONCURRENCY,
          pageTimeoutMs: env.OCR_PAGE_TIMEOUT_MS,
          memoryMb: env.OCR_MEMORY_MB,
        });
        closers.push(() => service.close());
        ocrService = service;
      }
      return ocrService;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of closers.reverse()) {
        try {
          await c();
        } catch (err) {
          logger.warn({ code: 'runtime.close-failed', err }, 'closing a resource failed');
        }
      }
    },
  };
  return rt;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
