import type { Queryable } from '@intake/register-store';
import type { ComposedAck } from './compose-ack.js';

/** One row of the `acks` outbox (migration 003). */
export type AckStatus = 'composed' | 'sending' | 'sent' | 'failed' | 'stored' | 'skipped';

export interface AckRow {
  id: number;
  source_sha256: string;
  kind: string;
  application_id: number | null;
  from_address: string | null;
  to_address: string | null;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  our_message_id: string | null;
  in_reply_to: string | null;
  references_list: string[];
  headers: Record<string, string>;
  status: AckStatus;
  skip_reason: string | null;
  skip_detail: string | null;
  attempts: number;
  last_error: string | null;
  /** retries that took over an attempt which died while sending (it may have been accepted) */
  unknown_outcome_resends: number;
  smtp_response: string | null;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Statuses after which nothing more happens to a row: a retry returns it as it is. */
export const FINAL_STATUSES: ReadonlySet<AckStatus> = new Set<AckStatus>(['sent', 'skipped', 'stored', 'failed']);

export interface AckKey {
  sourceSha256: string;
  kind: string;
  applicationId?: number | null;
}

export async function getAck(q: Queryable, sourceSha256: string, kind: string): Promise<AckRow | null> {
  const rows = await q.query<AckRow>('select * from acks where source_sha256 = $1 and kind = $2', [sourceSha256, kind]);
  return rows[0] ?? null;
}

export async function listAcksForMessage(q: Queryable, sourceSha256: string): Promise<AckRow[]> {
  return q.query<AckRow>('select * from acks where source_sha256 = $1 order by created_at, id', [sourceSha256]);
}

/** Insert, or return the row someone else inserted first: the (source_sha256, kind) key decides. */
async function insertOrGet(
  q: Queryable,
  key: AckKey,
  columns: Record<string, unknown>,
): Promise<{ row: AckRow; created: boolean }> {
  const names = ['source_sha256', 'kind', 'application_id', ...Object.keys(columns)];
  const values = [key.sourceSha256, key.kind, key.applicationId ?? null, ...Object.values(columns)];
  const placeholders = names.map((n, i) => (n === 'headers' ? `$${i + 1}::jsonb` : `$${i + 1}`));
  const inserted = await q.query<AckRow>(
    `insert into acks (${names.join(', ')}) values (${placeholders.join(', ')})
     on conflict (source_sha256, kind) do nothing returning *`,
    values,
  );
  if (inserted[0]) return { row: inserted[0], created: true };
  const existing = await getAck(q, key.sourceSha256, key.kind);
  if (!existing) throw new Error(`acks conflict without a row for ${key.sourceSha256}/${key.kind}`);
  return { row: existing, created: false };
}

function ackColumns(ack: ComposedAck): Record<string, unknown> {
  return {
    from_address: ack.from,
    to_address: ack.to,
    subject: ack.subject,
    text_body: ack.text,
    html_body: ack.html,
    our_message_id: ack.messageId,
    in_reply_to: ack.inReplyTo,
    references_list: ack.references,
    headers: JSON.stringify(ack.headers),
  };
}

export async function insertComposed(
  q: Queryable,
  key: AckKey,
  ack: ComposedAck,
  status: 'composed' | 'stored',
): Promise<{ row: AckRow; created: boolean }> {
  return insertOrGet(q, key, { ...ackColumns(ack), status });
}

/** A decision not to reply, kept so the register can say why and a retry does not reconsider it. */
export async function recordSkip(
  q: Queryable,
  input: AckKey & { toAddress?: string | null; reason: string; detail: string },
): Promise<AckRow> {
  const { row } = await insertOrGet(q, input, {
    to_address: input.toAddress ?? null,
    status: 'skipped',
    skip_reason: input.reason,
    skip_detail: input.detail,
  });
  return row;
}

/** SMTP_URL unset: the reply is kept, composed and unsent, for staff to read or resend later. */
export async function composeAndStore(q: Queryable, input: AckKey & { ack: ComposedAck }): Promise<AckRow> {
  const { row } = await insertComposed(q, input, input.ack, 'stored');
  return row;
}

/**
 * Take the row for one SMTP attempt: only from 'composed', or from a 'sending'
 * whose attempt has been silent longer than the lease (its process died).
 * The attempts check makes two racing callers disagree: exactly one wins.
 */
export async function claimForSending(q: Queryable, row: AckRow, leaseMs: number): Promise<AckRow | null> {
  const rows = await q.query<AckRow>(
    `update acks set status = 'sending', attempts = attempts + 1, updated_at = now(),
       unknown_outcome_resends = unknown_outcome_resends + case when status = 'sending' then 1 else 0 end
     where id = $1 and attempts = $2
       and (status = 'composed' or (status = 'sending' and updated_at < now() - ($3::double precision * interval '1 millisecond')))
     returning *`,
    [row.id, row.attempts, leaseMs],
  );
  return rows[0] ?? null;
}

export async function markSent(q: Queryable, id: number, smtpResponse: string): Promise<AckRow> {
  const rows = await q.query<AckRow>(
    `update acks set status = 'sent', smtp_response = $2, sent_at = now(), updated_at = now() where id = $1 returning *`,
    [id, smtpResponse],
  );
  if (!rows[0]) throw new Error(`ack ${id} vanished while sending`);
  return rows[0];
}

export async function markFailed(
  q: Queryable,
  id: number,
  error: string,
  smtpResponse: string | null,
): Promise<AckRow> {
  const rows = await q.query<AckRow>(
    `update acks set status = 'failed', last_error = $2, smtp_response = $3, updated_at = now()
     where id = $1 and status <> 'sent' returning *`,
    [id, error, smtpResponse],
  );
  return rows[0] ?? (await q.query<AckRow>('select * from acks where id = $1', [id]))[0]!;
}

/** A transient failure: back to 'composed' so the next attempt may claim it at once. */
export async function markRetryable(q: Queryable, id: number, error: string): Promise<void> {
  await q.query(
    `update acks set status = 'composed', last_error = $2, updated_at = now() where id = $1 and status = 'sending'`,
    [id, error],
  );
}

/** A row composed while SMTP was configured, found again without it. */
export async function markStored(q: Queryable, id: number): Promise<AckRow> {
  const rows = await q.query<AckRow>(
    `update acks set status = 'stored', updated_at = now() where id = $1 and status = 'composed' returning *`,
    [id],
  );
  return rows[0] ?? (await q.query<AckRow>('select * from acks where id = $1', [id]))[0]!;
}

/** Acks actually sent to `toAddress` within the window: the per-sender rate cap's count. */
export async function countRecentReplies(q: Queryable, toAddress: string, withinMs = 3_600_000): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `select count(*)::int as n from acks
     where to_address = $1 and status = 'sent' and sent_at > now() - ($2::double precision * interval '1 millisecond')`,
    [toAddress.toLowerCase(), withinMs],
  );
  return rows[0]?.n ?? 0;
}

/** 'resend-<n>' one above the highest resend so far. */
export async function nextResendKind(q: Queryable, sourceSha256: string): Promise<string> {
  const rows = await q.query<{ kind: string }>(
    `select kind from acks where source_sha256 = $1 and kind like 'resend-%'`,
    [sourceSha256],
  );
  const max = rows.reduce((m, r) => Math.max(m, Number(/^resend-(\d+)$/.exec(r.kind)?.[1] ?? 0)), 0);
  return `resend-${max + 1}`;
}

export function rowToAck(row: AckRow): ComposedAck {
  if (!row.to_address || !row.from_address || !row.our_message_id)
    throw new Error(`ack ${row.id} has no composed reply`);
  return {
    from: row.from_address,
    to: row.to_address,
    subject: row.subject ?? '',
    text: row.text_body ?? '',
    html: row.html_body ?? '',
    headers: row.headers,
    inReplyTo: row.in_reply_to,
    references: row.references_list,
    messageId: row.our_message_id,
  };
}
