// Guards the streaming .xlsx reader used for every workbook: it must read what
// exceljs' full load reads (merged headers, rich text, formulas, dates, gaps),
// keep Chinese intact across chunk boundaries, and stop keeping rows at the cap.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsxGrids, MAX_SHEET_ROWS } from './xlsx-grid.js';
import { collectMerges, readXlsxGridsStreaming } from './xlsx-stream-grid.js';

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function mixedWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const hidden = wb.addWorksheet('说明');
  hidden.state = 'hidden';
  hidden.addRow(['请按要求填写']);
  const ws = wb.addWorksheet('项目表');
  ws.addRow(['2020年长春市生物医药产业集群重点项目汇总表']);
  ws.mergeCells('A1:F1');
  ws.addRow(['序号', '项目名称', '建设单位', '总投资（亿元）', '', '建设起止年限']);
  ws.addRow(['', '', '', '计划总投资', '其中：2020年', '']);
  for (const c of ['A', 'B', 'C', 'F']) ws.mergeCells(`${c}2:${c}3`);
  ws.mergeCells('D2:E2');
  ws.addRow([
    1,
    { richText: [{ text: '高端' }, { text: '制剂项目' }] },
    '修正药业',
    { formula: 'E4*2', result: 7 },
    1.25,
    new Date(Date.UTC(2021, 0, 1)),
  ]);
  ws.getRow(7).values = [2, '隔行项目', '某公司', 3, '', '2021-2023'];
  ws.addRow([3, '布尔值', true, { error: '#N/A' }]);
  return wb;
}

describe('readXlsxGridsStreaming', () => {
  it('reads the same grids as the full exceljs load', async () => {
    const buf = await toBuffer(mixedWorkbook());
    const full = await readXlsxGrids(buf, []);
    const streamed = await readXlsxGridsStreaming(buf, []);
    expect(streamed.map((g) => [g.sheet, g.hidden])).toEqual([
      ['说明', true],
      ['项目表', false],
    ]);
    const sheet = streamed[1]!;
    expect(sheet.rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // merged header cells carry the top-left's text, as in the full load
    expect(sheet.rows[2]?.cells.map((c) => c.text)).toEqual([
      '序号',
      '项目名称',
      '建设单位',
      '计划总投资',
      '其中：2020年',
      '建设起止年限',
    ]);
    expect(sheet.rows[0]?.cells.map((c) => c.text)).toEqual(
      Array(6).fill('2020年长春市生物医药产业集群重点项目汇总表'),
    );
    expect(sheet.rows[3]?.cells.map((c) => c.text)).toEqual([
      '1',
      '高端制剂项目',
      '修正药业',
      '7',
      '1.25',
      '2021-01-01',
    ]);
    expect(sheet.rows[3]?.cells[5]?.date?.toISOString()).toBe('2021-01-01T00:00:00.000Z');
    // trailing empty cells differ in count between the readers; the texts must not
    const texts = (g: typeof sheet): string[][] =>
      g.rows.map((r) =>
        r.cells
          .map((c) => c.text)
          .join('\u0001')
          .replace(/\u0001+$/, '')
          .split('\u0001'),
      );
    expect(texts(sheet)).toEqual(texts(full[1]!));
  });

  it('keeps CJK text whole however the inflated XML is chunked', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    const names = Array.from({ length: 3000 }, (_, i) => `吉林省长春市生物医药产业集群重点项目第${i}号（续建）`);
    for (const n of names) ws.addRow([n, `建设单位${n}`]);
    const grids = await readXlsxGridsStreaming(await toBuffer(wb), []);
    const got = grids[0]!.rows.map((r) => r.cells[0]?.text);
    expect(got).toEqual(names);
    expect(grids[0]!.rows.some((r) => r.cells.some((c) => c.text.includes('\ufffd')))).toBe(false);
  });

  it('stops keeping rows at the cap but still applies merges written after them', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('大表');
    ws.addRow(['项目名称', '', '总投资']);
    ws.mergeCells('A1:B1');
    for (let i = 1; i <= MAX_SHEET_ROWS + 5; i++) ws.addRow([`项目${i}`, '', i]);
    const notes: string[] = [];
    const [grid] = await readXlsxGridsStreaming(await toBuffer(wb), notes);
    expect(grid?.rows).toHaveLength(MAX_SHEET_ROWS);
    expect(grid?.rows[0]?.cells.map((c) => c.text)).toEqual(['项目名称', '项目名称', '总投资']);
    expect(notes.join('\n')).toMatch(/超过20000行/);
  });
});

describe('collectMerges', () => {
  it('finds a mergeCell tag split between two chunks exactly once', () => {
    const xml = '<mergeCells count="2"><mergeCell ref="A1:G1"/><x:mergeCell ref=\'b2:b3\'/></mergeCells>';
    for (let cut = 0; cut <= xml.length; cut++) {
      const out: string[] = [];
      const carry = collectMerges(xml.slice(0, cut), out);
      collectMerges(carry + xml.slice(cut), out);
      expect(out).toEqual(['A1:G1', 'B2:B3']);
    }
  });
});
