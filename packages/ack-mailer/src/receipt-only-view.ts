import { formatInZone } from '@intake/domain';
import type { TAckContext } from './ack-context.js';
import { zoneLabel } from './ack-view.js';
import { toSingleLine } from './header-safety.js';

const clean = (s: string | null | undefined): string => (s ? toSingleLine(s) : '');

/**
 * The view of a receipt-only reply (a sender not confirmed for the applicant,
 * issue 12.1): built from this mail alone — its time, its subject and its
 * file names, all the sender's own — so no template, built-in or edited, can
 * show an application's receipt number, figures, missing items, applicant or cluster.
 */
export function buildReceiptOnlyView(
  ctx: TAckContext,
  ackRecipient: string,
  timezone: string,
): Record<string, unknown> {
  const attachments = ctx.attachments.map((a, idx) => ({
    index: idx + 1,
    filename: clean(a.path || a.filename) || '（无文件名）',
  }));
  return {
    receivedAtLocal: formatInZone(ctx.receivedAt, timezone),
    timezone: zoneLabel(timezone),
    subject: clean(ctx.original.subject) || '（无主题）',
    attachments,
    attachmentCount: attachments.length,
    hasAttachments: attachments.length > 0,
    ackRecipient,
    submitTo: clean(ctx.submitTo),
    contact: clean(ctx.contact),
  };
}
