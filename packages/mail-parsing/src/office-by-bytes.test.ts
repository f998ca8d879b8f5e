// Guards (issue 10): WPS Office's .wps and .et, and Word/Excel files with the wrong extension, are
// read by what their bytes are (the OLE directory's stream names, the zip's members), never by the
// extension. The Word 97 sample is from word-extractor's test data (see test/fixtures/real/README.md);
// the BIFF8 table is written by the fixture generator (SheetJS), as WPS 表格 writes .et.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCampaignProfile, type TParsedMessage } from '@intake/domain';
import { makeProjectTableXls } from '@intake/fixture-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oleStreamNames } from './ole-directory.js';
import { createParser, type MailMessageParser } from './parser.js';
import { sniffFormat } from './sniff-format.js';
import { BASE_HEADERS, filePart, rawMessage } from './test-helpers/mime-builder.js';

const REAL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/real/office');
const word97 = fs.readFileSync(path.join(REAL, 'word-extractor-test11.doc'));
const docx = fs.readFileSync(path.join(REAL, 'word-extractor-test11.docx'));
const projects = Array.from({ length: 3 }, (_, i) => ({
  name: `项目${i + 1}`,
  owner: '某公司',
  location: '长春市',
  content: '建设内容',
  investmentWan: 5000 + i * 100,
  period: '2020-2022',
  plan2020Wan: 1000,
  progress: '前期',
}));
const biff8 = makeProjectTableXls('长春市重点项目汇总表', projects);

describe('sniffing office files by their bytes', () => {
  it('reads the OLE directory of a Word 97 file', () => {
    expect(oleStreamNames(word97)).toEqual(expect.arrayContaining(['Root Entry', 'WordDocument']));
    expect(oleStreamNames(Buffer.from('not ole'))).toBeNull();
  });
  it.each([
    ['正文.wps', word97, 'wps'],
    ['正文.doc', word97, 'doc'],
    ['正文.xls', word97, 'doc'],
    ['正文.wps', docx, 'docx'],
    ['表.et', biff8, 'et'],
    ['表.xls', biff8, 'xls'],
    ['表.doc', biff8, 'xls'],
  ])('%s holding %#', async (name, data, format) => {
    expect((await sniffFormat(data, name)).format).toBe(format);
  });
});

describe('WPS files through the parser', () => {
  let parser: MailMessageParser;
  let msg: TParsedMessage;
  beforeAll(async () => {
    parser = createParser({ size: 1 });
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: wps'],
      [
        filePart(word97, 'application/octet-stream', 'filename="材料.wps"'),
        filePart(docx, 'application/octet-stream', 'filename="说明.wps"'),
        filePart(biff8, 'application/octet-stream', 'filename="附件2.et"'),
      ],
    );
    msg = await parser.parse(raw, { profile: loadCampaignProfile() });
  });
  afterAll(async () => {
    await parser.close();
  });

  it('reads a Word-97 .wps and a renamed .docx as electronic documents', () => {
    for (const name of ['材料.wps', '说明.wps']) {
      expect(msg.attachments.find((a) => a.path === name)).toMatchObject({ kind: 'document', copy: 'electronic' });
      expect(msg.attachments.find((a) => a.path === name)?.error).toBeUndefined();
    }
  });
  it('reads an .et table like BIFF8, with its projects', () => {
    expect(msg.attachments.find((a) => a.path === '附件2.et')).toMatchObject({
      kind: 'spreadsheet',
      copy: 'electronic',
    });
    expect(msg.projects.map((p) => p.totalInvestment)).toEqual([5000, 5100, 5200]);
  });
});
