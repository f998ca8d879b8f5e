import {
  AUTO_REPLY_SUBJECT,
  BOUNCE_SUBJECT,
  DAEMON_LOCAL_PART,
  type TFlag,
  type TMailClass,
  type TMailHeaders,
} from '@intake/domain';
import { chooseAckRecipient } from './ack-recipient.js';
import { DEFAULT_ACK_CAPS, type AckCaps, type RecentReplies } from './ack-caps.js';
import { extractAddress, toHeaderValue } from './header-safety.js';
import { isOurMessageId } from './message-id.js';

export interface AckDecisionInput {
  headers: TMailHeaders;
  /** the From header (`Name <addr>` or `addr`) */
  from: string;
  messageFlags: TFlag[];
  /** ACK_FROM */
  ourAddress: string;
  /** replies sent in the last hour to the recipient, its domain and in all (the outbox's countRecentReplies) */
  recent?: RecentReplies;
  /** @defaultValue DEFAULT_ACK_CAPS */
  caps?: AckCaps;
  /** what the pipeline decided the mail is (classifyMail): only a submission gets a 回执 */
  mailClass?: TMailClass;
  /** the message's own Message-ID: one of ours means our reply came back */
  messageId?: string | null;
  subject?: string;
  /**
   * attachments in the message. A reply to one of our acks is answered only
   * when it carries files (a person sending the missing items, as the ack asks);
   * without this figure such replies are treated as conversation and skipped.
   */
  attachmentCount?: number;
}

export type SkipReason =
  | 'our-own-reply'
  | 'own-address'
  | 'reply-to-our-ack'
  | 'auto-submitted'
  | 'precedence-bulk'
  | 'list'
  | 'x-auto-response-suppress'
  | 'delivery-report'
  | 'null-return-path'
  | 'no-sender'
  | 'mailer-daemon'
  | 'noreply'
  | 'auto-reply-subject'
  | 'unverified-sender'
  | 'auto-reply'
  | 'envelope-mismatch'
  | 'rate-capped'
  | 'rate-capped-domain'
  | 'rate-capped-total';

export type AckDecision = { send: true } | { send: false; reason: SkipReason; detail: string };

type Check = (i: AckDecisionInput) => Exclude<AckDecision, { send: true }> | null;

const skip = (reason: SkipReason, detail: string) => ({ send: false as const, reason, detail });

/** X-Auto-Response-Suppress values (MS-OXCMAIL 2.2.3.2.20) that cover an automatic acknowledgment */
const SUPPRESSING = new Set(['all', 'autoreply', 'oof']);
const NOREPLY_LOCAL = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|noreply[-_.].*|.*[-_.]no[-_.]?reply)$/;

const ackRecipientFrom = (i: AckDecisionInput): string | null =>
  chooseAckRecipient({ from: i.from, headers: i.headers }).to;

const localPart = (addr: string): string => addr.slice(0, addr.lastIndexOf('@'));

/** The pipeline's classification: an auto-reply, a bounce or an answer to our reply gets no 回执. */
function notASubmission(i: AckDecisionInput): Exclude<AckDecision, { send: true }> | null {
  const c = i.mailClass;
  if (!c || c.kind === 'submission') return null;
  const reason: SkipReason =
    c.kind === 'reply' ? 'reply-to-our-ack' : c.kind === 'bounce' ? 'delivery-report' : 'auto-reply';
  return skip(reason, `${toHeaderValue(c.detail, 80)}：不是申报来件，登记为往来邮件，不发送回执`);
}

/** Per address, per domain, in total: a flood from one sender, one domain or everywhere stops replies. */
function capCheck(i: AckDecisionInput): Exclude<AckDecision, { send: true }> | null {
  const caps = i.caps ?? DEFAULT_ACK_CAPS;
  const r = i.recent ?? { toAddress: 0, toDomain: 0, total: 0 };
  if (r.toAddress >= caps.perAddress)
    return skip('rate-capped', `一小时内已向该地址发送 ${r.toAddress} 封回执（上限 ${caps.perAddress}），暂不再回复`);
  if (r.toDomain >= caps.perDomain)
    return skip(
      'rate-capped-domain',
      `一小时内已向该邮箱域名发送 ${r.toDomain} 封回执（上限 ${caps.perDomain}），暂不再回复`,
    );
  if (r.total >= caps.total)
    return skip('rate-capped-total', `一小时内已发送 ${r.total} 封回执（总上限 ${caps.total}），暂不再回复`);
  return null;
}

/** Order matters only for which reason is reported: loop guards first, then RFC 3834, then policy. */
const CHECKS: Check[] = [
  (i) =>
    (i.headers.loopGuard !== null && i.headers.loopGuard.trim() !== '') || isOurMessageId(i.messageId, i.ourAddress)
      ? skip('our-own-reply', '这是本系统发出的回执（带有回执标记），不再回复')
      : null,
  (i) => {
    const ours = extractAddress(i.ourAddress);
    const addrs = [i.from, i.headers.fromAddress, i.headers.replyTo].map(extractAddress);
    return ours && addrs.includes(ours)
      ? skip('own-address', '发件人或回复地址是本系统的回执地址，不回复以免自我循环')
      : null;
  },
  (i) => {
    const v = i.headers.autoSubmitted?.split(';')[0]?.trim().toLowerCase();
    return v && v !== 'no'
      ? skip('auto-submitted', `邮件为自动发送（Auto-Submitted: ${toHeaderValue(v, 60)}），按 RFC 3834 不回复`)
      : null;
  },
  (i) => {
    const v = i.headers.precedence?.trim().toLowerCase();
    return v && ['bulk', 'junk', 'list'].includes(v)
      ? skip('precedence-bulk', `群发/批量邮件（Precedence: ${toHeaderValue(v, 60)}），不回复`)
      : null;
  },
  (i) =>
    i.headers.listId || i.headers.listUnsubscribe
      ? skip('list', '邮件列表邮件（List-Id/List-Unsubscribe），不回复')
      : null,
  (i) => {
    const values = (i.headers.xAutoResponseSuppress ?? '').split(/[,\s]+/).map((v) => v.toLowerCase());
    return values.some((v) => SUPPRESSING.has(v))
      ? skip(
          'x-auto-response-suppress',
          `发件方要求不发送自动回复（X-Auto-Response-Suppress: ${toHeaderValue(i.headers.xAutoResponseSuppress ?? '', 60)}）`,
        )
      : null;
  },
  (i) =>
    /^\s*multipart\/report\b/i.test(i.headers.contentType ?? '')
      ? skip('delivery-report', '投递状态通知或退信（multipart/report），不回复')
      : null,
  (i) =>
    i.headers.returnPath !== null && /^\s*<\s*>\s*$/.test(i.headers.returnPath)
      ? skip('null-return-path', '退信或系统通知（空 Return-Path），不回复')
      : null,
  (i) => {
    const r = chooseAckRecipient({ from: i.from, headers: i.headers });
    return r.to === null ? skip(r.reason, r.detail) : null;
  },
  (i) => {
    const addrs = [ackRecipientFrom(i), extractAddress(i.headers.replyTo)].filter((a): a is string => a !== null);
    if (addrs.some((a) => DAEMON_LOCAL_PART.test(localPart(a))))
      return skip('mailer-daemon', '发件人为邮件系统（MAILER-DAEMON/postmaster），不回复');
    return addrs.some((a) => NOREPLY_LOCAL.test(localPart(a)))
      ? skip('noreply', '发件地址为“不接收回复”地址（noreply），不回复')
      : null;
  },
  (i) =>
    i.subject && (AUTO_REPLY_SUBJECT.test(i.subject) || BOUNCE_SUBJECT.test(i.subject))
      ? skip('auto-reply-subject', '主题显示这是自动回复/外出通知，不回复')
      : null,
  (i) => {
    const refs = [i.headers.inReplyTo, ...i.headers.references];
    const toOurs = refs.some((r) => isOurMessageId(r, i.ourAddress));
    return toOurs && (i.attachmentCount ?? 0) === 0
      ? skip('reply-to-our-ack', '这是对本系统回执的回复且没有附件，不再自动回复（如需处理请人工跟进）')
      : null;
  },
  (i) =>
    i.messageFlags.some((f) => f.code === 'UNVERIFIED_SENDER')
      ? skip('unverified-sender', '发件人未通过 SPF/DKIM/DMARC 验证，不自动回复（可能是伪造的发件地址）')
      : null,
  notASubmission,
  capCheck,
];

/**
 * RFC 3834 and our own loop guards as one pure decision. Anything that looks
 * like a robot, a list, a bounce or our own mail gets no reply: helpdesks'
 * worst complaint is two auto-responders talking to each other.
 */
export function shouldSendAck(input: AckDecisionInput): AckDecision {
  for (const check of CHECKS) {
    const out = check(input);
    if (out) return out;
  }
  return { send: true };
}
