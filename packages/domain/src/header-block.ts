/**
 * Where an RFC 822 header block ends: at the first empty line. Mail in the
 * wild mixes line ends (CRLF headers with an LF blank line, bare-LF mail from
 * Unix tools, a lone CR before the LF), so "\r\n\r\n" or "\n\n" alone each
 * miss real messages; this is the one place that decides it.
 */
export interface HeaderBlockBounds {
  /** offset where the header block's text ends (its last line break excluded) */
  headerEnd: number;
  /** offset where the body begins (after the empty line) */
  bodyStart: number;
}

const LF = 0x0a;
const CR = 0x0d;

function codeAt(data: Uint8Array | string, i: number): number {
  return typeof data === 'string' ? data.charCodeAt(i) : (data[i] ?? Number.NaN);
}

/** Length of the line break starting at `i` (CRLF, LF or CR LF-less at the end), 0 when none. */
function breakLength(data: Uint8Array | string, i: number): number {
  const c = codeAt(data, i);
  if (c === LF) return 1;
  if (c === CR && codeAt(data, i + 1) === LF) return 2;
  return 0;
}

/**
 * The bounds of the header block of `data` (bytes, or a latin1 string of
 * them), looking at most `limit` characters in. Null when no empty line is
 * found there: the caller decides whether the whole is a header block.
 */
export function findHeaderBlockEnd(
  data: Uint8Array | string,
  limit = Number.POSITIVE_INFINITY,
): HeaderBlockBounds | null {
  const n = Math.min(data.length, limit);
  // a message that starts with an empty line has no headers at all
  const first = breakLength(data, 0);
  if (first > 0) return { headerEnd: 0, bodyStart: first };
  for (let i = 0; i < n; i++) {
    const brk = breakLength(data, i);
    if (brk === 0) continue;
    const next = breakLength(data, i + brk);
    if (next > 0) return { headerEnd: i, bodyStart: i + brk + next };
    i += brk - 1;
  }
  return null;
}

/**
 * The header block's text as a latin1 string (one char per byte), looking at
 * most `limit` bytes in; the first `fallbackBytes` bytes when it never ends there.
 */
export function headerBlockText(data: Uint8Array, limit = Number.POSITIVE_INFINITY, fallbackBytes = 64 * 1024): string {
  const bounds = findHeaderBlockEnd(data, limit);
  const end = bounds ? bounds.headerEnd : Math.min(data.length, limit, fallbackBytes);
  return Buffer.from(data.buffer, data.byteOffset, end).toString('latin1');
}
