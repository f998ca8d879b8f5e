import { z } from 'zod';
import { findHeaderBlockEnd } from './header-block.js';

/**
 * What kind of mail reached the desk (CONTRACT, last section). Only a
 * submission sets an application's receipt times, counts for MISSING_* and
 * gets a 回执; auto-replies, out-of-office notices, bounces and answers to our
 * 回执 ("收到，谢谢") are listed with the application they refer to.
 */
export const MAIL_KINDS = ['submission', 'auto-reply', 'bounce', 'reply'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const ZMailClass = z.object({
  kind: z.enum(MAIL_KINDS),
  /** a short code for what decided it (auto-submitted, delivery-report, reply-to-ack, …) */
  reason: z.string(),
  /** the same in words, for staff and the register (Chinese) */
  detail: z.string(),
  /** Message-IDs it refers to, most specific first: a bounce's reported Message-ID, In-Reply-To, References newest first */
  refersTo: z.array(z.string()),
});
export type TMailClass = z.infer<typeof ZMailClass>;

export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  submission: '申报来件',
  'auto-reply': '自动回复',
  bounce: '退信',
  reply: '对回执的答复',
};

export interface MailClassInput {
  /** the parsed message's headers (TMailHeaders) that matter here */
  headers: {
    inReplyTo: string | null;
    references: string[];
    autoSubmitted: string | null;
    precedence: string | null;
    returnPath: string | null;
    loopGuard: string | null;
    contentType: string | null;
    xAutoreply?: string | null;
    xAutorespond?: string | null;
    fromAddress?: string | null;
  };
  /** the From header (`Name <addr>` or `addr`) */
  from: string;
  subject: string;
  /** the message's own Message-ID */
  messageId: string | null;
  /** attachments or project rows: what a person sends when they mean to submit something */
  hasContent: boolean;
  /** Message-IDs a delivery report names (the bounced mail's own): reportedMessageIds(raw) */
  reportedMessageIds?: readonly string[];
  /** which referenced Message-IDs the register knows (one of our replies, or a registered submission) */
  knownReferences?: ReadonlySet<string>;
  /** true for a Message-ID our replies carry (ack-mailer's isOurMessageId bound to ACK_FROM) */
  isOurMessageId?: (id: string) => boolean;
}

export const DAEMON_LOCAL_PART = /^(mailer-daemon|mailerdaemon|mail-daemon|postmaster|mail\.?delivery\.?system)$/i;
/** subjects of delivery failures: Postfix, Exchange, Coremail/163/QQ (退信), Gmail, Lotus */
export const BOUNCE_SUBJECT =
  /^\s*(undeliverable|undelivered mail|delivery status notification|mail delivery (failed|failure|subsystem)|delivery failure|returned mail|failure notice|系统退信|退信|邮件退信|投递失败|邮件投递失败|无法投递|未能送达|发送失败通知)/i;
/** out-of-office and auto-answer subjects: Outlook/Exchange (zh and en), Coremail, 163, QQ, Lotus (Auto:) */
export const AUTO_REPLY_SUBJECT =
  /^\s*(自动回复|自动答复|自动回覆|自動回覆|自動回复|auto\s*:|auto(matic)?[ -]?(reply|response|answer)|autoreply|out of (the )?office|ooo\s*:|外出通知|休假通知)/i;
const AUTO_PRECEDENCE = new Set(['bulk', 'junk', 'auto_reply', 'auto-reply']);

const addressOf = (v: string | null | undefined): string | null => {
  if (!v) return null;
  const m = /<([^<>\s]*@[^<>\s]*)>/.exec(v) ?? /([^\s<>"',;]+@[^\s<>"',;]+)/.exec(v);
  return m?.[1]?.toLowerCase() ?? null;
};
const localPart = (addr: string): string => addr.slice(0, addr.lastIndexOf('@'));

/** In-Reply-To first, then References newest first (the last one is the direct parent). */
function threadRefs(h: MailClassInput['headers']): string[] {
  return [...(h.inReplyTo ? [h.inReplyTo] : []), ...[...h.references].reverse()];
}

const uniq = (xs: string[]): string[] => [...new Set(xs.map((x) => x.trim()).filter((x) => x.length > 0))];

function bounceOf(i: MailClassInput): { reason: string; detail: string } | null {
  const ct = i.headers.contentType ?? '';
  if (/^\s*multipart\/report\b/i.test(ct) && !/report-type\s*=\s*"?disposition-notification/i.test(ct))
    return { reason: 'delivery-report', detail: '投递状态通知或退信（multipart/report）' };
  const from = addressOf(i.headers.fromAddress) ?? addressOf(i.from);
  if (from && DAEMON_LOCAL_PART.test(localPart(from)))
    return { reason: 'mailer-daemon', detail: '发件人为邮件系统（MAILER-DAEMON/postmaster）' };
  if (BOUNCE_SUBJECT.test(i.subject)) return { reason: 'bounce-subject', detail: '主题显示这是退信/投递失败通知' };
  return null;
}

function autoReplyOf(i: MailClassInput): { reason: string; detail: string } | null {
  const h = i.headers;
  if ((h.loopGuard !== null && h.loopGuard.trim() !== '') || (i.messageId && i.isOurMessageId?.(i.messageId)))
    return { reason: 'our-own-reply', detail: '这是本系统发出的回执' };
  const auto = h.autoSubmitted?.split(';')[0]?.trim().toLowerCase();
  if (auto && auto !== 'no') return { reason: 'auto-submitted', detail: `自动发送的邮件（Auto-Submitted: ${auto}）` };
  if (h.xAutoreply?.trim() || h.xAutorespond?.trim())
    return { reason: 'x-autoreply', detail: '自动回复（X-Autoreply/X-Autorespond）' };
  const prec = h.precedence?.trim().toLowerCase();
  if (prec && AUTO_PRECEDENCE.has(prec))
    return { reason: 'precedence', detail: `自动或批量邮件（Precedence: ${prec}）` };
  if (/^\s*multipart\/report\b/i.test(h.contentType ?? ''))
    return { reason: 'read-receipt', detail: '已读回执（disposition-notification）' };
  if (AUTO_REPLY_SUBJECT.test(i.subject))
    return { reason: 'auto-reply-subject', detail: '主题显示这是自动回复/外出通知' };
  if (h.returnPath !== null && /^\s*<\s*>\s*$/.test(h.returnPath))
    return { reason: 'null-return-path', detail: '系统通知（空的信封发件人）' };
  return null;
}

/**
 * The one decision of what a mail is; pure, so every rule has a table test.
 * Bounces are never submissions. Auto-replies are not, unless they carry
 * files (an automatic forward of a real submission keeps its documents). An
 * answer that names our reply or a registered submission and carries nothing
 * is correspondence; with files it is a submission (the missing items sent
 * as the 回执 asked).
 */
export function classifyMail(i: MailClassInput): TMailClass {
  const refs = threadRefs(i.headers);
  const bounce = bounceOf(i);
  if (bounce) return { kind: 'bounce', ...bounce, refersTo: uniq([...(i.reportedMessageIds ?? []), ...refs]) };
  const auto = autoReplyOf(i);
  if (auto && !i.hasContent) return { kind: 'auto-reply', ...auto, refersTo: uniq(refs) };
  const known = refs.filter((r) => i.isOurMessageId?.(r) || i.knownReferences?.has(r));
  if (known.length > 0 && !i.hasContent) {
    const toOurs = known.some((r) => i.isOurMessageId?.(r));
    return {
      kind: 'reply',
      reason: toOurs ? 'reply-to-ack' : 'reply-to-submission',
      detail: toOurs ? '对本系统回执的答复，未附材料' : '对已登记来件的答复，未附材料',
      refersTo: uniq(refs),
    };
  }
  return {
    kind: 'submission',
    reason: auto ? `${auto.reason}-with-files` : 'submission',
    detail: auto ? `${auto.detail}，但附有材料，按来件登记` : '申报来件',
    refersTo: uniq(refs),
  };
}

/**
 * Message-IDs a delivery report names: the Message-ID lines of the returned
 * headers (text/rfc822-headers or message/rfc822 part), i.e. those after the
 * top-level header block. Looks at most `limit` characters in.
 */
export function reportedMessageIds(raw: string, limit = 256 * 1024): string[] {
  const bounds = findHeaderBlockEnd(raw, limit);
  if (!bounds) return [];
  const body = raw.slice(bounds.bodyStart, limit);
  const out: string[] = [];
  for (const m of body.matchAll(/^(?:original-)?message-id:[ \t]*(<[^<>\s]+>)/gim)) out.push(m[1]!);
  return uniq(out);
}
