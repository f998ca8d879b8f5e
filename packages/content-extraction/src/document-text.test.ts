// Guards text extraction and scan/electronic detection: a scanned page must be
// image-only, a text page electronic, an OCR'd scan a (stated) gray area.
import fs from 'node:fs';
import { Document, Packer, Paragraph } from 'docx';
import iconv from 'iconv-lite';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { extractDocumentText } from './document-text.js';
import { classifyPdfCopy } from './pdf-copy.js';

const CJK_FONTS = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
];
const cjkFont = CJK_FONTS.find((f) => fs.existsSync(f));
const BODY = cjkFont
  ? '2019年，集群实现总产值128.6亿元，产值亿元以上企业12户。'
  : 'In 2019 the cluster output reached 128.6 yi yuan.';

function grayPng(w: number, h: number): Buffer {
  const png = new PNG({ width: w, height: h });
  png.data.fill(200);
  return PNG.sync.write(png);
}

type PageSpec = 'text' | 'scan' | 'ocr' | 'blank' | 'logo';

function buildPdf(pages: PageSpec[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false, size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    if (cjkFont) doc.registerFont('cjk', cjkFont, 'WenQuanYiMicroHei');
    const img = grayPng(120, 170);
    for (const spec of pages) {
      doc.addPage();
      if (spec === 'scan' || spec === 'ocr') doc.image(img, 0, 0, { width: doc.page.width, height: doc.page.height });
      if (spec === 'logo') doc.image(img, 40, 40, { width: 60, height: 80 });
      if (spec === 'text' || spec === 'ocr' || spec === 'logo')
        doc
          .font(cjkFont ? 'cjk' : 'Helvetica')
          .fontSize(12)
          .text(BODY, 72, 200);
      if (spec === 'scan') doc.font('Helvetica').fontSize(8).text('- 1 -', 280, 700, { lineBreak: false });
    }
    doc.end();
  });
}

describe('extractDocumentText on PDF', () => {
  it('reads the text layer per page and marks image-only pages', async () => {
    const r = await extractDocumentText(await buildPdf(['text', 'scan', 'logo']), { format: 'pdf' });
    expect(r.pages).toHaveLength(3);
    const [p1, p2, p3] = r.pages ?? [];
    expect(p1?.text).toContain(cjkFont ? '总产值128.6亿元' : '128.6');
    expect(p1).toMatchObject({ hasImage: false, imageOnly: false });
    expect(p2).toMatchObject({ hasImage: true, imageOnly: true });
    expect(p3).toMatchObject({ hasImage: false, imageOnly: false });
    expect(r.text).toContain('128.6');
  });

  it('classifies scans, electronic copies and OCR-layered scans', async () => {
    const scan = await extractDocumentText(await buildPdf(['scan', 'scan', 'scan']), { format: 'pdf' });
    expect(classifyPdfCopy(scan.pages ?? [])).toMatchObject({ copy: 'scan' });
    const electronic = await extractDocumentText(await buildPdf(['text', 'logo', 'text']), { format: 'pdf' });
    expect(classifyPdfCopy(electronic.pages ?? [])).toMatchObject({ copy: 'electronic' });
    const ocr = await extractDocumentText(await buildPdf(['ocr', 'ocr']), { format: 'pdf' });
    const decision = classifyPdfCopy(ocr.pages ?? []);
    expect(decision.copy).toBe('scan');
    expect(decision.reason).toMatch(/OCR/);
    expect(classifyPdfCopy([])).toMatchObject({ copy: 'unknown' });
  });

  it('throws a reason for a corrupt PDF', async () => {
    await expect(extractDocumentText(Buffer.from('%PDF-1.4\ngarbage'), { format: 'pdf' })).rejects.toThrow(/PDF/);
  });
});

describe('extractDocumentText on word-processor files', () => {
  it('reads a .docx with mammoth', async () => {
    const doc = new Document({
      sections: [
        { children: [new Paragraph('关于申报长春市生物医药产业集群的请示'), new Paragraph('妥否，请批示。')] },
      ],
    });
    const r = await extractDocumentText(await Packer.toBuffer(doc), { format: 'docx' });
    expect(r.text).toContain('关于申报长春市生物医药产业集群的请示');
    expect(r.text).toContain('妥否，请批示');
  });

  it('reads a docx saved with a .doc name, GBK text and RTF-as-doc', async () => {
    const doc = new Document({ sections: [{ children: [new Paragraph('基本情况')] }] });
    const misnamed = await extractDocumentText(await Packer.toBuffer(doc), { format: 'doc' });
    expect(misnamed.text).toContain('基本情况');
    expect(misnamed.notes.join()).toMatch(/docx/);
    expect((await extractDocumentText(iconv.encode('产业规模', 'gbk'), { format: 'txt' })).text).toBe('产业规模');
    const gbkHex = [...iconv.encode('集群', 'gbk')].map((b) => `\\'${b.toString(16)}`).join('');
    const rtf = Buffer.from(
      `{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0 SimSun;}}\\f0 ${gbkHex}\\par \\u20135?\\u19994?}`,
      'latin1',
    );
    expect((await extractDocumentText(rtf, { format: 'doc' })).text).toBe('集群\n产业');
  });

  it('throws why for an unreadable .wps or .doc', async () => {
    await expect(extractDocumentText(Buffer.from('not a document at all'), { format: 'wps' })).rejects.toThrow(
      /无法识别/,
    );
    const fakeOle = Buffer.alloc(2048);
    fakeOle.writeUInt32BE(0xd0cf11e0, 0);
    fakeOle.writeUInt32BE(0xa1b11ae1, 4);
    await expect(extractDocumentText(fakeOle, { format: 'doc' })).rejects.toThrow(/doc文件无法读取/);
  });
});
