// Guards issue 12 items 8–10: office files whose zip directory lies about their size (read by the
// declared sizes, a 66 KB xlsx spooled 64 MiB into TMPDIR and a docx inflated 48 MiB outside the
// heap cap), temp files left behind by a reader stopped at its time cap, memory outside the heap,
// a thread reused after SheetJS read a legacy file, and a message with no overall work budget
// (many slow attachments, a PDF page bomb).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { loadCampaignProfile, type TParsedMessage } from '@intake/domain';
import { lyingDocx, lyingXlsx } from '@intake/fixture-generator';
import { afterAll, describe, expect, it } from 'vitest';
import { createParser, type MailMessageParser } from './parser.js';
import type { ParseLimits } from './limits.js';
import { BASE_HEADERS, filePart, rawMessage, textPart } from './test-helpers/mime-builder.js';
import { ExtractPool } from './worker-pool.js';

const profile = loadCampaignProfile();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'extraction-limits-'));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
  fs.rmSync(root, { recursive: true, force: true });
});

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function mail(files: Array<{ name: string; data: Buffer; type: string }>): Buffer {
  return rawMessage(
    [...BASE_HEADERS, 'Subject: limits'],
    [textPart('见附件'), ...files.map((f) => filePart(f.data, f.type, `filename="${f.name}"`))],
  );
}

function parserIn(dir: string, extra: { extractorModule?: string; size?: number } = {}): MailMessageParser {
  fs.mkdirSync(dir, { recursive: true });
  const p = createParser({ size: extra.size ?? 1, tempRoot: dir, ...extra });
  cleanups.push(() => p.close());
  return p;
}

const parse = (p: MailMessageParser, raw: Buffer, limits: Partial<ParseLimits> = {}): Promise<TParsedMessage> =>
  p.parse(raw, { profile, limits });
const errorOf = (m: TParsedMessage, name: string) => m.attachments.find((a) => a.filename === name)?.error ?? null;

const HELPERS = new URL('./test-helpers/', import.meta.url);

describe('office files that lie about their size (12.8)', () => {
  it('refuses an xlsx by the bytes it really inflates to, and leaves no spool file behind', async () => {
    const tmp = path.join(root, 'xlsx');
    const p = parserIn(tmp);
    const file = lyingXlsx(64);
    expect(file.length).toBeLessThan(256 * 1024);
    const m = await parse(p, mail([{ name: '附件2.xlsx', data: file, type: XLSX_TYPE }]));
    expect(errorOf(m, '附件2.xlsx')).toMatch(/压缩炸弹.*whatever its zip directory declares/);
    expect(m.flags.map((f) => f.code)).toContain('UNREADABLE_ATTACHMENT');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('refuses a docx by its real inflated size before mammoth allocates it', async () => {
    const p = parserIn(path.join(root, 'docx'));
    const m = await parse(p, mail([{ name: '申报材料.docx', data: lyingDocx(48), type: DOCX_TYPE }]));
    expect(errorOf(m, '申报材料.docx')).toMatch(/压缩炸弹/);
  });

  it('an honest office file over the real-byte cap is refused with the cap, not the ratio', async () => {
    const p = parserIn(path.join(root, 'cap'));
    const m = await parse(p, mail([{ name: '附件2.xlsx', data: lyingXlsx(3), type: XLSX_TYPE }]), {
      maxOfficeUnpackedBytes: 1024 * 1024,
      maxCompressionRatio: 100_000,
    });
    expect(errorOf(m, '附件2.xlsx')).toMatch(/解压后超过 1\.0 MB/);
  });

  it("removes a reader's temp files when the reader is stopped at its time cap", async () => {
    const tmp = path.join(root, 'timeout');
    const p = parserIn(tmp, { extractorModule: new URL('spool-extractor.mjs', HELPERS).href });
    // a small honest xlsx: the thread makes its temp dir, the reader spools into it and hangs
    const m = await parse(p, mail([{ name: 'spool-hang.xlsx', data: lyingXlsx(0), type: XLSX_TYPE }]), {
      attachmentTimeoutMs: 1500,
    });
    expect(errorOf(m, 'spool-hang.xlsx')).toMatch(/超时/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('stops a thread whose memory outside the heap passes its cap', async () => {
    const pool = new ExtractPool({
      size: 1,
      externalMemoryMb: 64,
      tempRoot: root,
      extractorModule: new URL('spool-extractor.mjs', HELPERS).href,
    });
    cleanups.push(() => pool.close());
    await expect(
      pool.run({ op: 'table', format: 'csv', filename: 'hoard.csv' }, Buffer.from('x'), 60_000),
    ).rejects.toThrow(/outside the heap/);
    await expect(pool.run({ op: 'text', format: 'txt' }, Buffer.from('next'), 10_000)).resolves.toMatchObject({
      text: 'next',
    });
  });
});

describe('legacy spreadsheets (12.10)', () => {
  it('replaces the thread after SheetJS read a file (its successor starts at once), and keeps it otherwise', async () => {
    const pool = new ExtractPool({ size: 1, tempRoot: root });
    cleanups.push(() => pool.close());
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['序号', '项目名称']]), 'Sheet1');
    const xls = XLSX.write(wb, { bookType: 'biff8', type: 'buffer' }) as Buffer;
    await pool.run({ op: 'text', format: 'txt' }, Buffer.from('a'), 20_000);
    await pool.run({ op: 'text', format: 'txt' }, Buffer.from('b'), 20_000);
    expect(pool.threadsStarted).toBe(1);
    await pool.run({ op: 'table', format: 'xls', filename: 'a.xls' }, xls, 20_000);
    await pool.run({ op: 'text', format: 'txt' }, Buffer.from('c'), 20_000);
    // the ordinary thread, the one that read a.xls, and the standby that replaced it
    expect(pool.threadsStarted).toBe(3);
    await expect(pool.run({ op: 'table', format: 'xls', filename: 'b.xls' }, xls, 20_000)).resolves.toMatchObject({
      found: false,
    });
    // b.xls ran in the standby (no thread started for it), which was then replaced in turn
    expect(pool.threadsStarted).toBe(4);
  });

  it('starts each legacy thread from the SheetJS code cache the first one made before it read anything', async () => {
    const pool = new ExtractPool({ size: 1, tempRoot: root });
    cleanups.push(() => pool.close());
    const table = (name: string): Buffer => {
      const wb = XLSX.utils.book_new();
      const rows = [
        ['序号', '项目名称', '总投资（万元）'],
        [1, name, 12000],
      ];
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '附件2');
      return XLSX.write(wb, { bookType: 'biff8', type: 'buffer' }) as Buffer;
    };
    const names = ['长春新区生物医药产业园', '吉林化纤碳纤维项目', '一汽新能源整车项目'];
    for (const name of names) {
      const r = await pool.run({ op: 'table', format: 'xls', filename: `${name}.xls` }, table(name), 20_000);
      expect(r).toMatchObject({ found: true, projects: [{ name, totalInvestment: 12000 }] });
    }
    // a thread per file as before (three, and the standby for a fourth); SheetJS compiled from source in the first alone
    expect(pool.threadsStarted).toBe(4);
    expect(pool.sheetJsCompiles).toBe(1);
  });
});

/** A PDF of `n` pages sharing one content stream: small on disk, every page to be read. */
function pdfPageBomb(n: number): Buffer {
  const objs: string[] = [];
  const kids = Array.from({ length: n }, (_, i) => `${i + 5} 0 R`).join(' ');
  objs.push('<< /Type /Catalog /Pages 2 0 R >>');
  objs.push(`<< /Type /Pages /Kids [${kids}] /Count ${n} >>`);
  objs.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const content = 'BT /F1 12 Tf 72 720 Td (Seite mit Text fuer die Probe) Tj ET';
  objs.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  for (let i = 0; i < n; i++)
    objs.push(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>',
    );
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

describe('the per-message work budget (12.9)', () => {
  it('lists the rest unread once the time budget is spent by slow attachments', async () => {
    const p = parserIn(path.join(root, 'slow'), {
      extractorModule: new URL('hanging-extractor.mjs', HELPERS).href,
    });
    const files = Array.from({ length: 12 }, (_, i) => ({
      name: `hang-${i + 1}.csv`,
      data: Buffer.from(`a,b\n${i},x\n`),
      type: 'text/csv',
    }));
    const m = await parse(p, mail(files), { attachmentTimeoutMs: 1000, messageBudgetMs: 3000 });
    expect(errorOf(m, 'hang-1.csv')).toMatch(/读取超时/);
    expect(errorOf(m, 'hang-12.csv')).toMatch(/读取时间预算（3 秒）已用完，未读取/);
    expect(m.attachments.every((a) => a.error)).toBe(true);
  });

  it('reads a PDF page bomb only as far as the page budget, and the next PDF not at all', async () => {
    // two threads: the second PDF must still wait for what the first really read
    const p = parserIn(path.join(root, 'pages'), { size: 2 });
    const m = await parse(
      p,
      mail([
        { name: 'bomb.pdf', data: pdfPageBomb(3000), type: 'application/pdf' },
        { name: 'later.pdf', data: pdfPageBomb(5), type: 'application/pdf' },
      ]),
      { messageBudgetPages: 40 },
    );
    const bomb = m.attachments.find((a) => a.filename === 'bomb.pdf');
    expect(bomb?.error).toBeUndefined();
    expect(bomb?.pages).toBe(40);
    expect(bomb?.notes?.join('\n')).toMatch(/PDF共3000页，本邮件的页数预算只够读取前40页/);
    expect(errorOf(m, 'later.pdf')).toMatch(/页数预算（40 页）已用完/);
  });

  it('stops handing files to readers once the byte budget is spent', async () => {
    const p = parserIn(path.join(root, 'bytes'));
    const csv = (i: number) => ({ name: `t${i}.csv`, data: Buffer.alloc(4096, `${i},`), type: 'text/csv' });
    const m = await parse(p, mail([csv(1), csv(2), csv(3)]), { messageBudgetBytes: 9000 });
    expect(errorOf(m, 't1.csv')).toBeNull();
    expect(errorOf(m, 't2.csv')).toBeNull();
    expect(errorOf(m, 't3.csv')).toMatch(/字节预算.*已用完/);
  });
});
