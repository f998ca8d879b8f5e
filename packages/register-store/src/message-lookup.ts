import type { TParsedMessage } from '@intake/domain';
import type { Queryable } from './db.js';
import type { SenderStatus } from './sender-trust.js';

export interface StoredMessage {
  id: number;
  applicationId: number;
  receiptNo: string;
  sha256: string;
  /** the message as its sender knows it (messageIdentityKey): the outbox's key */
  identityKey: string;
  receivedAt: Date;
  parsed: TParsedMessage;
  /** the address book's verdict on its sender at the last validation; null: no applicant, or not validated yet */
  senderStatus: SenderStatus | null;
}

/** A registered message by any of its raw hashes (a second byte-version of one message included). */
export async function getMessageBySha(q: Queryable, sha256: string): Promise<StoredMessage | null> {
  const rows = await q.query(
    `select id, application_id, receipt_no, sha256, identity_key, received_at, parsed, sender_status from messages
     where sha256 = $1 or $1 = any(other_sha256) limit 1`,
    [sha256],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: Number(r.id),
    applicationId: Number(r.application_id),
    receiptNo: r.receipt_no as string,
    sha256: r.sha256 as string,
    identityKey: r.identity_key as string,
    receivedAt: r.received_at as Date,
    parsed: r.parsed as TParsedMessage,
    senderStatus: (r.sender_status as SenderStatus | null) ?? null,
  };
}
