/**
 * Everything an email supplies (subject, file names, sender name, Message-IDs)
 * is hostile until cleaned: a CR/LF in a header value would let a sender add
 * "Bcc:" lines to our reply. These helpers are the only way untrusted text
 * reaches a header.
 */

// C0 controls (CR, LF and TAB included), DEL, C1 controls, and the Unicode line/paragraph separators
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line of display text: control characters become a space, runs of space collapse. */
export function toSingleLine(value: string): string {
  return value
    .replace(CONTROL_CHARS, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** A header value we write: one line, bounded so a hostile subject cannot bloat the reply. */
export function toHeaderValue(value: string, maxLength = 200): string {
  const line = toSingleLine(value);
  return line.length > maxLength ? line.slice(0, maxLength - 1) + '…' : line;
}

// an addr-spec without comments, quotes or groups: all our replies need
const ADDR_SPEC = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

/**
 * The bare address out of `Name <a@b>` or `a@b` (first one of a list), lower-cased,
 * or null when there is none we would dare send to.
 */
export function extractAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  const line = toSingleLine(value);
  const angle = /<([^<>]*)>/.exec(line);
  const candidate = (angle ? angle[1] : line.split(',')[0])?.trim().toLowerCase() ?? '';
  return ADDR_SPEC.test(candidate) ? candidate : null;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

const MSG_ID = /^<[^<>\s"\\]+@[^<>\s"\\]+>$/;

/** `<id@host>` from `<id@host>` or `id@host`; null for anything that would need quoting. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = toSingleLine(value);
  const bracketed = v.startsWith('<') ? v : `<${v}>`;
  return MSG_ID.test(bracketed) ? bracketed : null;
}

/**
 * Top-level domains mail clients turn into links when written bare
 * ("evil.com"): every two-letter country code, and the generic ones common
 * enough to be on clients' lists. File names ("请示.pdf", "附件2.xlsx") stay
 * as written; ".zip"/".mov" are real TLDs, so those names get defanged too.
 */
const LINKIFIED_TLDS = new Set(
  (
    'com net org info biz name pro xyz top site online store shop club vip app dev io me co tv cc ws mobi asia tel ' +
    'zip mov link click live work email cloud icu cyou buzz fun space website tech life world today news ltd group ' +
    'gov edu mil int'
  ).split(' '),
);
const HOSTISH = /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}\b/gi;

/**
 * Text we echo from a mail, with nothing a client would make clickable: URL
 * schemes broken (`hxxp[:]//`), `www.` and bare domains with a linkified
 * top-level domain written with `[.]` (the usual "defanged" form). Our reply
 * must never carry a stranger's link to the stranger's chosen recipient.
 */
export function neutraliseLinks(text: string): string {
  return text
    .replace(/\b(h)(tt)(ps?)(?=\s*[:：]\s*\/\/)/gi, (_m, h: string, _t: string, p: string) => `${h}xx${p}`)
    .replace(/\b([a-z][a-z0-9+.-]{1,15})\s*[:：]\s*\/\//gi, '$1[:]//')
    .replace(HOSTISH, (host: string) =>
      // any label after the first may end a domain: "evil.com.pdf" is a link to evil.com to some clients
      /^www\./i.test(host) ||
      host
        .split('.')
        .slice(1)
        .some((l) => (l.length === 2 && /^[a-z]+$/i.test(l)) || LINKIFIED_TLDS.has(l.toLowerCase()))
        ? host.replace(/\./g, '[.]')
        : host,
    );
}

/**
 * The part of a sender's subject we quote back (reply subject, 回执 body): one
 * line, at most `maxLength` characters, links neutralised. Enough to
 * recognise one's own mail; too little to carry a spammer's message.
 */
export function quoteSubject(subject: string, maxLength = 60): string {
  return neutraliseLinks(toHeaderValue(subject, maxLength));
}
