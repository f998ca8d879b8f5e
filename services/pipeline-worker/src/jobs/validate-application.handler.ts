import type { Job } from 'bullmq';
import { enqueue, jobIds, ZValidateApplication } from '@intake/queue';
import { getMessageBySha, peersHandedOn, validateApplication } from '@intake/register-store';
import { hasPendingOcr, releaseWaitingReply, replyDelayMs } from '../reply-wait.js';
import type { WorkerContext } from '../worker-context.js';

/**
 * Re-evaluate the application's flags over all its messages (a scan sent
 * later clears MISSING_SCAN), then re-check the applications it shares
 * projects with, then acknowledge the message that triggered it.
 */
export async function handleValidateApplication(job: Job, ctx: WorkerContext): Promise<{ flags: string[] }> {
  const p = ZValidateApplication.parse(job.data);
  const log = ctx.logger.child({
    applicationId: p.applicationId,
    sha256: p.triggeredBySha256,
    jobId: job.id,
    queue: 'validate',
  });
  const r = await validateApplication(ctx.db, p.applicationId, ctx.profile);
  if (!r.evaluation) {
    // emptied by a staff reassignment in the meantime: nothing left to validate or acknowledge
    log.info({ code: 'application.gone' }, 'application no longer exists');
    return { flags: [] };
  }
  const flags = r.evaluation.flags.map((f) => f.code);
  log.info({ code: 'application.validated', flags, changed: r.changed }, 'application validated');
  const peers = p.propagate ? r.peersToRevalidate : [];
  for (const peer of peers) {
    // a peer's DUPLICATE_PROJECT follows ours; silent: its senders get no new reply for it. The
    // peer propagates too, as revalidateWithPeers does in-process: its own project keys did not
    // change, so it reports no peers of its own and the chain ends there (no ping-pong)
    await enqueue(
      ctx.queues,
      'validateApplication',
      { applicationId: peer, triggeredBySha256: null, silent: true, propagate: true },
      jobIds.validateApplication(peer, `peer-${p.applicationId}-${String(job.id)}`),
    );
  }
  // queued durably: forget them. A crash before this line re-reports them on the retry, whose job ids
  // are the same, so nothing is queued twice
  await peersHandedOn(ctx.db, p.applicationId, peers);
  if (!p.silent && p.triggeredBySha256) {
    const ackId = jobIds.acknowledgeMessage(p.triggeredBySha256);
    // scans still being read: the reply waits for the OCR phase, at most OCR_REPLY_WAIT_MS
    const msg = ctx.ocr ? await getMessageBySha(ctx.db, p.triggeredBySha256) : null;
    const pending = msg !== null && hasPendingOcr(msg.parsed);
    const delay = replyDelayMs(pending, ctx.ocr?.replyWaitMs ?? 0);
    await enqueue(
      ctx.queues,
      'acknowledgeMessage',
      { sha256: p.triggeredBySha256, applicationId: p.applicationId },
      ackId,
      delay > 0 ? { delay } : {},
    );
    if (delay > 0) log.info({ code: 'ack.waiting-for-ocr', delayMs: delay }, 'reply held back for OCR');
    else if (ctx.ocr && (await releaseWaitingReply(ctx.queues.acknowledge, ackId)))
      log.info({ code: 'ack.released-after-ocr' }, 'OCR done: the held-back reply goes out now');
  }
  return { flags };
}
