import type { Db } from '@intake/register-store';
import type { ComposedAck } from './compose-ack.js';
import { deliverAck, type DeliverAckOptions, type DeliverAckResult } from './deliver-ack.js';
import { countRecentReplies, getAck, recordSkip } from './outbox-store.js';
import { ackRecipientOf, shouldSendAck, type AckDecisionInput } from './should-send-ack.js';

export interface AcknowledgeMessageOptions extends Pick<
  DeliverAckOptions,
  'transport' | 'logger' | 'maxAttempts' | 'sendingLeaseMs' | 'applicationId'
> {
  sourceSha256: string;
  /** what shouldSendAck needs, less the count this function looks up itself */
  decision: Omit<AckDecisionInput, 'recentRepliesToSender' | 'rateCapPerHour'>;
  /** @defaultValue 5 */
  rateCapPerHour?: number;
  compose: () => Promise<ComposedAck> | ComposedAck;
}

/**
 * The automatic reply to one received message: decide once, then send once.
 * A message that already has its 'ack' row is not decided again (a reprocess
 * must not turn an earlier skip into a reply, or send a second one).
 */
export async function acknowledgeMessage(db: Db, o: AcknowledgeMessageOptions): Promise<DeliverAckResult> {
  const deliver = (): Promise<DeliverAckResult> => deliverAck(db, { ...o, kind: 'ack' });
  if (await getAck(db, o.sourceSha256, 'ack')) return deliver();
  const to = ackRecipientOf(o.decision.headers, o.decision.from);
  const recent = to ? await countRecentReplies(db, to) : 0;
  const decision = shouldSendAck({
    ...o.decision,
    recentRepliesToSender: recent,
    rateCapPerHour: o.rateCapPerHour ?? 5,
  });
  if (!decision.send) {
    const row = await recordSkip(db, {
      sourceSha256: o.sourceSha256,
      kind: 'ack',
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
