import { readProjectTableFromGrids, textCell, type Grid, type GridRow } from '@intake/content-extraction';
import type { TProject } from '@intake/domain';
import type { OcrPageEntry, TOcrLine } from './page-record.js';
import { groupRows } from './reading-order.js';

/**
 * A project table from a scan or a phone photo: OCR boxes laid out as cells
 * (rows by vertical overlap, columns by the x-bands that the boxes of the
 * multi-cell rows share), then read by content-extraction's header and row
 * logic like any sheet. Each value keeps the confidence of the box it came
 * from; a row with a value under OCR_LOW_CONFIDENCE is marked for staff.
 */

/** Below this a value read from a scan is not trusted without a look (the dashboard's 低置信度). */
export const OCR_LOW_CONFIDENCE = 0.8;

interface Band {
  x0: number;
  x1: number;
}

export interface OcrGrid {
  grid: Grid;
  /** per grid row number: the cells' texts and confidences, column by column */
  cells: Map<number, Array<{ text: string; confidence: number } | null>>;
}

/** Column bands: the union of the x-ranges of boxes in rows of three or more cells (titles and notes span columns). */
function columnBands(rows: TOcrLine[][]): Band[] {
  const ranges = rows
    .filter((r) => r.length >= 3)
    .flat()
    .map((l) => ({ x0: l.box.x, x1: l.box.x + l.box.width }))
    .sort((a, b) => a.x0 - b.x0);
  const bands: Band[] = [];
  for (const r of ranges) {
    const last = bands[bands.length - 1];
    if (last && r.x0 <= last.x1) last.x1 = Math.max(last.x1, r.x1);
    else bands.push({ ...r });
  }
  return bands;
}

function bandOf(bands: Band[], l: TOcrLine): number {
  let best = 0,
    bestOverlap = -Infinity;
  bands.forEach((b, i) => {
    const overlap = Math.min(b.x1, l.box.x + l.box.width) - Math.max(b.x0, l.box.x);
    if (overlap > bestOverlap) [best, bestOverlap] = [i, overlap];
  });
  return best;
}

export function linesToGrid(lines: TOcrLine[], sheet: string): OcrGrid {
  const rows = groupRows(lines);
  const bands = columnBands(rows);
  const cells = new Map<number, Array<{ text: string; confidence: number } | null>>();
  const gridRows: GridRow[] = rows.map((items, i) => {
    const number = i + 1;
    const row: Array<{ text: string; confidence: number } | null> = Array.from(
      { length: Math.max(1, bands.length) },
      () => null,
    );
    for (const l of items) {
      const col = bands.length === 0 ? 0 : bandOf(bands, l);
      const prev = row[col];
      // two boxes in one cell (a wrapped name): joined, the weaker confidence kept
      row[col] = prev
        ? { text: prev.text + l.text, confidence: Math.min(prev.confidence, l.confidence) }
        : { text: l.text, confidence: l.confidence };
    }
    cells.set(number, row);
    return { number, cells: row.map((c) => textCell(c?.text ?? '')) };
  });
  return { grid: { sheet, rows: gridRows }, cells };
}

export interface OcrTableReading {
  found: boolean;
  projects: TProject[];
  notes: string[];
  /** pages whose table had a header */
  pages: number[];
}

/** Confidence of the cell in `row` that holds `value` (exactly, else containing it). */
function confidenceOf(
  row: Array<{ text: string; confidence: number } | null>,
  value: string | number | null,
): number | undefined {
  if (value === null) return undefined;
  const v = String(value).replace(/\s+/g, '');
  const cells = row.filter((c): c is { text: string; confidence: number } => c !== null);
  const exact = cells.find((c) => c.text.replace(/\s+/g, '') === v);
  const near = exact ?? cells.find((c) => c.text.replace(/[\s,，]/g, '').includes(v));
  return near ? Math.round(near.confidence * 1000) / 1000 : undefined;
}

/** Reads the project rows of every OCR'd page that holds a table header. */
export function readOcrProjectTable(pages: OcrPageEntry[], opts: { largeProjectWan?: number }): OcrTableReading {
  const out: OcrTableReading = { found: false, projects: [], notes: [], pages: [] };
  for (const p of pages) {
    const { grid, cells } = linesToGrid(p.record.lines, `page ${p.page}`);
    const r = readProjectTableFromGrids([grid], opts, []);
    if (!r.found) continue;
    out.found = true;
    out.pages.push(p.page);
    const low: number[] = [];
    for (const project of r.projects) {
      const row = cells.get(project.row) ?? [];
      const confidence = {
        name: confidenceOf(row, project.name),
        owner: confidenceOf(row, project.owner),
        location: confidenceOf(row, project.location),
        totalInvestment: confidenceOf(row, project.totalInvestment),
        period: confidenceOf(row, project.period),
      };
      const values = Object.values(confidence).filter((c): c is number => c !== undefined);
      const lowConfidence = values.some((c) => c < OCR_LOW_CONFIDENCE);
      if (lowConfidence) low.push(project.row);
      out.projects.push({
        ...project,
        ocrConfidence: stripUndefined(confidence),
        ...(lowConfidence ? { lowConfidence: true } : {}),
      });
    }
    out.notes.push(
      `第${p.page}页：从扫描图像识别出项目表${r.projects.length}行 (OCR table: ${r.projects.length} rows)`,
    );
    if (low.length > 0)
      out.notes.push(
        `第${p.page}页第${low.join('、')}行识别置信度低（低于${OCR_LOW_CONFIDENCE}），请人工核对 (low OCR confidence on page ${p.page}, rows ${low.join(', ')}: check by hand)`,
      );
  }
  return out;
}

function stripUndefined<T extends Record<string, number | undefined>>(o: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, number>>;
}
