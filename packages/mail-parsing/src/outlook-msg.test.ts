// Guards (issue 10): Outlook .msg attachments were listed as unreadable. They are unpacked into
// their attachments (walked like any other file, nested messages included, under the nesting
// limit) and their body. Real samples from msgreader's test files (see test/fixtures/real/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCampaignProfile, type TParsedMessage } from '@intake/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackOutlookMsg } from './outlook-msg.js';
import { createParser, type MailMessageParser } from './parser.js';
import { BASE_HEADERS, filePart, rawMessage } from './test-helpers/mime-builder.js';

const REAL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/real/msg');
const real = (name: string): Buffer => fs.readFileSync(path.join(REAL, name));

describe('unpackOutlookMsg', () => {
  it('reads the body in Chinese, Japanese and Korean (msgreader "Hello +CJK.msg")', () => {
    const m = unpackOutlookMsg(real('msgreader-hello-cjk.msg'));
    expect(m.subject).toBe('Hello +CJK');
    expect(m.body).toContain('C 你好');
  });
  it('fails with a reason on bytes that are not a .msg', () => {
    expect(() => unpackOutlookMsg(Buffer.from('not an OLE file at all'))).toThrow();
  });
});

describe('.msg attachments through the parser', () => {
  let parser: MailMessageParser;
  beforeAll(() => {
    parser = createParser({ size: 1 });
  });
  afterAll(async () => {
    await parser.close();
  });
  const parse = (files: Array<[string, Buffer]>, maxDepth = 3): Promise<TParsedMessage> =>
    parser.parse(
      rawMessage(
        [...BASE_HEADERS, 'Subject: msg'],
        files.map(([name, data]) => filePart(data, 'application/vnd.ms-outlook', `filename="${name}"`)),
      ),
      { profile: loadCampaignProfile(), limits: { maxDepth } },
    );

  it('lists the attachments of a .msg under its path (msgreader attachmentFiles.msg)', async () => {
    const m = await parse([['转发.msg', real('msgreader-attachmentFiles.msg')]]);
    expect(m.attachments.map((a) => [a.path, a.kind, a.error ?? null])).toEqual([
      ['转发.msg', 'email', null],
      ['转发.msg/jpg.jpg', 'image', null],
      ['转发.msg/png.png', 'image', null],
      ['转发.msg/tif.tif', 'image', null],
    ]);
  });

  it('opens a message attached to a message, within the nesting limit (msgreader msgInMsg.msg)', async () => {
    const m = await parse([['outer.msg', real('msgreader-msgInMsg.msg')]]);
    const paths = m.attachments.map((a) => a.path);
    expect(paths).toContain('outer.msg/Microsoft Outlook テスト メッセージ.msg');
    expect(paths).toContain('outer.msg/green.png');
    const shallow = await parse([['outer.msg', real('msgreader-msgInMsg.msg')]], 1);
    expect(
      shallow.attachments.find((a) => a.path === 'outer.msg/Microsoft Outlook テスト メッセージ.msg')?.error,
    ).toMatch(/嵌套层数超过上限/);
  });
});
