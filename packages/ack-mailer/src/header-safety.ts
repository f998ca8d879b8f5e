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
