import {
  createPipelineWorkers,
  createRegisterOcrCache,
  type PipelineWorkers,
  type WorkerContext,
} from '@intake/pipeline-worker';
import { createTransport } from '@intake/ack-mailer';
import { parseImapUrl } from '@intake/config';
import type { Runtime } from './runtime.js';

export async function buildWorkerContext(rt: Runtime): Promise<WorkerContext> {
  const db = await rt.db();
  return {
    db,
    rawStore: await rt.rawStore(),
    queues: await rt.queues(),
    profile: rt.profile,
    directory: rt.directory,
    logger: rt.logger.child({ component: 'worker' }),
    transport: rt.env.SMTP_URL ? createTransport(rt.env.SMTP_URL) : null,
    ackFrom: defaultAckFrom(rt),
    ackTemplateDir: rt.env.ACK_TEMPLATE_DIR,
    authservIds: rt.env.AUTHSERV_ID,
    ackCaps: {
      perAddress: rt.env.ACK_RATE_LIMIT_PER_HOUR,
      perDomain: rt.env.ACK_RATE_LIMIT_PER_DOMAIN_PER_HOUR,
      total: rt.env.ACK_RATE_LIMIT_TOTAL_PER_HOUR,
    },
    parseLimits: {
      attachmentTimeoutMs: rt.env.PARSE_TIMEOUT_MS,
      maxAttachmentBytes: rt.env.PARSE_MAX_ATTACHMENT_MB * 1024 * 1024,
      maxOfficeUnpackedBytes: rt.env.PARSE_OFFICE_MAX_MB * 1024 * 1024,
      messageBudgetBytes: rt.env.PARSE_MESSAGE_MAX_MB * 1024 * 1024,
      messageBudgetPages: rt.env.PARSE_MESSAGE_MAX_PAGES,
      messageBudgetMs: rt.env.PARSE_MESSAGE_TIMEOUT_MS,
    },
    isolatedMemoryMb: rt.env.PARSE_ISOLATED_MEMORY_MB,
    ...(rt.env.INTAKE_TEST_EXTRACTOR_MODULE ? { extractorModule: rt.env.INTAKE_TEST_EXTRACTOR_MODULE } : {}),
    ...(rt.env.PARSE_THREADS > 0 ? { parseThreads: rt.env.PARSE_THREADS } : {}),
    // OCR_MAX_PAGES=0 turns OCR off: scans are listed, their words not read
    ...(rt.env.OCR_MAX_PAGES > 0
      ? {
          ocr: {
            service: rt.ocr(createRegisterOcrCache(db)),
            maxPages: rt.env.OCR_MAX_PAGES,
            replyWaitMs: rt.env.OCR_REPLY_WAIT_MS,
            concurrency: rt.env.OCR_CONCURRENCY,
          },
        }
      : {}),
  };
}

export async function startWorkers(rt: Runtime): Promise<PipelineWorkers> {
  const ctx = await buildWorkerContext(rt);
  if (!ctx.transport)
    ctx.logger.warn({ code: 'smtp.unset' }, 'SMTP_URL is not set: replies are composed and stored, not sent');
  return createPipelineWorkers(ctx, {
    connection: () => rt.redis('worker'),
    prefix: rt.env.QUEUE_PREFIX,
    concurrency: rt.env.WORKER_CONCURRENCY,
    reconcile: { intervalMs: rt.env.RECONCILE_INTERVAL_MS, staleMs: rt.env.RECONCILE_STALE_MS },
    warmParser: true,
  });
}

/**
 * Without SMTP replies are only stored, but they still need a From: the
 * mailbox's own address when IMAP_URL names one, else a reserved domain.
 */
function defaultAckFrom(rt: Runtime): string {
  if (rt.env.ACK_FROM) return rt.env.ACK_FROM;
  const user = rt.env.IMAP_URL ? parseImapUrl(rt.env.IMAP_URL).user : '';
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user) ? user : 'intake@intake.invalid';
}
