// Guards: the whole parse path on hand-built raw messages — charsets in every place Chinese
// senders put them, forwarded mail, archives, bombs, unreadable files and the time cap. Each
// case is a regression seen (or feared) in a real submission mailbox; one bad attachment must
// never cost the rest of the message.
import { loadCampaignProfile, ZParsedMessage, type TParsedMessage } from '@intake/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParseOptions } from './parse-message.js';
import { createParser, type MailMessageParser } from './parser.js';
import {
  BASE_HEADERS,
  fakeJpeg,
  filePart,
  gbk,
  rawFilename,
  rawMessage,
  rfc2047B,
  rfc2047Q,
  rfc2231Filename,
  textPart,
} from './test-helpers/mime-builder.js';
import { buildZip } from './test-helpers/zip-writer.js';

const profile = loadCampaignProfile();
let parser: MailMessageParser;
beforeAll(() => {
  parser = createParser({ size: 2 });
});
afterAll(async () => {
  await parser.close();
});

async function parse(raw: Buffer, extra: Partial<ParseOptions> = {}): Promise<TParsedMessage> {
  const msg = await parser.parse(raw, { profile, ...extra });
  expect(ZParsedMessage.safeParse(msg).success).toBe(true);
  return msg;
}

const byPath = (m: TParsedMessage, path: string) => m.attachments.find((a) => a.path === path);

const PROJECT_CSV = [
  '附件2 长春市生物医药产业集群重点项目汇总表',
  '序号,项目名称,建设单位,建设地点,总投资（万元）,建设期限',
  '1,生物疫苗产业化项目,长春生物制品有限公司,长春市高新区,35000,2021-2023',
  '2,中药提取车间改造,吉林某药业有限公司,长春市九台区,5000,2021-2022',
  '3,医疗器械研发中心,长春某科技有限公司,长春市净月区,1200,2021-2022',
].join('\r\n');

describe('headers in Chinese charsets', () => {
  it('decodes a raw 8-bit GBK Subject and From name (mailparser alone yields U+FFFD)', async () => {
    const raw = rawMessage(
      [
        Buffer.concat([Buffer.from('Subject: '), gbk('关于申报长春市生物医药产业集群的函')]),
        Buffer.concat([Buffer.from('From: '), gbk('长春市发改委'), Buffer.from(' <fgw@changchun.gov.cn>')]),
        'To: intake@example.gov.cn',
        'Date: Fri, 15 May 2020 10:00:00 +0800',
        'Message-ID: <gbk-1@x>',
      ],
      [textPart('请查收。', 'gbk')],
    );
    const m = await parse(raw);
    expect(m.subject).toBe('关于申报长春市生物医药产业集群的函');
    expect(m.from).toBe('长春市发改委 <fgw@changchun.gov.cn>');
    expect(m.bodyExcerpt).toBe('请查收。');
    expect(m.receivedAt).toBe('2020-05-15T02:00:00.000Z');
    expect(m.receivedAtSource).toBe('date-header');
  });

  it('decodes RFC 2047 B (GBK) and Q (GB2312) words and Big5', async () => {
    const raw = rawMessage(
      [...BASE_HEADERS, `Subject: ${rfc2047B('吉林市化工新材料产业集群申报', 'GBK')}`],
      [
        textPart('见附件'),
        filePart(Buffer.from('x'), 'text/plain', `filename="${rfc2047Q('说明.txt', 'GB2312')}"`),
        filePart(Buffer.from('y'), 'text/plain', `filename="${rfc2047B('申報說明.txt', 'BIG5')}"`),
      ],
    );
    const m = await parse(raw);
    expect(m.subject).toBe('吉林市化工新材料产业集群申报');
    expect(m.attachments.map((a) => a.filename)).toEqual(['说明.txt', '申報說明.txt']);
  });

  it('decodes RFC 2231 GBK filenames with continuations and raw 8-bit GBK/Big5 filenames', async () => {
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: test'],
      [
        textPart('hi'),
        filePart(
          Buffer.from('a'),
          'application/octet-stream',
          rfc2231Filename('附件1申报材料（盖章扫描件）.txt', 'GBK', 3),
        ),
        filePart(Buffer.from('b'), 'application/octet-stream', rawFilename('附件2重点项目汇总表.txt', 'gbk')),
        filePart(Buffer.from('c'), 'application/octet-stream', rawFilename('項目匯總表說明.txt', 'big5')),
      ],
    );
    const m = await parse(raw);
    expect(m.attachments.map((a) => a.filename)).toEqual([
      '附件1申报材料（盖章扫描件）.txt',
      '附件2重点项目汇总表.txt',
      '項目匯總表說明.txt',
    ]);
  });

  it('fills the reply-relevant headers and the loop guard', async () => {
    const raw = rawMessage(
      [
        ...BASE_HEADERS,
        'Subject: re',
        'Auto-Submitted: auto-replied',
        'X-Intake-Loop: jilin-2020',
        'In-Reply-To: <a@x>',
        'References: <z@x> <a@x>',
        'Reply-To: office@example.cn',
      ],
      [textPart('x')],
    );
    const m = await parse(raw);
    expect(m.headers).toMatchObject({
      autoSubmitted: 'auto-replied',
      loopGuard: 'jilin-2020',
      inReplyTo: '<a@x>',
      references: ['<z@x>', '<a@x>'],
      replyTo: 'office@example.cn',
      fromAddress: 'sender@example.cn',
    });
  });
});

describe('attachments', () => {
  it('reads a GBK CSV project table and the materials text, with projects sourced by path', async () => {
    const materials =
      '附件1 长春市生物医药产业集群申报材料\n2019年，集群实现工业总产值62.5亿元，主营业务收入亿元以上企业7户。';
    const raw = rawMessage(
      [...BASE_HEADERS, `Subject: ${rfc2047B('长春市生物医药产业集群申报')}`],
      [
        textPart('附件为申报材料和项目汇总表'),
        filePart(gbk(PROJECT_CSV), 'text/csv', rawFilename('附件2重点项目汇总表.csv', 'gbk')),
        filePart(gbk(materials), 'text/plain', rawFilename('附件1申报材料.txt', 'gbk')),
      ],
    );
    const m = await parse(raw);
    const table = byPath(m, '附件2重点项目汇总表.csv');
    expect(table).toMatchObject({ kind: 'spreadsheet', copy: 'electronic' });
    expect(table?.roles).toContain('project-table');
    expect(m.projects).toHaveLength(3);
    expect(m.projects[0]).toMatchObject({
      name: '生物疫苗产业化项目',
      totalInvestment: 35000,
      source: '附件2重点项目汇总表.csv',
    });
    expect(m.metrics).toMatchObject({
      projectCount: 3,
      largeProjects: 2,
      totalInvestment: 41200,
      totalOutput2019: 62.5,
      largeEnterprises: 7,
    });
    expect(m.applicant).toEqual({ code: '220100', name: '长春市' });
    expect(m.field).toBe('生物医药');
  });

  it('leaves unknown figures null, never 0', async () => {
    const m = await parse(rawMessage([...BASE_HEADERS, 'Subject: hello'], [textPart('nothing here')]));
    expect(m.metrics).toMatchObject({
      totalOutput2019: null,
      largeEnterprises: null,
      projectCount: null,
      largeProjects: null,
      totalInvestment: null,
    });
    expect(m.flags).toEqual([]);
  });

  it('opens a forwarded message and lists its attachments under its path', async () => {
    const inner = rawMessage(
      ['From: county@example.cn', 'Subject: 原始申报邮件', 'Message-ID: <inner@x>'],
      [textPart('转发给省发改委'), filePart(gbk(PROJECT_CSV), 'text/csv', rawFilename('附件2.csv', 'gbk'))],
      'INNER-B',
    );
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: Fw: 申报'],
      [
        textPart('转发'),
        {
          headers: [
            'Content-Type: message/rfc822',
            `Content-Disposition: attachment; filename="${rfc2047B('转发.eml')}"`,
          ],
          // the forwarded message's own bytes, raw 8-bit GBK name included
          body: inner,
        },
        filePart(inner, 'application/octet-stream', 'filename="copy.eml"'),
      ],
    );
    const m = await parse(raw);
    expect(byPath(m, '转发.eml')?.kind).toBe('email');
    expect(byPath(m, '转发.eml/附件2.csv')?.kind).toBe('spreadsheet');
    expect(byPath(m, 'copy.eml/附件2.csv')).toBeDefined();
    // the same table twice is one table's worth of projects
    expect(m.projects).toHaveLength(3);
  });

  it('expands zips with GBK names, nested zips, and refuses a bomb while reading the rest', async () => {
    const innerZip = buildZip([{ name: gbk('附件2.csv'), data: gbk(PROJECT_CSV) }]);
    const outer = buildZip([
      { name: gbk('附件1申报材料.txt'), data: gbk('申报材料正文') },
      { name: gbk('内层.zip'), data: innerZip, store: true },
    ]);
    const bomb = buildZip([{ name: 'zeros.bin', data: Buffer.alloc(16 * 1024 * 1024) }]);
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: zip'],
      [
        textPart('x'),
        filePart(outer, 'application/zip', rawFilename('材料.zip', 'gbk')),
        filePart(bomb, 'application/zip', 'filename="bomb.zip"'),
      ],
    );
    const m = await parse(raw);
    expect(m.attachments.map((a) => a.path)).toEqual([
      '材料.zip',
      '材料.zip/附件1申报材料.txt',
      '材料.zip/内层.zip',
      '材料.zip/内层.zip/附件2.csv',
      'bomb.zip',
    ]);
    expect(byPath(m, '材料.zip/内层.zip/附件2.csv')?.roles).toContain('project-table');
    expect(m.projects).toHaveLength(3);
    expect(byPath(m, 'bomb.zip')?.error).toMatch(/解压炸弹/);
    expect(m.flags.filter((f) => f.code === 'UNREADABLE_ATTACHMENT').map((f) => f.detail)).toEqual([
      expect.stringContaining('bomb.zip'),
    ]);
  });

  it('lists a corrupt rar and a broken winmail.dat as unreadable', async () => {
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: rar'],
      [
        textPart('x'),
        filePart(
          Buffer.from('Rar!\u001a\u0007\u0000rest', 'latin1'),
          'application/octet-stream',
          'filename="材料.rar"',
        ),
        filePart(Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0, 0]), 'application/ms-tnef', 'filename="winmail.dat"'),
      ],
    );
    const m = await parse(raw);
    expect(byPath(m, '材料.rar')).toMatchObject({
      kind: 'archive',
      error: expect.stringContaining('RAR 压缩包损坏'),
    });
    expect(byPath(m, 'winmail.dat')).toMatchObject({ kind: 'other', error: expect.stringContaining('TNEF') });
    expect(m.flags.filter((f) => f.code === 'UNREADABLE_ATTACHMENT')).toHaveLength(2);
  });

  it('follows the content of a mislabelled file', async () => {
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: x'],
      [textPart('x'), filePart(fakeJpeg(), 'application/pdf', 'filename="scan.pdf"')],
    );
    const m = await parse(raw);
    expect(byPath(m, 'scan.pdf')).toMatchObject({ kind: 'image', copy: 'scan' });
    expect(byPath(m, 'scan.pdf')?.notes?.join()).toMatch(/JPEG/);
  });

  it('leaves out inline images the HTML shows but keeps an unreferenced inline photo', async () => {
    const html = { headers: ['Content-Type: text/html; charset=utf-8'], body: '<p>见附件</p><img src="cid:logo@sig">' };
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: x'],
      [
        html,
        filePart(fakeJpeg(), 'image/jpeg', 'filename="logo.jpg"', 'inline', ['Content-ID: <logo@sig>']),
        filePart(fakeJpeg(), 'image/jpeg', 'filename="IMG_0001.jpg"', 'inline', ['Content-ID: <photo@x>']),
      ],
    );
    const m = await parse(raw);
    expect(m.attachments.map((a) => a.filename)).toEqual(['IMG_0001.jpg']);
    expect(m.notes?.join()).toMatch(/内嵌图片 1 个/);
  });

  it('records a corrupt PDF as an error and still reads the rest', async () => {
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: x'],
      [
        textPart('x'),
        filePart(
          Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage'),
          'application/pdf',
          'filename="broken.pdf"',
        ),
        filePart(
          Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage'),
          'application/pdf',
          'filename="附件1 申报材料（扫描件）.pdf"',
        ),
        filePart(gbk(PROJECT_CSV), 'text/csv', 'filename="table.csv"'),
      ],
    );
    const m = await parse(raw);
    expect(byPath(m, 'broken.pdf')?.error).toBeTruthy();
    // an unreadable file counts for nothing: no copy, no role, what it would have been only in notes
    const named = byPath(m, '附件1 申报材料（扫描件）.pdf');
    expect(named).toMatchObject({ copy: 'unknown', roles: [], error: expect.any(String) });
    expect(named?.notes?.join()).toMatch(/不计为申报材料/);
    expect(m.projects).toHaveLength(3);
    expect(m.flags.map((f) => f.code)).toEqual(['UNREADABLE_ATTACHMENT', 'UNREADABLE_ATTACHMENT']);
  });
});

describe('limits and flags', () => {
  it('stops an extraction past the time cap and keeps going', async () => {
    // the extractor never finishes a table named "hang…": the cap, not the machine's speed, decides
    const hanging = createParser({
      size: 1,
      extractorModule: new URL('./test-helpers/hanging-extractor.mjs', import.meta.url).href,
    });
    try {
      const table = (name: string) =>
        rawMessage(
          [...BASE_HEADERS, 'Subject: slow'],
          [textPart('x'), filePart(gbk(PROJECT_CSV), 'text/csv', `filename="${name}"`)],
        );
      const slow = await hanging.parse(table('hang-table.csv'), { profile, limits: { attachmentTimeoutMs: 500 } });
      expect(byPath(slow, 'hang-table.csv')?.error).toMatch(/超时/);
      expect(slow.metrics.projectCount).toBeNull();
      // the terminated worker is replaced: the next message on the same pool reads normally
      const next = await hanging.parse(table('table.csv'), { profile });
      expect(next.projects).toHaveLength(3);
    } finally {
      await hanging.close();
    }
  });

  it('raises UNVERIFIED_SENDER for spf=fail only, stamped by our own authserv-id', async () => {
    const ours = { authservIds: ['mx.jl.gov.cn'] };
    const failed = await parse(
      rawMessage(
        [
          ...BASE_HEADERS,
          'Subject: x',
          'Authentication-Results: mx.jl.gov.cn; spf=fail smtp.mailfrom=sender@example.cn',
        ],
        [textPart('x')],
      ),
      ours,
    );
    expect(failed.flags.map((f) => f.code)).toEqual(['UNVERIFIED_SENDER']);
    expect(failed.flags[0]?.detail).toMatch(/spf=fail/);
    expect(failed.authentication).toEqual({
      trusted: true,
      configured: true,
      results: [{ method: 'spf', result: 'fail', authservId: 'mx.jl.gov.cn' }],
      ignoredHeaders: 0,
    });
    const soft = await parse(
      rawMessage(
        [
          ...BASE_HEADERS,
          'Subject: x',
          'Authentication-Results: mx.jl.gov.cn; spf=softfail smtp.mailfrom=sender@example.cn',
        ],
        [textPart('x')],
      ),
      ours,
    );
    expect(soft.flags).toEqual([]);
  });

  it('ignores a sender-added dkim=pass (another authserv-id) and says when no trusted result exists', async () => {
    const headers = [
      ...BASE_HEADERS,
      'Subject: x',
      // the sender wrote this one into the mail before sending it
      'Authentication-Results: mx.jl.gov.cn.attacker.example; dkim=pass header.d=changchun.gov.cn',
      'Authentication-Results: mx.jl.gov.cn; dkim=fail (signature did not verify) header.d=changchun.gov.cn',
    ];
    const m = await parse(rawMessage(headers, [textPart('x')]), { authservIds: ['mx.jl.gov.cn'] });
    expect(m.flags.map((f) => f.code)).toEqual(['UNVERIFIED_SENDER']);
    expect(m.authentication?.ignoredHeaders).toBe(1);
    // AUTHSERV_ID unset: nothing is believed, and the message says so
    const unset = await parse(rawMessage(headers, [textPart('x')]));
    expect(unset.flags).toEqual([]);
    expect(unset.authentication).toEqual({ trusted: false, configured: false, results: [], ignoredHeaders: 2 });
  });

  it('uses evaluateFlags and keeps parser flags of codes it did not decide', async () => {
    const raw = rawMessage([...BASE_HEADERS, 'Subject: x', 'Authentication-Results: mx; dmarc=fail'], [textPart('x')]);
    const m = await parse(raw, {
      authservIds: ['mx'],
      evaluateFlags: (msg) => [{ code: 'LATE', label: '逾期报送', detail: `had ${msg.flags.length}` }],
    });
    expect(m.flags.map((f) => [f.code, f.detail.slice(0, 5)])).toEqual([
      ['LATE', 'had 1'],
      ['UNVERIFIED_SENDER', expect.any(String)],
    ]);
  });

  it('prefers the given receipt time, then Date, then Received', async () => {
    const given = await parse(rawMessage([...BASE_HEADERS, 'Subject: x'], [textPart('x')]), {
      receivedAt: new Date('2020-05-16T01:00:00Z'),
      receivedAtSource: 'server',
    });
    expect([given.receivedAt, given.receivedAtSource]).toEqual(['2020-05-16T01:00:00.000Z', 'server']);
    const viaReceived = await parse(
      rawMessage(
        ['From: a@b.cn', 'Subject: x', 'Received: from a by b; Sat, 16 May 2020 08:00:00 +0800'],
        [textPart('x')],
      ),
    );
    expect([viaReceived.receivedAt, viaReceived.receivedAtSource]).toEqual([
      '2020-05-16T00:00:00.000Z',
      'received-header',
    ]);
  });

  it('reads only the headers of a message over the size limit', async () => {
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: big'],
      [textPart('x'), filePart(Buffer.alloc(5000, 1), 'application/pdf', 'filename="a.pdf"')],
    );
    const m = await parse(raw, { limits: { maxMessageBytes: 1000 } });
    expect(m.subject).toBe('big');
    expect(m.attachments).toEqual([]);
    expect(m.notes?.join()).toMatch(/邮件过大/);
  });
});

describe('bodies', () => {
  it('decodes a single-part GBK body sent without a charset', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: a@b.cn\r\nSubject: x\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      gbk('关于申报长春市集群的函'),
    ]);
    const m = await parse(raw);
    expect(m.bodyExcerpt).toBe('关于申报长春市集群的函');
  });
});

describe('parseMessageFile', () => {
  it('parses a file with the shared pool, and closeParsers() stops it', async () => {
    const { parseMessageFile, closeParsers } = await import('./parser.js');
    const fs = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mail-parsing-file-'));
    const file = path.join(dir, 'a.eml');
    await fs.writeFile(
      file,
      rawMessage(
        [...BASE_HEADERS, 'Subject: file'],
        [textPart('x'), filePart(gbk(PROJECT_CSV), 'text/csv', 'filename="t.csv"')],
      ),
    );
    try {
      const m = await parseMessageFile(file, { profile });
      expect(m.subject).toBe('file');
      expect(m.projects).toHaveLength(3);
    } finally {
      await closeParsers();
      await closeParsers();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('not a message', () => {
  it('returns a result with a note instead of throwing for bytes that are not RFC 822', async () => {
    const m = await parse(Buffer.from('%PDF-1.4 this is not a mail at all'));
    expect(m.notes?.join()).toMatch(/RFC 822/);
    expect(m.attachments).toEqual([]);
  });
});
