import type { Queryable } from '../db.js';
import type { AckRow } from './ack-row.js';

/** What the register says about a message's acknowledgment reply. */
export interface AckSummary {
  status: 'sent' | 'stored' | 'skipped';
  at: string | null;
  reason: string | null;
  /** the outbox's own status: composed/sending (pending) and failed are reported as stored */
  outboxStatus: string;
}

type SummaryFields = Pick<
  AckRow,
  'status' | 'skip_reason' | 'skip_detail' | 'last_error' | 'sent_at' | 'updated_at' | 'created_at'
>;

/** The automatic replies ('ack' rows) of these messages, by the message's registered sha256. */
export async function loadAckSummaries(q: Queryable, sha256s: string[]): Promise<Map<string, AckSummary>> {
  const out = new Map<string, AckSummary>();
  if (sha256s.length === 0) return out;
  const rows = await q.query<SummaryFields & { source_sha256: string }>(
    `select source_sha256, status, skip_reason, skip_detail, last_error, sent_at, updated_at, created_at
     from acks where kind = 'ack' and source_sha256 = any($1::text[])`,
    [sha256s],
  );
  for (const a of rows) out.set(a.source_sha256, summariseAck(a));
  return out;
}

const isoOf = (d: Date | string | null): string | null => (d ? new Date(d).toISOString() : null);

/** `messages[].ack` of the register JSON (CONTRACT.md): sent | stored | skipped, with why. */
export function summariseAck(a: SummaryFields): AckSummary {
  const iso = isoOf(a.sent_at) ?? isoOf(a.updated_at) ?? isoOf(a.created_at);
  switch (a.status) {
    case 'sent':
      return { status: 'sent', at: iso, reason: null, outboxStatus: a.status };
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

export interface AckText {
  subject: string | null;
  text: string | null;
  toAddress: string | null;
}

/** The acknowledgment replies' texts by source message (the dashboard's message page). */
export async function loadAckTexts(q: Queryable, sha256s: string[]): Promise<Map<string, AckText>> {
  const out = new Map<string, AckText>();
  if (sha256s.length === 0) return out;
  const rows = await q.query<Pick<AckRow, 'source_sha256' | 'subject' | 'text_body' | 'to_address'>>(
    `select source_sha256, subject, text_body, to_address from acks where kind = 'ack' and source_sha256 = any($1::text[])`,
    [sha256s],
  );
  for (const r of rows) out.set(r.source_sha256, { subject: r.subject, text: r.text_body, toAddress: r.to_address });
  return out;
}
