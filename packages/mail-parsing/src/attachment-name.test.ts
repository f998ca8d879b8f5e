// Guards (issue 9, real-world files): correctly declared Latin-1/UTF-8 names ("ciële.txt",
// "attachment.äöü", RFC 2231 ISO-8859-1'') "repaired" into GBK mojibake, and a raw UTF-8 name
// cut mid-character decoded as GBK as a whole. Only names from raw 8-bit header bytes are repaired.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { attachmentDisplayName } from './attachment-name.js';
import { MIME_OPTIONS } from './mime-options.js';
import { BASE_HEADERS, filePart, gbk, rawMessage, type Bytes } from './test-helpers/mime-builder.js';

async function nameOf(nameHeader: Bytes, contentTypeName?: Bytes): Promise<string | null> {
  const part = filePart(Buffer.from('x'), 'application/octet-stream', nameHeader);
  if (contentTypeName !== undefined) {
    part.headers[0] = Buffer.concat([
      Buffer.from('Content-Type: application/octet-stream; '),
      Buffer.from(contentTypeName),
    ]);
    part.headers[2] = 'Content-Disposition: attachment';
  }
  const parsed = await simpleParser(rawMessage([...BASE_HEADERS, 'Subject: t'], [part]), MIME_OPTIONS);
  const a = parsed.attachments[0];
  if (!a) throw new Error('no attachment');
  return attachmentDisplayName(a);
}

const raw = (...xs: Bytes[]): Buffer => Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x) : x)));

describe('attachment names by origin', () => {
  it('keeps an RFC 2231 ISO-8859-1 name', async () => {
    expect(await nameOf("filename*=ISO-8859-1''ci%EBle.txt")).toBe('ciële.txt');
  });
  it('keeps RFC 2047 Latin-1 and UTF-8 names', async () => {
    expect(await nameOf('filename="=?ISO-8859-1?Q?attachment=2E=E4=F6=FC?="')).toBe('attachment.äöü');
    expect(await nameOf('filename="=?UTF-8?B?Y2nDq2xlLnR4dA==?="')).toBe('ciële.txt');
  });
  it('keeps a raw 8-bit UTF-8 name whose characters are all Latin-1', async () => {
    expect(await nameOf(raw('filename="', Buffer.from('ciële.txt'), '"'))).toBe('ciële.txt');
  });
  it('repairs raw 8-bit GBK in the disposition and in the content-type name', async () => {
    expect(await nameOf(raw('filename="', gbk('附件2 项目表.xlsx'), '"'))).toBe('附件2 项目表.xlsx');
    expect(await nameOf('', raw('name="', gbk('请示.pdf'), '"'))).toBe('请示.pdf');
  });
  it('reads a raw UTF-8 name cut mid-character as UTF-8, dropping the broken character', async () => {
    expect(await nameOf(raw('filename="', Buffer.from('附件2项目表').subarray(0, 14), '"'))).toBe('附件2项目');
  });
});
