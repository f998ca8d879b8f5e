// Guards (issue 10): OFD, the national fixed-layout format, was unreadable. Its words are read per
// page (a 红头 document's 文号 line included), image-only pages are listed with their images for
// OCR, and through the parser an OFD is a document whose copy is decided from its pages like a
// PDF. Real samples from ofdrw's test resources (see test/fixtures/real/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCampaignProfile } from '@intake/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesOf, readOfdText, resolveOfdPath } from './ofd-text.js';
import { createParser, type MailMessageParser } from './parser.js';
import { BASE_HEADERS, filePart, rawMessage } from './test-helpers/mime-builder.js';
import { buildZip } from './test-helpers/zip-writer.js';

const REAL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/real/ofd');
const real = (name: string): Buffer => fs.readFileSync(path.join(REAL, name));

describe('readOfdText on real OFD files', () => {
  it('reads a 红头 document page with its 文号 and title lines (ofdrw n.ofd)', () => {
    const r = readOfdText(real('ofdrw-n-red-header.ofd'));
    const lines = r.pages[0]!.text.split('\n');
    expect(lines).toContain('路卫发〔2011〕76号');
    expect(lines).toContain('关于同意张阿三同志辞职的批复');
    expect(r.pages[0]!.imageOnly).toBe(false);
  });
  it('reads text beside a seal image and lists the image (ofdrw keyword.ofd)', () => {
    const r = readOfdText(real('ofdrw-keyword-seal.ofd'));
    expect(r.pages).toHaveLength(1);
    expect(r.text).toContain('鲁（2020）泰安市不动产证明第0014777号');
    expect(r.pages[0]!.images).toEqual(['Doc_0/Res/image_1_5.png']);
  });
  it('reads the smallest OFD (ofdrw helloworld.ofd)', () => {
    expect(readOfdText(real('ofdrw-helloworld.ofd')).text).toBe('你好呀，OFD Reader&Writer！');
  });
  it('refuses a zip that is not an OFD, saying so', () => {
    expect(() => readOfdText(buildZip([{ name: 'a.txt', data: Buffer.from('x') }]))).toThrow(/OFD\.xml/);
  });
});

describe('OFD layout helpers', () => {
  it('resolves locations relative to the referring folder or from the root', () => {
    expect(resolveOfdPath('Doc_0', 'Pages/Page_0/Content.xml')).toBe('Doc_0/Pages/Page_0/Content.xml');
    expect(resolveOfdPath('Doc_0/Pages', '/Doc_0/Res/a.png')).toBe('Doc_0/Res/a.png');
    expect(resolveOfdPath('Doc_0/Pages', '../Res/a.png')).toBe('Doc_0/Res/a.png');
  });
  it('joins text objects on one baseline and breaks lines between baselines', () => {
    const text = linesOf([
      { x: 50, y: 20, size: 5, text: '〔2020〕86号' },
      { x: 10, y: 20.5, size: 5, text: '长发改高技' },
      { x: 10, y: 40, size: 5, text: '关于申报的请示' },
    ]);
    expect(text).toBe('长发改高技〔2020〕86号\n关于申报的请示');
  });
});

describe('an OFD attachment through the parser', () => {
  let parser: MailMessageParser;
  beforeAll(() => {
    parser = createParser({ size: 1 });
  });
  afterAll(async () => {
    await parser.close();
  });

  it('is a document with its words read and counted as the electronic copy', async () => {
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: ofd'],
      [filePart(real('ofdrw-n-red-header.ofd'), 'application/octet-stream', 'filename="pifu.ofd"')],
    );
    const msg = await parser.parse(raw, { profile: loadCampaignProfile() });
    const att = msg.attachments[0]!;
    expect(att.error).toBeUndefined();
    expect(att).toMatchObject({ kind: 'document', copy: 'electronic', pages: 2 });
  });
});
