/**
 * Text from a mail can hold anything a sender's client put there: NUL bytes
 * in a raw header, form feeds in a body, half of a surrogate pair from a
 * broken decoder. JSON can carry them, but PostgreSQL text and jsonb refuse
 * NUL and lone surrogates, and a terminal acts on control characters; the
 * per-message JSON therefore holds none of them (tab, CR and LF stay).
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanString(s: string): string {
  return s.replace(CONTROL, '').replace(LONE_SURROGATE, '\ufffd');
}

/** A copy of `value` with every string cleaned (plain objects and arrays only: the parsed-message JSON). */
export function cleanStrings<T>(value: T): T {
  if (typeof value === 'string') return cleanString(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => cleanStrings(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cleanStrings(v);
    return out as T;
  }
  return value;
}
