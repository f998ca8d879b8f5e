import { findHeaderBlockEnd } from '@intake/domain';
import type { ParsedMail } from 'mailparser';
import { decodeUnknownBytes } from './charset.js';
import type { RawHeaders } from './raw-headers.js';

/**
 * The plain-text body. Old clients send a single-part GBK body without a
 * charset parameter; mailparser then decodes it as UTF-8 into U+FFFD. For
 * that case the body bytes are decoded again with the charset guess.
 */

function decodeQuotedPrintable(s: string): Buffer {
  const bytes: number[] = [];
  const text = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

function rawBodyOf(raw: Buffer): Buffer | null {
  const bounds = findHeaderBlockEnd(raw);
  return bounds ? raw.subarray(bounds.bodyStart) : null;
}

export function bodyTextOf(parsed: ParsedMail, raw: Buffer, headers: RawHeaders): string {
  const text = parsed.text ?? '';
  const type = headers.first('content-type') ?? 'text/plain';
  // "multipart/mixed" without a boundary: mailparser finds no parts and drops the text
  if (!text && /^\s*multipart\//i.test(type) && !/boundary\s*=/i.test(type)) {
    const body = rawBodyOf(raw);
    return body ? decodeUnknownBytes(body) : text;
  }
  if (!text.includes('\uFFFD')) return text;
  if (!/^text\/plain/i.test(type) || /charset\s*=/i.test(type)) return text;
  const body = rawBodyOf(raw);
  if (!body) return text;
  const cte = (headers.first('content-transfer-encoding') ?? '').toLowerCase();
  const bytes =
    cte === 'base64'
      ? Buffer.from(body.toString('latin1'), 'base64')
      : cte === 'quoted-printable'
        ? decodeQuotedPrintable(body.toString('latin1'))
        : body;
  return decodeUnknownBytes(bytes);
}
