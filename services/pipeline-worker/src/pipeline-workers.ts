import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobBackoffStrategy, QUEUES } from '@intake/queue';
import { setLedgerStatus } from '@intake/register-store';
import { isPermanent, toJobError } from './error-policy.js';
import { handleProcessMessage } from './jobs/process-message.handler.js';
import { handleValidateApplication } from './jobs/validate-application.handler.js';
import { handleAcknowledgeMessage } from './jobs/acknowledge-message.handler.js';
import { handleOcrMessage } from './jobs/ocr-message.handler.js';
import { createMessageParser } from './message-parser.js';
import type { WorkerContext } from './worker-context.js';
import { startReconciler } from './reconcile.js';

export interface PipelineWorkerOptions {
  /** a new connection per Worker: BullMQ blocks on it */
  connection: () => Promise<Redis> | Redis;
  prefix: string;
  /** @defaultValue 2 */
  concurrency: number;
  /** periodic re-drive of work whose job was lost (reconcile.ts); absent or intervalMs 0: off */
  reconcile?: { intervalMs: number; staleMs: number };
  /**
   * load the extraction threads' readers before taking jobs (the `intake worker` service),
   * so the first message is not slower than the rest; tests that parse nothing leave it off
   */
  warmParser?: boolean;
}

export interface PipelineWorkers {
  workers: Worker[];
  /** finish jobs in hand, then stop; safe to call twice */
  close(): Promise<void>;
}

/**
 * One BullMQ Worker per queue. Errors pass through the error policy: a
 * permanent one becomes UnrecoverableError (kept as failed, with its reason,
 * for staff to see and retry), a transient one is retried with backoff.
 */
export async function createPipelineWorkers(ctx: WorkerContext, opts: PipelineWorkerOptions): Promise<PipelineWorkers> {
  const parser = createMessageParser(ctx);
  if (opts.warmParser) await parser.warm();
  const wrap =
    <T>(queue: string, fn: (job: Job) => Promise<T>) =>
    async (job: Job): Promise<T> => {
      try {
        return await fn(job);
      } catch (err) {
        const final = isPermanent(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const log = ctx.logger.child({ queue, jobId: job.id, sha256: (job.data as { sha256?: string }).sha256 });
        const fields = {
          code: 'job.failed',
          err,
          attempt: job.attemptsMade + 1,
          permanent: isPermanent(err),
        };
        if (final) log.error(fields, 'job failed for good');
        else log.warn(fields, 'job failed; will retry');
        const sha256 = (job.data as { sha256?: string }).sha256;
        if (final && queue === QUEUES.process && sha256) {
          // the ledger says so too: a message is never dropped silently (`intake queue failed` / retry)
          await setLedgerStatus(ctx.db, sha256, 'failed', err instanceof Error ? err.message : String(err)).catch(
            (ledgerErr: unknown) =>
              // the job's own failure is already logged and kept by BullMQ; the ledger row stays
              // behind (e.g. the database is what failed) and the reconciliation re-drives it
              log.warn({ code: 'ledger.status-update-failed', err: ledgerErr }, 'could not mark the message failed'),
          );
        }
        throw toJobError(err);
      }
    };
  const make = async (queue: string, fn: (job: Job) => Promise<unknown>, concurrency: number) => {
    const w = new Worker(queue, wrap(queue, fn), {
      connection: await opts.connection(),
      prefix: opts.prefix,
      concurrency,
      // Parsing runs in worker threads, so the event loop stays free to renew the
      // lock (every lockDuration/2) even under a 50 MB scan. A short lock lets a
      // job whose worker died (kill -9) be picked up again within ~30 s.
      lockDuration: 15_000,
      stalledInterval: 10_000,
      maxStalledCount: 3,
      // the desk's one retry curve (capped, jittered) for jobs whose backoff type is ours
      settings: { backoffStrategy: jobBackoffStrategy },
    });
    w.on('error', (err) => ctx.logger.warn({ code: 'worker.error', queue, err }, 'worker error'));
    return w;
  };
  const workers = [
    await make(QUEUES.process, (job) => handleProcessMessage(job, ctx, parser), opts.concurrency),
    await make(QUEUES.validate, (job) => handleValidateApplication(job, ctx), opts.concurrency),
    await make(QUEUES.acknowledge, (job) => handleAcknowledgeMessage(job, ctx), 1),
    // scans on their own queue and concurrency: electronic mail never waits behind OCR
    ...(ctx.ocr ? [await make(QUEUES.ocr, (job) => handleOcrMessage(job, ctx, parser), ctx.ocr.concurrency)] : []),
  ];
  const reconciler = opts.reconcile && opts.reconcile.intervalMs > 0 ? startReconciler(ctx, opts.reconcile) : null;
  let closing: Promise<void> | null = null;
  return {
    workers,
    close() {
      closing ??= (async () => {
        await reconciler?.stop();
        await Promise.all(workers.map((w) => w.close()));
        await parser.close();
      })();
      return closing;
    },
  };
}
