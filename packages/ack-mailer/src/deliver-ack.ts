import type { Db } from '@intake/register-store';
import { AckRetryableError } from './ack-errors.js';
import type { ComposedAck } from './compose-ack.js';
import { SILENT_LOGGER, type AckLogger } from './logger.js';
import {
  claimForSending,
  FINAL_STATUSES,
  getAck,
  insertComposed,
  markFailed,
  markRetryable,
  markSent,
  markStored,
  rowToContent,
  type AckRow,
  type AckStatus,
} from '@intake/register-store/ack-outbox';
import { classifySmtpError } from './smtp-errors.js';
import { toOutgoingMail, type Transport } from './transport.js';

export interface DeliverAckOptions {
  sourceSha256: string;
  /** 'ack' | 'resend-<n>' | 'reminder-<date>-<code>' */
  kind: string;
  applicationId?: number | null;
  /** the source e-mail as its sender knows it: a second delivery with other bytes finds the same row */
  identityKey?: string | null;
  /** called only when the row does not exist yet; a retry sends what was stored */
  compose: () => Promise<ComposedAck> | ComposedAck;
  /** null when SMTP_URL is unset: the reply is stored, not sent */
  transport: Transport | null;
  logger?: AckLogger;
  /** after this many SMTP attempts a transient failure also ends as 'failed'; match the job's attempts @defaultValue 5 */
  maxAttempts?: number;
  /**
   * how long a 'sending' row belongs to the attempt that set it; older means
   * that process died mid-send. Keep it above one SMTP transaction (3 × the
   * 10 s timeouts) and below the job's retry backoff @defaultValue 60000
   */
  sendingLeaseMs?: number;
}

export interface DeliverAckResult {
  status: AckStatus;
  row: AckRow;
  /** true only for the call that talked SMTP successfully */
  sentNow: boolean;
}

async function loadOrCreate(db: Db, o: DeliverAckOptions): Promise<AckRow> {
  const existing = await getAck(db, o);
  if (existing) return existing;
  const ack = await o.compose();
  const { row } = await insertComposed(db, o, ack, o.transport ? 'composed' : 'stored');
  return row;
}

/**
 * Exactly once, as far as SMTP allows (README: Exactly once):
 * (a) insert-or-get the row by (source_sha256, kind) or (identity_key, kind); a final row is returned as is;
 * (b) claim it as 'sending' (attempts + 1) in its own committed statement before SMTP;
 * (c) one SMTP transaction with the stored reply and its deterministic Message-ID;
 * (d) record 'sent' with the server's reply.
 * Transient failures throw AckRetryableError; permanent ones end as 'failed'.
 */
export async function deliverAck(db: Db, o: DeliverAckOptions): Promise<DeliverAckResult> {
  const log = (o.logger ?? SILENT_LOGGER).child({ sourceSha256: o.sourceSha256, ackKind: o.kind });
  const row = await loadOrCreate(db, o);
  if (FINAL_STATUSES.has(row.status)) return { status: row.status, row, sentNow: false };
  if (!o.transport) {
    const stored = await markStored(db, row.id);
    return { status: stored.status, row: stored, sentNow: false };
  }
  const claimed = await claimForSending(db, row, o.sendingLeaseMs ?? 60_000);
  if (!claimed) {
    const now = await getAck(db, o);
    if (now && FINAL_STATUSES.has(now.status)) return { status: now.status, row: now, sentNow: false };
    throw new AckRetryableError(
      'in-progress',
      `ack ${o.kind} for ${o.sourceSha256.slice(0, 12)} is being sent by another attempt`,
    );
  }
  if (row.status === 'sending') {
    log.warn(
      { code: 'ack.unknown-outcome-resend', attempts: claimed.attempts },
      'a previous attempt died while sending; sending again with the same Message-ID',
    );
  }
  return sendClaimed(db, claimed, o.transport, o.maxAttempts ?? 5, log);
}

async function sendClaimed(
  db: Db,
  claimed: AckRow,
  transport: Transport,
  maxAttempts: number,
  log: AckLogger,
): Promise<DeliverAckResult> {
  let response: string;
  try {
    const info = await transport.sendMail(toOutgoingMail(rowToContent(claimed)));
    response = info.response ?? 'accepted';
  } catch (err) {
    const f = classifySmtpError(err);
    if (f.permanent || claimed.attempts >= maxAttempts) {
      const reason = f.permanent ? f.reason : `gave up after ${claimed.attempts} attempts: ${f.reason}`;
      const failed = await markFailed(db, claimed.id, reason, f.responseCode === null ? null : String(f.responseCode));
      log.error({ code: 'ack.failed', err, attempts: claimed.attempts }, 'acknowledgment could not be sent');
      return { status: failed.status, row: failed, sentNow: false };
    }
    const note = f.outcomeUnknown
      ? `${f.reason} (the server may have accepted it; the retry reuses the Message-ID)`
      : f.reason;
    await markRetryable(db, claimed.id, note);
    // one log line per retry: whoever retries (the job runner) logs this error with its attempt count
    throw new AckRetryableError('smtp-transient', `acknowledgment send failed: ${note}`, err);
  }
  // from here until markSent commits, a crash leaves 'sending' on a reply the server accepted (README)
  const sent = await markSent(db, claimed.id, response);
  log.info({ code: 'ack.sent', to: sent.to_address, attempts: sent.attempts }, 'acknowledgment sent');
  return { status: 'sent', row: sent, sentNow: true };
}
