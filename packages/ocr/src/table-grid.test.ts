// Guards the cell layout of OCR'd tables: rows by vertical overlap, columns by the x-bands of
// multi-cell rows, a title spanning the table kept out of the bands, and the confidence of each
// value carried to the project row (low ones marked for staff, never silently trusted).
import { describe, expect, it } from 'vitest';
import type { OcrPageEntry, TOcrLine } from './page-record.js';
import { linesToGrid, readOcrProjectTable } from './table-grid.js';

const COLS = [40, 200, 480, 700, 860, 1000];
const box = (col: number, row: number, text: string, confidence = 0.99, dy = 0): TOcrLine => ({
  text,
  confidence,
  box: { x: COLS[col]! + 5, y: 100 + row * 40 + dy, width: Math.min(150, text.length * 18), height: 28 },
});

const header = ['序号', '项目名称', '建设单位', '建设地点', '总投资（万元）', '建设年限'].map((t, c) => box(c, 1, t));
const row = (r: number, cells: string[], conf: number[] = []) =>
  cells.map((t, c) => box(c, r, t, conf[c] ?? 0.99, c % 2));

function page(lines: TOcrLine[]): OcrPageEntry {
  return {
    page: 2,
    cached: false,
    record: {
      engine: 't',
      imageSha256: 'a'.repeat(64),
      width: 1200,
      height: 900,
      rotation: 0,
      skewDegrees: 0,
      text: '',
      chars: 0,
      confidence: 0.9,
      lines,
    },
  };
}

describe('linesToGrid', () => {
  it('puts boxes into rows and columns; a wide title stays in one cell', () => {
    const title: TOcrLine = {
      text: '重点项目汇总表',
      confidence: 0.98,
      box: { x: 300, y: 40, width: 500, height: 36 },
    };
    const { grid } = linesToGrid(
      [title, ...header, ...row(2, ['1', '疫苗产业化项目', '长春瑞德生物', '长春新区', '86000', '2019-2022'])],
      'page 2',
    );
    expect(grid.rows.map((r) => r.cells.filter((c) => c.text).length)).toEqual([1, 6, 6]);
    expect(grid.rows[2]!.cells.map((c) => c.text)).toEqual([
      '1',
      '疫苗产业化项目',
      '长春瑞德生物',
      '长春新区',
      '86000',
      '2019-2022',
    ]);
  });
});

describe('readOcrProjectTable', () => {
  it('reads project rows with sheet "page N" and marks a row with a weak value', () => {
    const lines = [
      ...header,
      ...row(2, ['1', '疫苗产业化项目', '长春瑞德生物技术有限公司', '长春新区', '86000', '2019-2022']),
      ...row(
        3,
        ['2', '医疗器械产业园项目', '长春博泰医疗器械有限公司', '朝阳区', '35000', '2020-2023'],
        [0.99, 0.99, 0.99, 0.99, 0.42],
      ),
    ];
    const r = readOcrProjectTable([page(lines)], {});
    expect(r.found).toBe(true);
    expect(r.projects).toHaveLength(2);
    expect(r.projects[0]).toMatchObject({ name: '疫苗产业化项目', totalInvestment: 86000, sheet: 'page 2', row: 2 });
    expect(r.projects[0]!.lowConfidence).toBeUndefined();
    expect(r.projects[1]).toMatchObject({ totalInvestment: 35000, lowConfidence: true });
    expect(r.projects[1]!.ocrConfidence?.totalInvestment).toBe(0.42);
    expect(r.notes.join(' ')).toContain('第2页第3行识别置信度低');
  });

  it('finds nothing on a page of prose', () => {
    const prose = [box(1, 1, '关于申报长春市生物医药产业集群的请示'), box(1, 2, '妥否，请批示。')];
    expect(readOcrProjectTable([page(prose)], {}).found).toBe(false);
  });
});
