import type { Queryable } from './db.js';

/**
 * What the periodic reconciliation (services/pipeline-worker) looks at: work
 * the database says is under way whose queue job may have been lost (a Redis
 * that died hard forgets up to a second of writes; someone removed keys).
 * Each list is bounded; the caller re-enqueues with the deterministic job id,
 * so a row whose job still exists costs one lookup and changes nothing.
 */

interface Window {
  /** only rows that have been in their state at least this long */
  staleMs: number;
  limit?: number;
}

/** Ledger deliveries queued or being processed for a while: one per raw message. */
export async function listStaleLedger(
  q: Queryable,
  w: Window,
): Promise<Array<{ sha256: string; jobId: string | null; status: 'queued' | 'processing' }>> {
  const rows = await q.query<{ sha256: string; job_id: string | null; status: 'queued' | 'processing' }>(
    `select distinct on (sha256) sha256, job_id, status from mail_ledger
     where status in ('queued', 'processing') and updated_at < now() - ($1::double precision * interval '1 millisecond')
     order by sha256, id limit $2`,
    [w.staleMs, w.limit ?? 500],
  );
  return rows.map((r) => ({ sha256: r.sha256, jobId: r.job_id, status: r.status }));
}

/** Automatic replies composed (or claimed for sending) a while ago and not yet sent. */
export async function listStalePendingAcks(
  q: Queryable,
  w: Window,
): Promise<Array<{ sourceSha256: string; applicationId: number | null }>> {
  const rows = await q.query<{ source_sha256: string; application_id: number | string | null }>(
    `select source_sha256, application_id from acks
     where kind = 'ack' and status in ('composed', 'sending')
       and updated_at < now() - ($1::double precision * interval '1 millisecond')
     order by id limit $2`,
    [w.staleMs, w.limit ?? 500],
  );
  return rows.map((r) => ({
    sourceSha256: r.source_sha256,
    applicationId: r.application_id === null ? null : Number(r.application_id),
  }));
}

/**
 * Registered messages with no automatic-reply row at all: their validation
 * or reply job was lost before the reply was decided. Bounded in age by
 * `maxAgeMs` (the queue keeps completed jobs that long; older, a missing job
 * no longer means a lost one, and a reply days late is no reply).
 */
export async function listUnansweredMessages(
  q: Queryable,
  w: Window & { maxAgeMs: number },
): Promise<Array<{ sha256: string; applicationId: number }>> {
  const rows = await q.query<{ sha256: string; application_id: number | string }>(
    `select m.sha256, m.application_id from messages m
     where m.created_at < now() - ($1::double precision * interval '1 millisecond')
       and m.created_at > now() - ($2::double precision * interval '1 millisecond')
       and not exists (select 1 from acks a where a.kind = 'ack'
                       and (a.source_sha256 = m.sha256 or a.identity_key = m.identity_key
                            or a.source_sha256 = any(m.other_sha256)))
     order by m.id limit $3`,
    [w.staleMs, w.maxAgeMs, w.limit ?? 500],
  );
  return rows.map((r) => ({ sha256: r.sha256, applicationId: Number(r.application_id) }));
}
