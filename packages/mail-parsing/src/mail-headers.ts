import type { TMailHeaders } from '@intake/domain';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { RawHeaders } from './raw-headers.js';

/** Our own replies carry this header; a message that has it is our reply coming back. */
export const LOOP_GUARD_HEADER = 'X-Intake-Loop';

function addressesOf(v: AddressObject | AddressObject[] | undefined): string[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.flatMap((o) => o.value).flatMap((a) => (a.address ? [a.address] : []));
}

function messageIds(v: string | string[] | undefined): string[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.flatMap((s) => s.match(/<[^<>\s]+>/g) ?? (s.trim() ? [s.trim()] : []));
}

/** Display name from a decoded From value (`"张三" <a@b>` → 张三). */
function displayNameOf(from: string): string | null {
  const lt = from.lastIndexOf('<');
  if (lt <= 0) return null;
  const name = from
    .slice(0, lt)
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .replace(/\\(.)/g, '$1')
    .trim();
  return name || null;
}

/** From's name, decoded from the raw bytes when they were raw 8-bit (mailparser mangles those). */
export function senderName(parsed: ParsedMail, raw: RawHeaders): string | null {
  const parsedName = parsed.from?.value[0]?.name.trim() || null;
  if (!raw.hasRaw8bit('from') && !parsedName?.includes('\uFFFD')) return parsedName;
  const decoded = raw.first('from');
  return (decoded && displayNameOf(decoded)) ?? parsedName;
}

export function senderAddress(parsed: ParsedMail): string | null {
  return parsed.from?.value[0]?.address?.toLowerCase() ?? null;
}

/** `name <addr>` as the per-message JSON shows it. */
export function formatFrom(name: string | null, address: string | null): string {
  if (name && address) return `${name} <${address}>`;
  return address ?? name ?? '';
}

/** Subject, from the raw bytes when mailparser could not decode them. */
export function subjectOf(parsed: ParsedMail, raw: RawHeaders): string {
  const parsedSubject = parsed.subject ?? '';
  if (!raw.hasRaw8bit('subject') && !parsedSubject.includes('\uFFFD')) return parsedSubject.trim();
  return raw.first('subject') ?? parsedSubject.trim();
}

export function buildMailHeaders(parsed: ParsedMail, raw: RawHeaders): TMailHeaders {
  const first = (k: string): string | null => raw.first(k);
  return {
    replyTo: parsed.replyTo?.value[0]?.address ?? null,
    fromAddress: senderAddress(parsed),
    fromName: senderName(parsed, raw),
    to: addressesOf(parsed.to),
    dateHeader: first('date'),
    inReplyTo: parsed.inReplyTo ?? null,
    references: messageIds(parsed.references),
    autoSubmitted: first('auto-submitted'),
    precedence: first('precedence'),
    listId: first('list-id'),
    listUnsubscribe: first('list-unsubscribe'),
    xAutoResponseSuppress: first('x-auto-response-suppress'),
    authenticationResults: raw.all('authentication-results'),
    returnPath: first('return-path'),
    loopGuard: first(LOOP_GUARD_HEADER),
    contentType: first('content-type'),
    xAutoreply: first('x-autoreply'),
    xAutorespond: first('x-autorespond'),
  };
}
