// Guards: mail we never designed for — empty files, broken MIME, HTML-only bodies, nameless
// octet-streams, message/rfc822 without a disposition, TNEF, S/MIME, calendar invites, huge
// headers, deep nesting — parses without throwing, in bounded time, into schema-valid JSON.
// The hand-made files live in test/fixtures/eml/; the pathological sizes are built here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCampaignProfile, ZParsedMessage, type TParsedMessage } from '@intake/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParser, type MailMessageParser } from './parser.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/eml');
const PER_MESSAGE_MS = 15_000;
const profile = loadCampaignProfile();
let parser: MailMessageParser;

beforeAll(() => {
  parser = createParser({ size: 2 });
});
afterAll(async () => {
  await parser.close();
});

/** Parses, checks the schema and a JSON round trip, and the time bound. */
async function parseChecked(raw: Buffer): Promise<TParsedMessage> {
  const started = Date.now();
  const msg = await parser.parse(raw, { profile, receivedAt: new Date('2020-05-12T02:00:00Z') });
  expect(Date.now() - started).toBeLessThan(PER_MESSAGE_MS);
  const checked = ZParsedMessage.safeParse(JSON.parse(JSON.stringify(msg)));
  expect(checked.success, checked.success ? '' : JSON.stringify(checked.error.issues.slice(0, 3))).toBe(true);
  return msg;
}

const files = fs
  .readdirSync(FIXTURES)
  .filter((f) => /\.(eml|bin)$/.test(f))
  .sort();
const byName = new Map<string, TParsedMessage>();

describe('hand-made odd mail (test/fixtures/eml)', () => {
  it('has the fixture files', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });
  it.each(files)(
    '%s parses to schema-valid JSON',
    async (name) => {
      byName.set(name, await parseChecked(fs.readFileSync(path.join(FIXTURES, name))));
    },
    PER_MESSAGE_MS * 2,
  );

  it('reads what there is to read', () => {
    const get = (n: string): TParsedMessage => {
      const m = byName.get(n);
      if (!m) throw new Error(`${n} was not parsed`);
      return m;
    };
    expect(get('empty.eml').attachments).toEqual([]);
    // NUL and other control characters never reach the JSON (PostgreSQL jsonb refuses \u0000)
    const garbage = get('bare-lf-8bit-garbage.eml');
    expect(JSON.stringify(garbage)).not.toMatch(/\\u000[0-8bcef]|\\u001/);
    expect(garbage.subject).toContain('长春市');
    expect(get('no-boundary-param.eml').bodyExcerpt).toContain('just text where parts should be');
    // an HTML-only body still gives the text (and the applicant named in it, through the subject)
    const html = get('html-only-gbk.eml');
    expect(html.bodyExcerpt).toContain('长春市生物医药产业集群申报材料');
    expect(html.bodyExcerpt).not.toMatch(/<script|alert\(1\)|color:red/);
    expect(html.applicant?.name).toBe('长春市');
    // nameless octet-streams are listed by what their bytes are
    const nameless = get('nameless-octet-stream.eml');
    expect(nameless.attachments.map((a) => a.kind)).toContain('pdf');
    expect(nameless.attachments.every((a) => a.filename.length > 0 && !a.path.includes('..'))).toBe(true);
    // a forwarded message without Content-Disposition is opened, its attachment listed under it
    const fwd = get('rfc822-without-disposition.eml');
    expect(fwd.attachments.some((a) => a.kind === 'email')).toBe(true);
    expect(fwd.attachments.some((a) => /请示\.pdf$/.test(a.path) && a.roles.includes('formal-document'))).toBe(true);
    // the signed part's attachment is read; the signature is listed and counts for nothing
    const signed = get('smime-signed.eml');
    expect(signed.attachments.find((a) => /请示\.pdf$/.test(a.filename))?.roles).toEqual(['formal-document']);
    expect(
      signed.attachments
        .filter((a) => a.filename === 'smime.p7s')
        .every((a) => a.roles.length === 0 && a.copy === 'unknown'),
    ).toBe(true);
    expect(get('tnef-winmail.eml').attachments.find((a) => a.filename === 'winmail.dat')?.error).toBeTruthy();
    // a message whose root part is the attachment (scanners send these)
    expect(get('root-part-is-attachment.eml').attachments).toMatchObject([{ kind: 'pdf', roles: ['project-table'] }]);
    const invite = get('calendar-invite.eml');
    expect(invite.attachments.every((a) => a.roles.length === 0 && a.copy === 'unknown')).toBe(true);
  });
});

function multipart(boundary: string, parts: string[]): string {
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    ...parts.map((p) => `--${boundary}\r\n${p}`),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

describe('pathological sizes and shapes', () => {
  it(
    'a 300 KB subject and 3000 Received lines',
    async () => {
      const received = Array.from(
        { length: 3000 },
        (_, i) => `Received: from relay${i}.example.test by mx.example.test; Mon, 11 May 2020 10:00:00 +0800`,
      );
      const raw = Buffer.from(
        [
          ...received,
          'From: a@example.test',
          `Subject: ${'长春市'.repeat(100_000)}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'x',
        ].join('\r\n'),
      );
      const m = await parseChecked(raw);
      expect(m.subject.startsWith('长春市长春市'), m.subject.slice(0, 40)).toBe(true);
      expect(m.from).toContain('a@example.test');
    },
    PER_MESSAGE_MS * 2,
  );

  it(
    'multipart nested 120 deep',
    async () => {
      let body = 'Content-Type: text/plain\r\n\r\ninnermost';
      for (let i = 0; i < 120; i++) body = multipart(`b${i}`, [body]);
      await parseChecked(Buffer.from(`From: a@example.test\r\nSubject: deep\r\nMIME-Version: 1.0\r\n${body}`));
    },
    PER_MESSAGE_MS * 2,
  );

  it(
    'message/rfc822 nested 30 deep',
    async () => {
      let msg = 'From: x@example.test\r\nSubject: core\r\nContent-Type: text/plain\r\n\r\ncore';
      for (let i = 0; i < 30; i++) {
        msg = `From: x${i}@example.test\r\nSubject: level ${i}\r\nMIME-Version: 1.0\r\n${multipart(`r${i}`, ['Content-Type: text/plain\r\n\r\nfw', `Content-Type: message/rfc822\r\n\r\n${msg}`])}`;
      }
      const m = await parseChecked(Buffer.from(msg));
      expect(m.attachments.length).toBeLessThan(40);
    },
    PER_MESSAGE_MS * 2,
  );

  it(
    "1500 tiny nameless attachments (over the MIME splitter's 1000 parts: headers only, with a note)",
    async () => {
      const parts = Array.from(
        { length: 1500 },
        (_, i) =>
          `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`part ${i}`).toString('base64')}`,
      );
      const m = await parseChecked(
        Buffer.from(`From: a@example.test\r\nSubject: many\r\nMIME-Version: 1.0\r\n${multipart('many', parts)}`),
      );
      expect(m.subject).toBe('many');
      expect(m.notes?.join()).toMatch(/邮件结构无法解析/);
    },
    PER_MESSAGE_MS * 2,
  );

  it(
    'a 600 KB HTML body of unbalanced tags and punctuation',
    async () => {
      const junk =
        '}}))}*)?}<{{^{{_{*{>^*{{|)?[%\\}#^}}){**\\:}!{/(-{{}|{}>*({|)?<><<>?<?><?><?>?><<?><><><><>:":":"><><<|*}})';
      const html = `<title>${junk.repeat(6000)}</title><div>${'<b><i><u>'.repeat(5000)}正文</div>`;
      const m = await parseChecked(
        Buffer.from(`From: a@example.test\r\nSubject: html\r\nContent-Type: text/html\r\n\r\n${html}`),
      );
      expect(m.subject).toBe('html');
    },
    PER_MESSAGE_MS * 2,
  );

  it(
    'a 4 MB body on one line without line breaks',
    async () => {
      const raw = Buffer.from(
        `From: a@example.test\r\nSubject: long line\r\nContent-Type: text/plain\r\n\r\n${'长春'.repeat(2_000_000)}`,
      );
      const m = await parseChecked(raw);
      expect(m.bodyExcerpt?.length ?? 0).toBeLessThanOrEqual(2000);
    },
    PER_MESSAGE_MS * 2,
  );
});
