// Guards: GBK zip names as garbage, zip bombs expanded, `../` names escaping the archive path.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { expandZip } from './archive-expand.js';
import { resolveLimits } from './limits.js';
import { sniffFormat } from './sniff-format.js';
import { buildZip } from './test-helpers/zip-writer.js';

describe('expandZip', () => {
  it('decodes GBK names without the UTF-8 flag and UTF-8 names with it', () => {
    const zip = buildZip([
      { name: iconv.encode('附件1申报材料.docx', 'gbk'), data: Buffer.from('x') },
      { name: '附件2.xlsx', data: Buffer.from('y'), utf8Flag: true },
      { name: iconv.encode('資料/說明.txt', 'big5'), data: Buffer.from('z') },
    ]);
    const out = expandZip(zip, resolveLimits(), { usedBytes: 0 });
    expect(out.error).toBeUndefined();
    expect(out.members.map((m) => m.path)).toEqual(['附件1申报材料.docx', '附件2.xlsx', '資料/說明.txt']);
  });

  it('refuses a zip bomb without inflating it', () => {
    const zip = buildZip([{ name: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) }]);
    const budget = { usedBytes: 0 };
    const out = expandZip(zip, resolveLimits(), budget);
    expect(out.error).toMatch(/解压炸弹/);
    expect(out.members).toEqual([]);
    expect(budget.usedBytes).toBe(0);
  });

  it('refuses an archive that would unpack beyond the total budget', () => {
    const zip = buildZip([{ name: 'a.bin', data: Buffer.alloc(4000, 1), store: true }]);
    const out = expandZip(zip, resolveLimits({ maxTotalUnpackedBytes: 3000 }), { usedBytes: 0 });
    expect(out.error).toMatch(/超过上限/);
  });

  it('neutralises path traversal and skips directories and __MACOSX', () => {
    const zip = buildZip([
      { name: '../../etc/passwd', data: Buffer.from('x') },
      { name: 'dir/', data: Buffer.alloc(0) },
      { name: '__MACOSX/._a.pdf', data: Buffer.from('x') },
      { name: 'C:\\材料\\a.txt', data: Buffer.from('x'), utf8Flag: true },
    ]);
    const out = expandZip(zip, resolveLimits(), { usedBytes: 0 });
    expect(out.members.map((m) => m.path)).toEqual(['etc/passwd', '材料/a.txt']);
    expect(out.notes.join()).toMatch(/不安全路径/);
  });

  it('refuses too many entries', () => {
    const zip = buildZip(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') })));
    const out = expandZip(zip, resolveLimits({ maxArchiveEntries: 5 }), { usedBytes: 0 });
    expect(out.error).toMatch(/条目过多/);
  });
});

describe('sniffFormat', () => {
  it('tells xlsx, docx and zip apart by their entries', async () => {
    const xlsx = buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<x/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<x/>') },
    ]);
    const docx = buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<x/>') },
      { name: 'word/document.xml', data: Buffer.from('<x/>') },
    ]);
    expect((await sniffFormat(xlsx, 'a.zip')).format).toBe('xlsx');
    expect((await sniffFormat(docx, 'a.bin')).format).toBe('docx');
    expect((await sniffFormat(buildZip([{ name: 'a.txt', data: Buffer.from('x') }]), 'a.xlsx')).format).toBe('zip');
  });
  it('follows the content of a mislabelled file and notes it', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]);
    const r = await sniffFormat(jpeg, '申报书.pdf');
    expect(r.kind).toBe('image');
    expect(r.notes.join()).toMatch(/实际内容为 JPEG/);
  });
  it('recognises OLE formats by stream name, rar, and RFC 822 text', async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(100),
      Buffer.from('Workbook', 'utf16le'),
    ]);
    expect((await sniffFormat(ole, 'table.dat')).format).toBe('xls');
    expect((await sniffFormat(ole, 'table.et')).format).toBe('et');
    expect((await sniffFormat(Buffer.from('Rar!\u001a\u0007\u0000', 'latin1'), 'a.rar')).kind).toBe('archive');
    expect((await sniffFormat(Buffer.from('From: a@b.cn\r\nSubject: x\r\n\r\nbody'), 'fw')).format).toBe('eml');
    expect((await sniffFormat(Buffer.from('项目名称,投资'), 'a.csv')).format).toBe('csv');
  });
});

describe('sniffFormat with "%PDF-" near the start', () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
  it('takes a zip whose first member is a stored PDF, or a stored zip of PDFs, for a zip', async () => {
    const inner = buildZip([{ name: 'scan.pdf', data: pdf, store: true }]);
    expect((await sniffFormat(buildZip([{ name: 'a.pdf', data: pdf, store: true }]), 'x.zip')).format).toBe('zip');
    expect((await sniffFormat(buildZip([{ name: 'inner.zip', data: inner, store: true }]), 'x.zip')).format).toBe(
      'zip',
    );
  });
  it('still reads a PDF with a junk line before its header', async () => {
    expect((await sniffFormat(Buffer.concat([Buffer.from('X-Gateway: scanned\r\n'), pdf]), 'a.pdf')).format).toBe(
      'pdf',
    );
  });
});

describe('sniffFormat on encrypted Office files', () => {
  it('keeps the kind the name says for a password-protected xlsx', async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(64),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    expect(await sniffFormat(ole, '附件2.xlsx')).toMatchObject({
      format: 'office-encrypted',
      kind: 'spreadsheet',
      notes: [],
    });
  });
});
