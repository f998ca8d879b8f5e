// Guards: the dashboard serving the wrong bytes for an attachment (a name
// collision, a member inside a zip) or anything the register does not list.
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '@intake/register-store';
import { createRawAttachmentLoader } from './load-attachment.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function zipOf(entries: Record<string, Buffer>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, data] of Object.entries(entries)) z.addBuffer(data, name);
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A fake register: (message sha, path) → the attachment row the loader looks up. */
function fakeDb(rows: Record<string, { filename: string; sha256: string; kind: string }>): Queryable {
  return {
    async query<T>(_sql: string, params?: unknown[]): Promise<T[]> {
      const r = rows[`${String(params?.[0])}|${String(params?.[1])}`];
      return (r ? [{ application_id: 1, bytes: 1, ...r }] : []) as T[];
    },
  };
}

describe('createRawAttachmentLoader', () => {
  it('finds top-level attachments and zip members by their recorded sha256', async () => {
    const pdf = Buffer.from('%PDF-1.4 scan');
    const pdfTwin = Buffer.from('%PDF-1.4 another file with the same name');
    const xlsx = Buffer.from('xlsx-bytes-inside-zip');
    const zip = await zipOf({ '材料/附件2.xlsx': xlsx });
    const raw = await new MailComposer({
      from: 'a@example.org',
      to: 'b@example.org',
      subject: '申报',
      text: 'x',
      attachments: [
        { filename: '请示.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: '请示.pdf', content: pdfTwin, contentType: 'application/pdf' },
        { filename: '材料.zip', content: zip, contentType: 'application/zip' },
      ],
    })
      .compile()
      .build();
    const msgSha = sha(raw);
    const db = fakeDb({
      [`${msgSha}|请示.pdf`]: { filename: '请示.pdf', sha256: sha(pdf), kind: 'pdf' },
      [`${msgSha}|请示.pdf (2)`]: { filename: '请示.pdf', sha256: sha(pdfTwin), kind: 'pdf' },
      [`${msgSha}|材料.zip/材料/附件2.xlsx`]: { filename: '附件2.xlsx', sha256: sha(xlsx), kind: 'spreadsheet' },
    });
    const load = createRawAttachmentLoader({
      db,
      rawStore: {
        get: async (s) => {
          expect(s).toBe(msgSha);
          return raw;
        },
      },
    });
    expect((await load(msgSha, '请示.pdf'))!.data.equals(pdf)).toBe(true);
    expect((await load(msgSha, '请示.pdf (2)'))!.data.equals(pdfTwin)).toBe(true);
    const member = await load(msgSha, '材料.zip/材料/附件2.xlsx');
    expect(member!.filename).toBe('附件2.xlsx');
    expect(member!.data.equals(xlsx)).toBe(true);
    expect(await load(msgSha, '../../etc/passwd')).toBeNull();
  });
});
