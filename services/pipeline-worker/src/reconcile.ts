import type { Queue } from 'bullmq';
import { enqueue, jobIds } from '@intake/queue';
import {
  getMessageBySha,
  listStaleLedger,
  listStalePendingAcks,
  listUnansweredMessages,
  setLedgerStatus,
} from '@intake/register-store';
import { hasPendingOcr } from './reply-wait.js';
import type { WorkerContext } from './worker-context.js';

/**
 * Issue 12.12: a Redis that dies hard forgets up to a second of queued jobs,
 * and keys can be removed behind the pipeline's back. The database says what
 * is under way, so a periodic pass compares it with the queues and re-drives
 * what has no job: a delivery still queued/processing, a reply composed but
 * unsent, a registered message with no reply decided. Every re-enqueue uses
 * the deterministic job id, so a job that still exists (or is re-added by two
 * workers at once) is one job, and the outbox's keys keep replies to one.
 */
export interface ReconcileOptions {
  /** only work pending at least this long is looked at (ms) */
  staleMs: number;
  /**
   * messages older than this are not re-driven: completed jobs are kept that
   * long (DEFAULT_JOB_OPTIONS), so beyond it a missing job no longer means a
   * lost one @defaultValue 7 days
   */
  maxAgeMs?: number;
}

export interface ReconcileOutcome {
  /** deliveries re-enqueued for processing */
  messages: number;
  /** deliveries whose finished job had not marked the ledger: marked done */
  ledgerDone: number;
  /** reply jobs re-enqueued (composed replies and undecided messages) */
  replies: number;
  /** validation jobs re-enqueued (their reply follows) */
  validations: number;
}

const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;
const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

async function stateOf(queue: Queue, jobId: string): Promise<string> {
  return queue.getJobState(jobId);
}

/** A finished job that left its work undone (the database was lost after it) blocks its id: remove it first. */
async function clearFinished(queue: Queue, jobId: string): Promise<void> {
  await queue.remove(jobId);
}

export async function reconcileOnce(ctx: WorkerContext, o: ReconcileOptions): Promise<ReconcileOutcome> {
  const out: ReconcileOutcome = { messages: 0, ledgerDone: 0, replies: 0, validations: 0 };
  const log = ctx.logger.child({ component: 'reconcile' });

  for (const row of await listStaleLedger(ctx.db, { staleMs: o.staleMs })) {
    const jobId = row.jobId ?? jobIds.processMessage(row.sha256);
    const state = await stateOf(ctx.queues.process, jobId);
    if (LIVE.has(state) || state === 'failed') continue;
    if (state === 'completed') {
      const msg = await getMessageBySha(ctx.db, row.sha256);
      if (msg) {
        // phase 2 (OCR) runs under its own job and keeps the row 'processing' meanwhile
        const ocrId = jobIds.ocrMessage(row.sha256);
        const ocrState = await stateOf(ctx.queues.ocr, ocrId);
        if (LIVE.has(ocrState)) continue;
        if (ctx.ocr && ocrState === 'unknown' && hasPendingOcr(msg.parsed)) {
          await enqueue(ctx.queues, 'ocrMessage', { sha256: row.sha256 }, ocrId);
          log.warn({ code: 'reconcile.ocr', sha256: row.sha256 }, 're-enqueued a lost OCR job');
          out.messages++;
          continue;
        }
        // a later delivery of the same bytes: its job id is the one that already finished
        await setLedgerStatus(ctx.db, row.sha256, 'done');
        out.ledgerDone++;
        continue;
      }
      await clearFinished(ctx.queues.process, jobId);
    }
    await enqueue(ctx.queues, 'processMessage', { sha256: row.sha256, reprocess: false }, jobId);
    log.warn({ code: 'reconcile.message', sha256: row.sha256, jobId, was: state }, 're-enqueued a lost message job');
    out.messages++;
  }

  for (const ack of await listStalePendingAcks(ctx.db, { staleMs: o.staleMs })) {
    const jobId = jobIds.acknowledgeMessage(ack.sourceSha256);
    const state = await stateOf(ctx.queues.acknowledge, jobId);
    if (LIVE.has(state) || state === 'failed') continue;
    const applicationId = ack.applicationId ?? (await getMessageBySha(ctx.db, ack.sourceSha256))?.applicationId ?? null;
    if (applicationId === null) continue;
    if (state === 'completed') await clearFinished(ctx.queues.acknowledge, jobId);
    await enqueue(ctx.queues, 'acknowledgeMessage', { sha256: ack.sourceSha256, applicationId }, jobId);
    log.warn({ code: 'reconcile.reply', sha256: ack.sourceSha256, jobId, was: state }, 're-enqueued a lost reply job');
    out.replies++;
  }

  const maxAgeMs = o.maxAgeMs ?? SEVEN_DAYS_MS;
  for (const m of await listUnansweredMessages(ctx.db, { staleMs: o.staleMs, maxAgeMs })) {
    const ackId = jobIds.acknowledgeMessage(m.sha256);
    if ((await stateOf(ctx.queues.acknowledge, ackId)) !== 'unknown') continue;
    const validateId = jobIds.validateApplication(m.applicationId, m.sha256);
    const v = await stateOf(ctx.queues.validate, validateId);
    if (LIVE.has(v) || v === 'failed') continue;
    if (v === 'completed') {
      // validated, but the reply job it queued is gone
      await enqueue(ctx.queues, 'acknowledgeMessage', { sha256: m.sha256, applicationId: m.applicationId }, ackId);
      out.replies++;
    } else {
      await enqueue(
        ctx.queues,
        'validateApplication',
        { applicationId: m.applicationId, triggeredBySha256: m.sha256, silent: false },
        validateId,
      );
      out.validations++;
    }
    log.warn({ code: 'reconcile.unanswered', sha256: m.sha256, validation: v }, 're-drove a message with no reply');
  }
  return out;
}

export interface Reconciler {
  /** the pass in progress (if any) finishes, no new one starts */
  stop(): Promise<void>;
}

/** reconcileOnce every `intervalMs`, one pass at a time; a failed pass is logged and the next one tries again. */
export function startReconciler(ctx: WorkerContext, o: ReconcileOptions & { intervalMs: number }): Reconciler {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = reconcileOnce(ctx, o)
        .then((r) => {
          if (r.messages + r.replies + r.validations + r.ledgerDone > 0)
            ctx.logger.info({ code: 'reconcile.done', ...r }, 'reconciliation re-drove lost work');
        })
        .catch((err: unknown) => {
          ctx.logger.warn({ code: 'reconcile.failed', err }, 'reconciliation pass failed; the next one retries');
        })
        .finally(schedule);
    }, o.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
