import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * Decoding of text whose charset nobody declared: raw 8-bit header bytes,
 * zip entry names without the UTF-8 flag, filenames mailparser returned as
 * latin1. Chinese senders use UTF-8, GBK/GB18030 and (Hong Kong, Taiwan) Big5.
 */

export type GuessedCharset = 'ascii' | 'utf-8' | 'gb18030' | 'big5';

function isAscii(buf: Uint8Array): boolean {
  for (const b of buf) if (b >= 0x80) return false;
  return true;
}

/**
 * GBK vs Big5 from the lead bytes of double-byte pairs. 0x81–0xA0 leads do not
 * exist in Big5; 0xA4–0xAF leads are Big5's common hanzi but kana, Greek, box
 * drawing or unassigned in GB2312; 0xC7–0xD7 are common GB2312 hanzi but
 * reserved or rare in Big5. Ties go to GB18030 (the mainland default).
 */
function voteGbkOrBig5(buf: Uint8Array): 'gb18030' | 'big5' {
  let gbk = 0;
  let big5 = 0;
  for (let i = 0; i < buf.length; i++) {
    const lead = buf[i]!;
    if (lead < 0x80) continue;
    if (lead <= 0xa0) gbk += 3;
    else if (lead >= 0xa4 && lead <= 0xaf) big5 += 1;
    else if (lead >= 0xc7 && lead <= 0xd7) gbk += 1;
    i++; // skip the trail byte
  }
  return big5 > gbk ? 'big5' : 'gb18030';
}

/** Bytes a UTF-8 sequence led by `lead` needs in all, 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Length of `buf` without an incomplete UTF-8 sequence at its very end, when
 * everything before it is valid UTF-8 with at least one multi-byte character:
 * senders' clients cut long names and subjects at a byte count, mid-character.
 * Null when the bytes are not such "UTF-8 but for the last character".
 */
export function truncatedUtf8Length(buf: Uint8Array): number | null {
  let start = buf.length - 1;
  // at most three continuation bytes can trail the lead byte of a cut sequence
  while (start > 0 && buf.length - start < 4 && (buf[start]! & 0xc0) === 0x80) start--;
  const need = sequenceLength(buf[start] ?? 0);
  const have = buf.length - start;
  if (need === 0 || have >= need) return null;
  const head = buf.subarray(0, start);
  if (isAscii(head) || !isUtf8(head)) return null;
  return start;
}

export function guessCharset(buf: Uint8Array): GuessedCharset {
  if (isAscii(buf)) return 'ascii';
  if (isUtf8(buf) || truncatedUtf8Length(buf) !== null) return 'utf-8';
  const vote = voteGbkOrBig5(buf);
  const other = vote === 'big5' ? 'gb18030' : 'big5';
  // a decoding that produces replacement characters is wrong whatever the vote said
  if (
    iconv.decode(Buffer.from(buf), vote).includes('\uFFFD') &&
    !iconv.decode(Buffer.from(buf), other).includes('\uFFFD')
  )
    return other;
  return vote;
}

/**
 * Bytes of unknown charset → text (UTF-8 when valid, also when only its last
 * character was cut off, which is then dropped; else GB18030 or Big5).
 */
export function decodeUnknownBytes(buf: Uint8Array): string {
  const cs = guessCharset(buf);
  if (cs === 'ascii') return Buffer.from(buf).toString('latin1');
  if (cs === 'utf-8') return Buffer.from(buf.subarray(0, truncatedUtf8Length(buf) ?? buf.length)).toString('utf8');
  return iconv.decode(Buffer.from(buf), cs);
}

/** True when a string looks like bytes read as latin1 (every char ≤ U+00FF, some ≥ U+0080). */
export function isLatin1Mojibake(s: string): boolean {
  let high = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return false;
    if (c >= 0x80) high = true;
  }
  return high;
}

/**
 * Where a name's characters came from: `raw-8bit` when the header carried
 * undeclared 8-bit bytes (mailparser then hands them back one char per byte),
 * `decoded` when a declared charset (RFC 2047, RFC 2231) or valid UTF-8 was
 * decoded already — `ciële.txt` from `ISO-8859-1''ci%EBle.txt` is right as it is.
 */
export type NameOrigin = 'raw-8bit' | 'decoded';

/** mailparser hands raw 8-bit part-header filenames back as latin1; recover the real name. */
export function repairMojibakeName(name: string, origin: NameOrigin): string {
  if (origin !== 'raw-8bit' || !isLatin1Mojibake(name)) return name;
  return decodeUnknownBytes(Buffer.from(name, 'latin1'));
}

/** Charset labels as mail clients write them → an iconv-lite encoding. */
export function normalizeCharset(label: string): string {
  const l = label.toLowerCase().replace(/\*.*$/, '').trim();
  // GB2312-labelled mail routinely carries GBK-only characters; GB18030 is a superset of both
  if (['gb2312', 'gbk', 'x-gbk', 'cp936', 'euc-cn', 'gb_2312-80', 'windows-936', 'chinese'].includes(l))
    return 'gb18030';
  if (['big5', 'big5-hkscs', 'x-big5', 'cp950'].includes(l)) return 'big5';
  return iconv.encodingExists(l) ? l : 'utf-8';
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

function encodedWordBytes(enc: string, text: string): Buffer {
  if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

/**
 * RFC 2047 encoded words → text. Adjacent words of the same charset are joined
 * as bytes before decoding, because clients split multi-byte characters
 * across words; the whitespace between encoded words is dropped (RFC 2047 §6.2).
 */
export function decodeEncodedWords(value: string): string {
  const out: string[] = [];
  let last = 0;
  let pending: { charset: string; chunks: Buffer[] } | null = null;
  let sawWord = false;
  const flush = (): void => {
    if (pending) out.push(iconv.decode(Buffer.concat(pending.chunks), normalizeCharset(pending.charset)));
    pending = null;
  };
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    const bytes = encodedWordBytes(m[2]!, m[3]!);
    const charset = m[1]!;
    const blank = /^\s*$/.test(between);
    if (pending && blank && normalizeCharset(pending.charset) === normalizeCharset(charset)) {
      pending.chunks.push(bytes);
    } else {
      flush();
      if (!(blank && sawWord)) out.push(between);
      pending = { charset, chunks: [bytes] };
    }
    sawWord = true;
    last = m.index + m[0].length;
  }
  flush();
  out.push(value.slice(last));
  return out.join('');
}

/** A raw header value (bytes as a latin1 string, possibly folded) → text. */
export function decodeRawHeaderValue(latin1Value: string): string {
  const unfolded = latin1Value.replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '');
  const bytes = Buffer.from(unfolded, 'latin1');
  const text = isAscii(bytes) ? unfolded : decodeUnknownBytes(bytes);
  return decodeEncodedWords(text).trim();
}
