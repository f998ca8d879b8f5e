import type { Queryable } from './db.js';

/** What the register says about a message's acknowledgment reply. */
export interface AckSummary {
  status: 'sent' | 'stored' | 'skipped';
  at: string | null;
  reason: string | null;
  /** the outbox's own status: composed/sending (pending) and failed are reported as stored */
  outboxStatus: string;
}

interface AckRow {
  source_sha256: string;
  status: string;
  skip_reason: string | null;
  skip_detail: string | null;
  last_error: string | null;
  sent_at: string | null;
  updated_at: string | null;
  created_at: string | null;
}

/**
 * The outbox (`acks`, migration 003 of @intake/ack-mailer) may be absent: the
 * register then reports no replies instead of failing. Rows are read as
 * to_jsonb so a column added or missing there does not break this query.
 */
export async function loadAckSummaries(q: Queryable, sha256s: string[]): Promise<Map<string, AckSummary>> {
  const out = new Map<string, AckSummary>();
  if (sha256s.length === 0) return out;
  const present = await q.query<{ t: string | null }>(`select to_regclass('acks')::text as t`);
  if (!present[0]?.t) return out;
  const rows = await q.query<{ a: AckRow }>(
    `select to_jsonb(x) as a from acks x where x.kind = 'ack' and x.source_sha256 = any($1::text[])`,
    [sha256s],
  );
  for (const { a } of rows) out.set(a.source_sha256, summariseAck(a));
  return out;
}

export function summariseAck(a: AckRow): AckSummary {
  const at = a.sent_at ?? a.updated_at ?? a.created_at ?? null;
  const iso = at ? new Date(at).toISOString() : null;
  switch (a.status) {
    case 'sent':
      return {
        status: 'sent',
        at: a.sent_at ? new Date(a.sent_at).toISOString() : iso,
        reason: null,
        outboxStatus: a.status,
      };
    case 'stored':
      return {
        status: 'stored',
        at: iso,
        reason: a.skip_reason ?? 'no SMTP_URL: reply composed and stored, not sent',
        outboxStatus: a.status,
      };
    case 'skipped':
      return {
        status: 'skipped',
        at: iso,
        reason: [a.skip_reason, a.skip_detail].filter(Boolean).join(': ') || null,
        outboxStatus: a.status,
      };
    case 'failed':
      return {
        status: 'stored',
        at: iso,
        reason: `failed: ${a.last_error ?? 'unknown error'}`,
        outboxStatus: a.status,
      };
    default:
      return { status: 'stored', at: iso, reason: `pending: ${a.status}, not sent yet`, outboxStatus: a.status };
  }
}
