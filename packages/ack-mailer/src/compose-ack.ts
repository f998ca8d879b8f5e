import type { AckContent } from '@intake/register-store/ack-outbox';
import { AppError, formatInZone } from '@intake/domain';
import { ZAckContext, ZReminderContext, type TAckContextInput, type TReminderContextInput } from './ack-context.js';
import { extractAddress, normalizeMessageId, quoteSubject, toHeaderValue, toSingleLine } from './header-safety.js';
import { LOOP_GUARD_HEADER } from './loop-guard.js';
import { buildOurMessageId } from './message-id.js';
import { buildAckView, buildApplicationStateView, requiredWordings, zoneLabel } from './ack-view.js';
import { renderTemplate } from './templates.js';
import { buildReceiptOnlyView } from './receipt-only-view.js';

/**
 * A reply ready for the outbox and the transport; every header value is clean. The outbox's own
 * stored shape (register-store owns the acks table): what is composed is exactly what is kept.
 */
export type ComposedAck = AckContent;

export interface ComposeOptions {
  /** ACK_FROM */
  from: string;
  /** staff-edited templates; files missing there fall back to the built-in ones */
  templateDir?: string;
  /** @defaultValue the context's timezone */
  timezone?: string;
  /** 'ack' | 'resend-<n>' — part of the deterministic Message-ID @defaultValue 'ack' (or 'resend-1' when ctx.resend is set) */
  kind?: string;
}

/** a References header longer than this only grows with every round trip */
const MAX_REFERENCES = 20;
const RECEIPT_TAG = /\s*\[受理编号[^\]]*\]\s*/g;
const REPLY_PREFIX = /^\s*((re|回复|答复|aw|sv)\s*[:：]\s*)+/i;

/**
 * `Re: <original> [受理编号 …]`; never `Re: Re:`, never two receipt tags. Without a receipt
 * number (a receipt-only reply) `Re: <original>（收件回执）`. The original is quoted short, links
 * neutralised: a stranger's subject must not turn our reply into their advertisement.
 */
export function buildAckSubject(originalSubject: string, receiptNo: string | null, suffix = ''): string {
  const bare = toSingleLine(originalSubject).replace(RECEIPT_TAG, ' ').replace(REPLY_PREFIX, '').trim();
  const base = quoteSubject(bare);
  if (receiptNo === null) return base ? `Re: ${base}（收件回执）` : '收件回执';
  const tag = `[受理编号 ${toHeaderValue(receiptNo, 40)}]${suffix}`;
  return base ? `Re: ${base} ${tag}` : `回执：${tag}`;
}

export function buildThreading(original: { messageId: string | null; references: string[] }): {
  inReplyTo: string | null;
  references: string[];
} {
  const inReplyTo = normalizeMessageId(original.messageId);
  const refs = original.references.map(normalizeMessageId).filter((r): r is string => r !== null);
  if (inReplyTo) refs.push(inReplyTo);
  return { inReplyTo, references: [...new Set(refs)].slice(-MAX_REFERENCES) };
}

function requireAddress(value: string | null | undefined, what: string): string {
  const addr = extractAddress(value);
  if (!addr)
    throw new AppError('INVALID_INPUT', {
      message: `${what} is not a usable address: ${JSON.stringify(value)}`,
      permanent: true,
    });
  return addr;
}

function loopHeaders(messageId: string, autoSubmitted: 'auto-replied' | 'auto-generated'): Record<string, string> {
  // RFC 3834 §5: Auto-Submitted marks us as a robot; Precedence is deliberately absent (the RFC says not to rely on it)
  return {
    'Auto-Submitted': autoSubmitted,
    'X-Auto-Response-Suppress': 'All',
    [LOOP_GUARD_HEADER]: messageId.slice(1, -1),
  };
}

/** The acknowledgment (回执) for one received message, or a staff resend of it. */
export function composeAck(ctxInput: TAckContextInput, opts: ComposeOptions): ComposedAck {
  const ctx = ZAckContext.parse(ctxInput);
  const from = requireAddress(opts.from, 'ACK_FROM');
  // the sender's own address, never Reply-To (issue 12.2: no relay); shouldSendAck checked it against the envelope
  const to = requireAddress(ctx.original.from, 'the sender');
  const kind = opts.kind ?? (ctx.resend ? 'resend-1' : 'ack');
  const messageId = buildOurMessageId(ctx.sourceSha256, kind, from);
  const timezone = opts.timezone ?? ctx.timezone;
  // a sender not confirmed for the applicant learns that this mail arrived, nothing about the application
  const receiptOnly = ctx.receiptOnly === true;
  const view = receiptOnly ? buildReceiptOnlyView(ctx, from, timezone) : buildAckView(ctx, from, timezone);
  const template = receiptOnly ? 'ack-receipt-only' : 'ack';
  return {
    from,
    to,
    subject: receiptOnly
      ? buildAckSubject(ctx.original.subject, null)
      : buildAckSubject(ctx.original.subject, ctx.receiptNo, ctx.resend ? '（更新）' : ''),
    text: renderTemplate(template, 'txt', view, opts.templateDir),
    html: renderTemplate(template, 'html', view, opts.templateDir),
    headers: loopHeaders(messageId, 'auto-replied'),
    ...buildThreading(ctx.original),
    messageId,
  };
}

export interface ComposeReminderOptions extends Omit<ComposeOptions, 'kind'> {
  /** the address the reminder goes to (the unit's last sender, or its known address) */
  to: string;
  /** identity of the reminder in the outbox and in its Message-ID */
  sourceSha256: string;
  kind: string;
}

/** The missing-items reminder (提醒); staff-triggered, never automatic. */
export function composeReminder(ctxInput: TReminderContextInput, opts: ComposeReminderOptions): ComposedAck {
  const ctx = ZReminderContext.parse(ctxInput);
  const from = requireAddress(opts.from, 'ACK_FROM');
  const to = requireAddress(opts.to, 'the reminder recipient');
  const messageId = buildOurMessageId(opts.sourceSha256, opts.kind, from);
  const timezone = opts.timezone ?? ctx.timezone;
  const name = toHeaderValue(ctx.applicant.name, 40);
  const view = {
    applicantName: name,
    applicationReceiptNo: ctx.applicationReceiptNo ? toHeaderValue(ctx.applicationReceiptNo, 40) : '',
    hasApplication: ctx.application !== null,
    state: ctx.application ? buildApplicationStateView(ctx.application) : null,
    deadlineLocal: formatInZone(ctx.deadline, timezone),
    timezone: zoneLabel(timezone),
    replyAddress: from,
    ...requiredWordings(),
    submitTo: toHeaderValue(ctx.submitTo),
    contact: toHeaderValue(ctx.contact, 400),
  };
  const deadline = formatInZone(ctx.deadline, timezone).slice(0, 16);
  const subject = ctx.application
    ? `提醒：${name}申报材料尚未齐全，截止时间 ${deadline}` +
      (ctx.applicationReceiptNo ? ` [受理编号 ${view.applicationReceiptNo}]` : '')
    : `提醒：尚未收到${name}的申报材料，截止时间 ${deadline}`;
  return {
    from,
    to,
    subject,
    text: renderTemplate('reminder', 'txt', view, opts.templateDir),
    html: renderTemplate('reminder', 'html', view, opts.templateDir),
    headers: loopHeaders(messageId, 'auto-generated'),
    ...(ctx.original ? buildThreading(ctx.original) : { inReplyTo: null, references: [] }),
    messageId,
  };
}
