import iconv from 'iconv-lite';

/** Hand-built MIME for tests: exact bytes, including raw 8-bit GBK headers no composer writes. */

export const gbk = (s: string): Buffer => iconv.encode(s, 'gbk');
export const big5 = (s: string): Buffer => iconv.encode(s, 'big5');

export type Bytes = string | Buffer;

export interface Part {
  /** header lines without CRLF; Buffers are written as they are */
  headers: Bytes[];
  body: Bytes;
}

const CRLF = Buffer.from('\r\n');
const b = (x: Bytes): Buffer => (typeof x === 'string' ? Buffer.from(x, 'utf8') : x);
const cat = (...xs: Bytes[]): Buffer => Buffer.concat(xs.map(b));

export function rawMessage(headers: Bytes[], parts: Part[], boundary = 'BOUNDARY-test-1'): Buffer {
  const out: Buffer[] = [];
  for (const h of headers) out.push(b(h), CRLF);
  out.push(b(`MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n`));
  for (const p of parts) {
    out.push(b(`--${boundary}\r\n`));
    for (const h of p.headers) out.push(b(h), CRLF);
    out.push(CRLF, b(p.body), CRLF);
  }
  out.push(b(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}

export function textPart(text: string, charset = 'utf-8'): Part {
  const body = charset === 'utf-8' ? Buffer.from(text) : iconv.encode(text, charset);
  return {
    headers: [`Content-Type: text/plain; charset=${charset}`, 'Content-Transfer-Encoding: base64'],
    body: body.toString('base64'),
  };
}

export function wrap76(s: string): string {
  return s.replace(/.{76}/g, '$&\r\n');
}

/** An attachment part; `nameHeader` lets a test write the filename parameter however it likes. */
export function filePart(
  content: Buffer,
  contentType: string,
  nameHeader: Bytes | null,
  disposition = 'attachment',
  extra: Bytes[] = [],
): Part {
  const headers: Bytes[] = [`Content-Type: ${contentType}`, 'Content-Transfer-Encoding: base64'];
  if (nameHeader === null) headers.push(`Content-Disposition: ${disposition}`);
  else headers.push(cat(`Content-Disposition: ${disposition}; `, nameHeader));
  headers.push(...extra);
  return { headers, body: wrap76(content.toString('base64')) };
}

/** `filename="…"` with the name as raw 8-bit bytes of `charset`. */
export function rawFilename(name: string, charset: 'gbk' | 'big5' | 'utf-8'): Buffer {
  const bytes = charset === 'utf-8' ? Buffer.from(name) : iconv.encode(name, charset);
  return cat('filename="', bytes, '"');
}

export function rfc2047B(text: string, charset = 'GBK'): string {
  return `=?${charset}?B?${iconv.encode(text, charset).toString('base64')}?=`;
}

export function rfc2047Q(text: string, charset = 'GB2312'): string {
  const q = [...iconv.encode(text, charset)]
    .map((c) =>
      c >= 0x30 && c <= 0x7a && c !== 0x3d && c !== 0x3f && c !== 0x5f
        ? String.fromCharCode(c)
        : `=${c.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `=?${charset}?Q?${q}?=`;
}

/** RFC 2231 `filename*0*=GBK''…; filename*1*=…` split in `pieces` continuations. */
export function rfc2231Filename(name: string, charset = 'GBK', pieces = 2): string {
  const enc = [...iconv.encode(name, charset)].map((c) => `%${c.toString(16).toUpperCase().padStart(2, '0')}`);
  const size = Math.ceil(enc.length / pieces);
  const segs: string[] = [];
  for (let i = 0; i < pieces; i++) {
    const chunk = enc.slice(i * size, (i + 1) * size).join('');
    if (chunk) segs.push(`filename*${i}*=${i === 0 ? `${charset}''` : ''}${chunk}`);
  }
  return segs.join(';\r\n ');
}

export const BASE_HEADERS = [
  'From: sender@example.cn',
  'To: intake@example.gov.cn',
  'Date: Fri, 15 May 2020 10:00:00 +0800',
  'Message-ID: <test-1@example.cn>',
];

/** A scanned page: a minimal JPEG-looking byte string (magic bytes are all the parser needs). */
export function fakeJpeg(size = 2048): Buffer {
  const buf = Buffer.alloc(size, 0x11);
  buf[0] = 0xff;
  buf[1] = 0xd8;
  buf[2] = 0xff;
  buf[3] = 0xe0;
  return buf;
}
