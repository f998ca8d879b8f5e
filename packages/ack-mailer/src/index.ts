/**
 * What other packages need of the acknowledgment mailer: decide-and-send one
 * 回执 (acknowledgeMessage), the staff operations, composing for preview and
 * the transport. The outbox's state transitions stay inside (register-store's
 * `./ack-outbox`, driven only by deliverAck): a caller that stepped around
 * them could send twice.
 */
export { ZAckContext, ZReminderContext, type TAckContextInput, type TReminderContextInput } from './ack-context.js';
export { isRetryableAckError, AckRetryableError } from './ack-errors.js';
export { acknowledgeMessage, type AcknowledgeMessageOptions } from './acknowledge-message.js';
export { DEFAULT_ACK_CAPS, type AckCaps, type RecentReplies } from './ack-caps.js';
export { chooseAckRecipient, type AckRecipient } from './ack-recipient.js';
export { composeAck, buildAckSubject, type ComposedAck, type ComposeOptions } from './compose-ack.js';
export { deliverAck, type DeliverAckOptions, type DeliverAckResult } from './deliver-ack.js';
export { neutraliseLinks, quoteSubject } from './header-safety.js';
export type { AckLogger } from './logger.js';
export { LOOP_GUARD_HEADER } from './loop-guard.js';
export { isOurMessageId } from './message-id.js';
export { shouldSendAck, type AckDecision, type AckDecisionInput, type SkipReason } from './should-send-ack.js';
export {
  previewAck,
  resendAck,
  sendReminders,
  reminderSourceKey,
  type ReminderOutcome,
  type ReminderTarget,
  type ResendOptions,
  type SendRemindersOptions,
} from './staff-operations.js';
export { DEFAULT_TEMPLATE_DIR } from './templates.js';
export { createTransport, type Transport } from './transport.js';
