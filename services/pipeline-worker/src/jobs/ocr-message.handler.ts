import type { Job } from 'bullmq';
import type { Logger } from '@intake/logger';
import { enqueue, jobIds, ZOcrMessage } from '@intake/queue';
import type { WorkerContext } from '../worker-context.js';
import type { MessageParser } from '../message-parser.js';
import { processArchivedMessage } from './process-message.handler.js';

/**
 * Phase 2 of a message with scans (issue 14): phase 1 registered, validated
 * and (after at most OCR_REPLY_WAIT_MS) answered everything with a text
 * layer, listing the scanned pages as pending. Here the archived message is
 * read again with OCR inline — pages read before come from the cache — and
 * re-registered the way `intake reprocess` does, then its application is
 * validated again. That validation releases the waiting reply (see
 * validate-application.handler), so one e-mail still gets one reply.
 */
export async function enqueueOcrPhase(
  ctx: WorkerContext,
  sha256: string,
  pending: Array<{ path: string; pages: number[] }>,
  log: Logger,
): Promise<void> {
  await enqueue(ctx.queues, 'ocrMessage', { sha256 }, jobIds.ocrMessage(sha256));
  log.info(
    { code: 'ocr.queued', files: pending.length, pages: pending.reduce((n, p) => n + p.pages.length, 0) },
    'scanned pages queued for OCR',
  );
}

export async function handleOcrMessage(
  job: Job,
  ctx: WorkerContext,
  parser: MessageParser,
): Promise<{ applicationId: number }> {
  const { sha256 } = ZOcrMessage.parse(job.data);
  const log = ctx.logger.child({ sha256, jobId: job.id, queue: 'ocr' });
  const reg = await processArchivedMessage(ctx, parser, sha256, { reprocess: true, logger: log, ocr: 'inline' });
  log.info({ code: 'ocr.done', applicationId: reg.applicationId }, 'scanned pages read; message re-registered');
  for (const applicationId of new Set([reg.applicationId, ...reg.affectedApplicationIds])) {
    const own = applicationId === reg.applicationId;
    await enqueue(
      ctx.queues,
      'validateApplication',
      // triggeredBy the message: its reply (held back while OCR ran) goes out after this validation
      { applicationId, triggeredBySha256: own ? sha256 : null, silent: !own },
      jobIds.validateApplication(applicationId, `ocr-${sha256}`),
    );
  }
  return { applicationId: reg.applicationId };
}
