import type { Queue } from 'bullmq';
import type { TParsedMessage } from '@intake/domain';

/**
 * The reply to a message with scans waits for its OCR phase, up to a bound:
 * a policy as small pure decisions plus one queue operation, so the
 * acknowledge handler itself stays as it was.
 */

/** Scans of this message still queued for OCR (two-phase processing). */
export function hasPendingOcr(parsed: Pick<TParsedMessage, 'attachments'>): boolean {
  return parsed.attachments.some((a) => a.text?.pending === true);
}

/**
 * How long the reply is held back when it is first queued: the wait bound
 * while scans are pending (the OCR phase releases it sooner), else nothing.
 */
export function replyDelayMs(pending: boolean, waitMs: number): number {
  return pending && waitMs > 0 ? waitMs : 0;
}

/** A reply held back for OCR goes out now (the OCR phase has finished); any other state is left alone. */
export async function releaseWaitingReply(acknowledge: Queue, jobId: string): Promise<boolean> {
  const job = await acknowledge.getJob(jobId);
  if (!job || !(await job.isDelayed())) return false;
  await job.promote();
  return true;
}
