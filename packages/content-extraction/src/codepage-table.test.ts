import * as XLSX from '@e965/xlsx';
import * as fullTable from '@e965/xlsx/dist/cpexcel.full.mjs';
import { describe, expect, it } from 'vitest';
import { codepageTable, UnknownCodepageError } from './codepage-table.js';
import { readProjectTable } from './project-table.js';

type Cptable = {
  utils: {
    decode(cp: number, data: Buffer | number[] | string): string;
    encode(cp: number, data: string, fmt?: string): Buffer | string | number[];
  };
};
const full = fullTable as unknown as Cptable;

// text each code page can carry, as an applicant's file would
const SAMPLES: ReadonlyArray<[number, string]> = [
  [936, '吉林省战略性新兴产业集群 附件2 重点项目汇总表（万元）'],
  [950, '長春新區生物醫藥產業集群 總投資'],
  [932, '総投資額 プロジェクト'],
  [949, '전략적 신흥 산업'],
  [1252, 'Total investment – café, 10 €'],
  [1251, 'Общий объём инвестиций'],
  [437, 'Table ░▒▓ 1½'],
  [874, 'การลงทุนทั้งหมด'],
  [10000, 'Résumé • ©'],
  [1200, '总投资 ABC'],
  [65001, '项目名称 ✓'],
  [20127, 'plain ascii 123'],
];

describe('codepageTable (SheetJS cptable over iconv-lite)', () => {
  it.each(SAMPLES)('decodes code page %i as SheetJS’s own table does', (cp, text) => {
    // a copy: cptable's UTF-8 encoder returns a view of a scratch buffer its next call reuses
    const bytes = Buffer.from(full.utils.encode(cp, text, 'buf') as Buffer);
    expect(codepageTable.utils.decode(cp, bytes)).toBe(full.utils.decode(cp, bytes));
    expect(codepageTable.utils.decode(cp, [...bytes])).toBe(full.utils.decode(cp, [...bytes]));
    expect(codepageTable.utils.decode(cp, bytes.toString('latin1'))).toBe(full.utils.decode(cp, [...bytes]));
  });

  it.each(SAMPLES)('encodes code page %i to the same bytes', (cp, text) => {
    const ours = codepageTable.utils.encode(cp, text, 'buf') as Buffer;
    expect([...ours]).toEqual([...Buffer.from(full.utils.encode(cp, text, 'buf') as Buffer)]);
    expect(codepageTable.utils.encode(cp, text, 'str')).toBe(ours.toString('latin1'));
    expect(codepageTable.utils.encode(cp, text, 'arr')).toEqual([...ours]);
  });

  it('reads GBK bytes as the Chinese a reviewer sees (hand-written expectation)', () => {
    // 总投资 in GBK: 0xD7DC 0xCDB6 0xD7CA
    expect(codepageTable.utils.decode(936, Buffer.from([0xd7, 0xdc, 0xcd, 0xb6, 0xd7, 0xca]))).toBe('总投资');
  });

  it('keeps a UTF-16LE BOM in a Buffer and drops it from an array, as cptable does', () => {
    const withBom = Buffer.from([0xff, 0xfe, 0x41, 0x00]);
    expect(codepageTable.utils.decode(1200, withBom)).toBe(full.utils.decode(1200, withBom));
    expect(codepageTable.utils.decode(1200, [...withBom])).toBe(full.utils.decode(1200, [...withBom]));
  });

  it('refuses a code page iconv-lite does not know, so the reader can fall back to the full table', () => {
    expect(() => codepageTable.utils.decode(895, [0x41])).toThrow(UnknownCodepageError);
  });

  it('reads a legacy .xls project table through SheetJS with this table', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['序号', '项目名称', '总投资（万元）'],
      [1, '长春新区生物医药产业园', 12000],
      [2, '吉林化纤碳纤维项目', 8000],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '附件2');
    const buf = XLSX.write(wb, { bookType: 'biff8', type: 'buffer' }) as Buffer;
    const r = await readProjectTable(buf, { filename: '附件2.xls', format: 'xls' });
    expect(r.projects.map((p) => [p.name, p.totalInvestment])).toEqual([
      ['长春新区生物医药产业园', 12000],
      ['吉林化纤碳纤维项目', 8000],
    ]);
  });

  it('reads a file whose code page iconv-lite lacks with SheetJS’s full table instead of refusing it', async () => {
    const ws = XLSX.utils.aoa_to_sheet([['No'], [1]]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const buf = XLSX.write(wb, { bookType: 'biff8', type: 'buffer' }) as Buffer;
    // the CodePage record (0x0042, 2 bytes) rewritten from 1200 to 895 (Kamenický), which only cptable has
    let patched = 0;
    for (let i = 0; i + 6 <= buf.length; i++)
      if (buf.readUInt16LE(i) === 0x42 && buf.readUInt16LE(i + 2) === 2 && buf.readUInt16LE(i + 4) === 1200) {
        buf.writeUInt16LE(895, i + 4);
        patched++;
      }
    expect(patched).toBe(1);
    expect(() => {
      XLSX.set_cptable(codepageTable);
      XLSX.read(buf, { type: 'buffer' });
    }).toThrow(UnknownCodepageError);
    await expect(readProjectTable(buf, { filename: 'a.xls', format: 'xls' })).resolves.toMatchObject({ projects: [] });
  });
});
