import { AppError, type TCampaignProfile } from '@intake/domain';
import type { Db } from './db.js';
import {
  LOCK_MESSAGE,
  lockApplicantsOf,
  lockApplication,
  lockKey,
  moveMessage,
  resolveApplication,
} from './application-groups.js';
import { writeAudit } from './audit-log.js';

export const REVIEW_STATUSES = [
  'received',
  'preliminary-passed',
  'preliminary-failed',
  'expert-review',
  'selected',
  'rejected',
] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export function isReviewStatus(s: string): s is ReviewStatus {
  return (REVIEW_STATUSES as readonly string[]).includes(s);
}

/** 初审 and later steps of the notice's workflow, recorded with who did it. */
export async function setReviewStatus(
  db: Db,
  applicationId: number,
  status: ReviewStatus,
  note: string | null,
  actor: string,
): Promise<void> {
  if (!isReviewStatus(status))
    throw new AppError('INVALID_INPUT', { message: `unknown review status ${String(status)}`, permanent: true });
  await db.tx(async (q) => {
    const rows = await q.query<{ review_status: string; review_note: string | null }>(
      'select review_status, review_note from applications where id = $1 for update',
      [applicationId],
    );
    const before = rows[0];
    if (!before)
      throw new AppError('NOT_FOUND', { message: `application ${applicationId} not found`, permanent: true });
    await q.query('update applications set review_status = $2, review_note = $3, updated_at = now() where id = $1', [
      applicationId,
      status,
      note,
    ]);
    await writeAudit(q, {
      actor,
      action: 'review-status',
      applicationId,
      details: { from: before.review_status, to: status, noteBefore: before.review_note, note },
    });
  });
}

export type ReassignTarget =
  { applicationId: number } | { applicantCode: string; applicantName?: string; cluster?: string | null };

/**
 * Staff move a message to another application (or to the application of an
 * applicant and cluster, created if needed). The message is marked
 * assigned_manually so reprocessing never moves it back. Returns the
 * applications to validate again.
 */
export async function reassignMessage(
  db: Db,
  messageRowId: number,
  target: ReassignTarget,
  actor: string,
  profile: TCampaignProfile,
): Promise<{ applicationId: number; affectedApplicationIds: number[] }> {
  return db.tx(async (q) => {
    const rows = await q.query<{ identity_key: string; application_id: number; sha256: string; receipt_no: string }>(
      'select identity_key, application_id, sha256, receipt_no from messages where id = $1',
      [messageRowId],
    );
    const msg = rows[0];
    if (!msg) throw new AppError('NOT_FOUND', { message: `message ${messageRowId} not found`, permanent: true });
    await lockKey(q, LOCK_MESSAGE, msg.identity_key);
    // re-read under the lock: a concurrent reprocess may have moved it
    const fromId = Number(
      (
        await q.query<{ application_id: number }>('select application_id from messages where id = $1', [messageRowId])
      )[0]?.application_id,
    );
    let toId: number;
    if ('applicationId' in target) {
      await lockApplicantsOf(q, profile, [fromId, target.applicationId], []);
      const exists = await q.query('select 1 from applications where id = $1', [target.applicationId]);
      if (!exists[0])
        throw new AppError('NOT_FOUND', { message: `application ${target.applicationId} not found`, permanent: true });
      toId = target.applicationId;
    } else {
      await lockApplicantsOf(q, profile, [fromId], [target.applicantCode]);
      const name = target.applicantName ?? target.applicantCode;
      toId = (
        await resolveApplication(q, profile, {
          applicant: { code: target.applicantCode, name },
          cluster: target.cluster ?? null,
          field: null,
          sha256: msg.sha256,
        })
      ).id;
    }
    for (const id of [fromId, toId].sort((a, b) => a - b)) await lockApplication(q, id);
    const affected = fromId === toId ? [toId] : await moveMessage(q, messageRowId, fromId, toId, true);
    await q.query('update messages set assigned_manually = true, updated_at = now() where id = $1', [messageRowId]);
    const details = { messageReceiptNo: msg.receipt_no, fromApplicationId: fromId, toApplicationId: toId };
    await writeAudit(q, {
      actor,
      action: 'message-reassigned',
      applicationId: toId,
      messageRowId: messageRowId,
      details,
    });
    if (fromId !== toId)
      await writeAudit(q, {
        actor,
        action: 'message-reassigned-away',
        applicationId: fromId,
        messageRowId: messageRowId,
        details,
      });
    return { applicationId: toId, affectedApplicationIds: affected };
  });
}
