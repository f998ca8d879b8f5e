import { randomBytes } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { MIME_OPTIONS } from './mime-options.js';

/**
 * mailparser decodes a base64 attachment line by line into ~57-byte chunks
 * and joins them at the end: a 50 MB PDF costs it ~400 MB at the peak. Large
 * base64 attachment bodies are therefore decoded here in one pass into one
 * Buffer of the exact size, and mailparser reads the message with a short
 * placeholder in their place; the decoded bytes are put back into its
 * attachment list afterwards. Everything else (headers, structure, names,
 * text bodies) is still mailparser's reading.
 */

/** Messages smaller than this are parsed as they are. */
export const LIFT_MIN_MESSAGE_BYTES = 256 * 1024;
/** Encoded bodies at least this long are lifted out. */
export const LIFT_MIN_PART_BYTES = 32 * 1024;
/** Header blocks longer than this are not examined (no real part header is). */
const MAX_HEADER_BLOCK = 64 * 1024;

const PLACEHOLDER_PREFIX = 'intake-lifted-part/';

export interface LiftedMessage {
  /** the message with each lifted body replaced by a placeholder */
  raw: Buffer;
  /** placeholder text → decoded body */
  parts: Map<string, Buffer>;
}

interface Span {
  start: number;
  end: number;
  chars: number;
}

/** simpleParser with large base64 attachment bodies decoded here; the plain way when anything does not line up. */
export async function parseMimeLifting(raw: Buffer): Promise<ParsedMail> {
  const lifted = liftLargeParts(raw);
  if (lifted.parts.size === 0) return simpleParser(raw, MIME_OPTIONS);
  const parsed = await simpleParser(lifted.raw, MIME_OPTIONS);
  if (restoreLiftedParts(parsed, lifted.parts)) return parsed;
  // a lifted body did not come back as an attachment (mailparser saw the structure otherwise)
  return simpleParser(raw, MIME_OPTIONS);
}

export function liftLargeParts(
  raw: Buffer,
  minMessageBytes = LIFT_MIN_MESSAGE_BYTES,
  minPartBytes = LIFT_MIN_PART_BYTES,
): LiftedMessage {
  const parts = new Map<string, Buffer>();
  if (raw.length < minMessageBytes) return { raw, parts };
  const spans = findLiftableSpans(raw, minPartBytes);
  if (spans.length === 0) return { raw, parts };
  const nonce = randomBytes(8).toString('hex');
  const pieces: Buffer[] = [];
  let at = 0;
  for (const span of spans) {
    const data = decodeSpan(raw, span);
    if (!data) continue;
    const key = `${PLACEHOLDER_PREFIX}${nonce}/${parts.size}`;
    parts.set(key, data);
    pieces.push(raw.subarray(at, span.start), Buffer.from(Buffer.from(key, 'latin1').toString('base64'), 'latin1'));
    at = span.end;
  }
  if (parts.size === 0) return { raw, parts };
  pieces.push(raw.subarray(at));
  return { raw: Buffer.concat(pieces), parts };
}

/** Puts the decoded bodies back; false when one of them is not found among the attachments. */
export function restoreLiftedParts(parsed: ParsedMail, parts: Map<string, Buffer>): boolean {
  let restored = 0;
  for (const a of parsed.attachments) {
    if (a.content.length > 80) continue;
    const data = parts.get(a.content.toString('latin1'));
    if (!data) continue;
    a.content = data;
    a.size = data.length;
    restored++;
  }
  return restored === parts.size;
}

/**
 * Bodies of parts declared base64 and not text/multipart/message, found by
 * following the boundaries the message declares: a part header block comes
 * after a boundary line (or is the message header), the body after its blank
 * line. Parts of forwarded messages are not followed (their boundaries are
 * declared inside a body we do not read), so they stay mailparser's.
 */
function findLiftableSpans(raw: Buffer, minPartBytes: number): Span[] {
  const boundaries = new Set<string>();
  const spans: Span[] = [];
  let headerStart = 0;
  let pos = 0;
  while (pos < raw.length) {
    const { contentEnd, next } = lineAt(raw, pos);
    if (contentEnd === pos && headerStart >= 0) {
      const header = readHeaderBlock(raw, headerStart, pos);
      headerStart = -1;
      if (header?.boundary) boundaries.add(header.boundary);
      if (header?.liftable) {
        const run = base64Run(raw, next, boundaries);
        if (run && run.end - run.start >= minPartBytes) {
          spans.push(run);
          pos = run.end;
          continue;
        }
      }
    } else if (isBoundaryLine(raw, pos, contentEnd, boundaries)) headerStart = next;
    pos = next;
  }
  return spans;
}

function lineAt(raw: Buffer, pos: number): { contentEnd: number; next: number } {
  const nl = raw.indexOf(0x0a, pos);
  const lineEnd = nl < 0 ? raw.length : nl;
  const contentEnd = lineEnd > pos && raw[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
  return { contentEnd, next: nl < 0 ? raw.length : nl + 1 };
}

function isBoundaryLine(raw: Buffer, pos: number, end: number, boundaries: Set<string>): boolean {
  if (boundaries.size === 0 || raw[pos] !== 0x2d || raw[pos + 1] !== 0x2d || end - pos > 80) return false;
  const text = raw
    .toString('latin1', pos + 2, end)
    .replace(/\s+$/, '')
    .replace(/--$/, '');
  return boundaries.has(text);
}

function readHeaderBlock(
  raw: Buffer,
  start: number,
  end: number,
): { boundary: string | null; liftable: boolean } | null {
  if (end - start > MAX_HEADER_BLOCK) return null;
  const fields = raw
    .toString('latin1', start, end)
    .split(/\r?\n(?![ \t])/)
    .map((f) => f.replace(/\r?\n[ \t]+/g, ' '));
  const field = (name: string): string =>
    fields
      .find((f) => f.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim() ?? '';
  const type = field('content-type').toLowerCase();
  const cte = field('content-transfer-encoding').toLowerCase();
  const boundary = /^multipart\//.test(type)
    ? /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(field('content-type'))
    : null;
  const liftable = cte === 'base64' && type !== '' && !/^(text|multipart|message)\//.test(type);
  return { boundary: boundary ? (boundary[1] ?? boundary[2] ?? null) : null, liftable };
}

/** Each base64 letter's value; -1 for any other byte. */
const B64_VALUE = new Int8Array(256).fill(-1);
for (const [i, c] of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').entries())
  B64_VALUE[c.charCodeAt(0)] = i;

/** Bytes `\s` matches in a latin1 string: tab, line feed, vertical tab, form feed, return, space, no-break space. */
function isSpaceByte(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

/**
 * True when raw[from, end) is a base64 body: letters, digits, + and /, whitespace, then at most
 * two = (whitespace between and after them). Read off the bytes: the body's latin1 string (as
 * big as the part) is made once, by the decoder, not a second time for a regex.
 */
export function isBase64Body(raw: Uint8Array, from: number, end: number): boolean {
  let i = from;
  while (i < end && (B64_VALUE[raw[i]!]! >= 0 || isSpaceByte(raw[i]!))) i++;
  let padding = 0;
  for (; i < end; i++) {
    const c = raw[i]!;
    if (c === 0x3d) {
      if (++padding > 2) return false;
    } else if (!isSpaceByte(c)) return false;
  }
  return true;
}

/**
 * The base64 body from `from` up to the part's end, the next boundary line (or the
 * end of the message); null unless all of it is base64, so that nothing of the body
 * stays behind after the placeholder. A native search for the boundary, then one pass
 * over the bytes.
 */
function base64Run(raw: Buffer, from: number, boundaries: Set<string>): Span | null {
  let stop = raw.length;
  for (const b of boundaries) {
    const at = nextBoundaryLine(raw, from, b);
    if (at >= 0 && at < stop) stop = at;
  }
  // the line break before the boundary belongs to the boundary
  let end = stop;
  if (end > from && raw[end - 1] === 0x0a) end--;
  if (end > from && raw[end - 1] === 0x0d) end--;
  if (end <= from || !isBase64Body(raw, from, end)) return null;
  return { start: from, end, chars: 0 };
}

/** Where the next line `--boundary` (or `--boundary--`) starts after `from`; -1 if none. */
function nextBoundaryLine(raw: Buffer, from: number, boundary: string): number {
  const needle = Buffer.from(`\n--${boundary}`, 'latin1');
  for (let at = raw.indexOf(needle, from - 1); at >= 0; at = raw.indexOf(needle, at + 1)) {
    const after = raw[at + needle.length];
    if (after === undefined || after === 0x0d || after === 0x0a || after === 0x2d || after === 0x20 || after === 0x09)
      return at + 1;
  }
  return -1;
}

/** Above this, a part is decoded byte by byte into one exact Buffer instead (no intermediate string of its size). */
const NATIVE_DECODE_MAX = 8 * 1024 * 1024;

/**
 * Decodes a run into a Buffer of exactly its size (its own ArrayBuffer: transferable
 * to a worker), straight from the bytes: no 70 MB intermediate string.
 */
function decodeSpan(raw: Buffer, span: Span): Buffer | null {
  // ordinary parts: Node's own decoder (its result has its own ArrayBuffer above 4 KB: transferable)
  if (span.end - span.start <= NATIVE_DECODE_MAX) {
    const d = Buffer.from(raw.toString('latin1', span.start, span.end), 'base64');
    if (d.byteOffset === 0 && d.byteLength === d.buffer.byteLength) return d;
    // Node sized the memory by its estimate: one exact copy, so the bytes can be moved to a worker
    const own = Buffer.allocUnsafeSlow(d.length);
    d.copy(own);
    return own;
  }
  let chars = 0;
  for (let i = span.start; i < span.end; i++) if (B64_VALUE[raw[i]!]! >= 0) chars++;
  const size = Math.floor((chars * 3) / 4);
  const out = Buffer.allocUnsafeSlow(size);
  let written = 0;
  let acc = 0;
  let bits = 0;
  for (let i = span.start; i < span.end; i++) {
    const v = B64_VALUE[raw[i]!]!;
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (written >= size) return null;
      out[written++] = (acc >> bits) & 0xff;
    }
  }
  return written === size ? out : null;
}
