import type { Queryable } from '../db.js';
import type { AckContent, AckRow } from './ack-row.js';

/**
 * The outbox's state transitions (composed → sending → sent | failed, stored,
 * skipped). Exported through `@intake/register-store/ack-outbox` for
 * @intake/ack-mailer alone: stepping around its deliverAck would break
 * exactly-once, so nothing else imports this module.
 */
export type { AckContent, AckRow, AckStatus } from './ack-row.js';
export { FINAL_STATUSES } from './ack-row.js';

export interface AckKey {
  /** the registered message's raw sha256 (its first delivery), or a reminder's synthetic key */
  sourceSha256: string;
  kind: string;
  applicationId?: number | null;
  /** the message as its sender knows it: a second delivery with other bytes finds the same row */
  identityKey?: string | null;
}

export async function getAck(
  q: Queryable,
  key: Pick<AckKey, 'sourceSha256' | 'kind' | 'identityKey'>,
): Promise<AckRow | null> {
  const rows = await q.query<AckRow>(
    `select * from acks where kind = $2 and (source_sha256 = $1 or ($3::text is not null and identity_key = $3))
     order by (source_sha256 = $1) desc, id limit 1`,
    [key.sourceSha256, key.kind, key.identityKey ?? null],
  );
  return rows[0] ?? null;
}

export async function listAcksForMessage(q: Queryable, sourceSha256: string): Promise<AckRow[]> {
  return q.query<AckRow>('select * from acks where source_sha256 = $1 order by created_at, id', [sourceSha256]);
}

/** Insert, or return the row someone else inserted first: (source_sha256, kind) or (identity_key, kind) decides. */
async function insertOrGet(
  q: Queryable,
  key: AckKey,
  columns: Record<string, unknown>,
): Promise<{ row: AckRow; created: boolean }> {
  const names = ['source_sha256', 'kind', 'application_id', 'identity_key', ...Object.keys(columns)];
  const values: unknown[] = [key.sourceSha256, key.kind, key.applicationId ?? null, key.identityKey ?? null];
  values.push(...Object.values(columns));
  const placeholders = names.map((n, i) => (n === 'headers' ? `$${i + 1}::jsonb` : `$${i + 1}`));
  const inserted = await q.query<AckRow>(
    `insert into acks (${names.join(', ')}) values (${placeholders.join(', ')})
     on conflict do nothing returning *`,
    values,
  );
  if (inserted[0]) return { row: inserted[0], created: true };
  const existing = await getAck(q, key);
  if (!existing) throw new Error(`acks conflict without a row for ${key.sourceSha256}/${key.kind}`);
  return { row: existing, created: false };
}

function contentColumns(ack: AckContent): Record<string, unknown> {
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
  ack: AckContent,
  status: 'composed' | 'stored',
): Promise<{ row: AckRow; created: boolean }> {
  return insertOrGet(q, key, { ...contentColumns(ack), status });
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

const byId = async (q: Queryable, id: number): Promise<AckRow> => {
  const rows = await q.query<AckRow>('select * from acks where id = $1', [id]);
  if (!rows[0]) throw new Error(`ack ${id} vanished`);
  return rows[0];
};

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
  return rows[0] ?? byId(q, id);
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
  return rows[0] ?? byId(q, id);
}

export interface RecentReplyCounts {
  toAddress: number;
  toDomain: number;
  total: number;
}

/**
 * Replies sent (or being sent) within the window: to this address, to its
 * domain, and in all — the three rate caps' counts, in one statement.
 */
export async function countRecentReplies(
  q: Queryable,
  toAddress: string,
  withinMs = 3_600_000,
): Promise<RecentReplyCounts> {
  const addr = toAddress.toLowerCase();
  const rows = await q.query<{ a: number; d: number; t: number }>(
    `select count(*) filter (where to_address = $1)::int as a,
            count(*) filter (where split_part(to_address, '@', 2) = $2)::int as d,
            count(*)::int as t
     from acks where status in ('sent', 'sending')
       and coalesce(sent_at, updated_at) > now() - ($3::double precision * interval '1 millisecond')`,
    [addr, addr.slice(addr.lastIndexOf('@') + 1), withinMs],
  );
  const r = rows[0];
  return { toAddress: r?.a ?? 0, toDomain: r?.d ?? 0, total: r?.t ?? 0 };
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

export function rowToContent(row: AckRow): AckContent {
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
