import type { Db } from '@intake/register-store';
import { countRecentReplies, getAck, recordSkip } from '@intake/register-store/ack-outbox';
import type { AckCaps } from './ack-caps.js';
import { chooseAckRecipient } from './ack-recipient.js';
import type { ComposedAck } from './compose-ack.js';
import { deliverAck, type DeliverAckOptions, type DeliverAckResult } from './deliver-ack.js';
import { shouldSendAck, type AckDecisionInput } from './should-send-ack.js';

export interface AcknowledgeMessageOptions extends Pick<
  DeliverAckOptions,
  'transport' | 'logger' | 'maxAttempts' | 'sendingLeaseMs' | 'applicationId'
> {
  /** the registered message's raw sha256 (its first delivery) */
  sourceSha256: string;
  /**
   * the message as its sender knows it (the register's identity key): every
   * delivery of one e-mail, whatever its bytes, shares one 回执
   */
  identityKey: string;
  /** what shouldSendAck needs, less the counts this function looks up itself */
  decision: Omit<AckDecisionInput, 'recent' | 'caps'>;
  /** @defaultValue DEFAULT_ACK_CAPS */
  caps?: AckCaps;
  compose: () => Promise<ComposedAck> | ComposedAck;
}

/**
 * The automatic reply to one received message: decide once, then send once.
 * A message that already has its 'ack' row (by its bytes or by its identity)
 * is not decided again: a reprocess must not turn an earlier skip into a
 * reply, and a second delivery of the same e-mail must not get a second one.
 */
export async function acknowledgeMessage(db: Db, o: AcknowledgeMessageOptions): Promise<DeliverAckResult> {
  const key = { sourceSha256: o.sourceSha256, kind: 'ack', identityKey: o.identityKey };
  const deliver = (): Promise<DeliverAckResult> => deliverAck(db, { ...o, ...key });
  if (await getAck(db, key)) return deliver();
  const to = chooseAckRecipient({ from: o.decision.from, headers: o.decision.headers }).to;
  const recent = to ? await countRecentReplies(db, to) : { toAddress: 0, toDomain: 0, total: 0 };
  const decision = shouldSendAck({ ...o.decision, recent, ...(o.caps ? { caps: o.caps } : {}) });
  if (!decision.send) {
    const row = await recordSkip(db, {
      ...key,
      applicationId: o.applicationId ?? null,
      toAddress: to,
      reason: decision.reason,
      detail: decision.detail,
    });
    o.logger?.info({ code: 'ack.skipped', reason: decision.reason }, 'no automatic reply');
    return { status: row.status, row, sentNow: false };
  }
  return deliver();
}
