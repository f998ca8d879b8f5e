import { extractAddress } from './header-safety.js';

export type AckRecipient =
  | { to: string; reason?: undefined; detail?: undefined }
  | { to: null; reason: 'no-sender' | 'envelope-mismatch'; detail: string };

/** `a+tag@x` and `a@x` are one mailbox (sub-addressing); everything else must match exactly. */
function sameMailbox(a: string, b: string): boolean {
  const strip = (s: string) => {
    const at = s.lastIndexOf('@');
    return s.slice(0, at).replace(/\+.*$/, '') + s.slice(at);
  };
  return a === b || strip(a) === strip(b);
}

/**
 * Where the 回执 goes (issue 12.2: never a relay): the sender's own From
 * address, never Reply-To (which lets a stranger aim our reply at anyone).
 * Where our receiving server recorded the envelope sender (Return-Path), it
 * must agree with From; a mail whose envelope names someone else gets no reply
 * and the reason is kept. A null Return-Path (bounces) is a separate rule.
 */
export function chooseAckRecipient(i: {
  from: string;
  headers: { fromAddress: string | null; returnPath: string | null };
}): AckRecipient {
  const from = extractAddress(i.from) ?? extractAddress(i.headers.fromAddress);
  if (!from) return { to: null, reason: 'no-sender', detail: '没有可回复的有效发件地址' };
  const rp = i.headers.returnPath?.trim();
  if (!rp || /^<\s*>$/.test(rp)) return { to: from };
  const envelope = extractAddress(rp);
  if (envelope && sameMailbox(envelope, from)) return { to: from };
  return {
    to: null,
    reason: 'envelope-mismatch',
    detail: '发件人地址（From）与信封发件人（Return-Path）不一致，可能是冒用他人地址，不自动回复',
  };
}
