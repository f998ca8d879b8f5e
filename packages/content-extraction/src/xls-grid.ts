/**
 * Legacy .xls (BIFF), WPS .et, SpreadsheetML 2003 and the HTML tables that
 * many government systems export under an .xls name are read with SheetJS
 * 0.20.x as republished on npm by `@e965/xlsx` (the `xlsx` package on npm is
 * frozen at 0.18.5, with CVE-2023-30533 and CVE-2024-22363 unfixed). exceljs
 * reads OOXML only. SheetJS is loaded on first use (sheetjs-script), so an
 * extraction thread that never meets a legacy file never loads it; the pool retires a
 * thread after SheetJS read a file in it (`sheetJsUsed`), so a hostile file
 * cannot leave state behind for the next message's attachments.
 */
import type * as XlsxTypes from '@e965/xlsx';
import { codepageTable, UnknownCodepageError } from './codepage-table.js';
import { loadSheetJs, makeSheetJsCodeCache, sheetJsCompiledAfresh, type SheetJs } from './sheetjs-script.js';
import type { Grid, GridCell, GridRow } from './grid.js';
import { EMPTY_CELL } from './grid.js';
import { formatNumber, MAX_SHEET_COLS, MAX_SHEET_ROWS } from './xlsx-grid.js';

let loaded: SheetJs | null = null;
let fullTable: Promise<void> | null = null;
let used = false;
let madeCache: Uint8Array | undefined;

/** SheetJS with the code pages of GBK strings (BIFF5 files, files without a Unicode flag) from iconv-lite. */
function sheetJs(codeCache?: Uint8Array): SheetJs {
  if (!loaded) {
    loaded = loadSheetJs(codeCache);
    loaded.set_cptable(codepageTable);
  }
  return loaded;
}

/** SheetJS's own table of every code page, for a file in one iconv-lite lacks (loaded at most once). */
function useFullTable(xlsx: SheetJs): Promise<void> {
  fullTable ??= import('@e965/xlsx/dist/cpexcel.full.mjs').then((cptable) => xlsx.set_cptable(cptable));
  return fullTable;
}

// cellStyles: SheetJS reads column widths and hidden columns (!cols) only with it
const READ_OPTIONS: XlsxTypes.ParsingOptions = {
  type: 'buffer',
  cellDates: true,
  cellFormula: false,
  cellHTML: false,
  cellStyles: true,
  dense: false,
};

/**
 * Loads SheetJS now rather than at the first file: the legacy-spreadsheet thread does this
 * while it waits as the pool's standby, so its file does not wait for the module. Given no
 * code cache (or one V8 refuses), it compiles SheetJS and makes one from a workbook of our
 * own, before this thread has seen anyone's file: `sheetJsCodeCache` hands it to the pool.
 */
export function preloadSheetJs(codeCache?: Uint8Array): void {
  sheetJs(codeCache);
  if (!sheetJsCompiledAfresh() || used) return;
  try {
    madeCache = makeSheetJsCodeCache((xlsx) => {
      const ws = xlsx.utils.aoa_to_sheet([
        ['序号', '项目名称', '总投资（万元）', '开工时间'],
        [1, '示例项目', 1200.5, new Date(Date.UTC(2025, 0, 1))],
      ]);
      ws['!merges'] = [{ s: { r: 0, c: 1 }, e: { r: 0, c: 2 } }];
      const wb = xlsx.utils.book_new();
      xlsx.utils.book_append_sheet(wb, ws, '附件2');
      for (const bookType of ['biff8', 'biff5', 'xlml', 'html'] as const)
        xlsx.read(xlsx.write(wb, { bookType, type: 'buffer' }) as Buffer, READ_OPTIONS);
    });
  } catch {
    // no cache is a slower start for the next threads, not a reason to refuse this one's file
  }
}

/** The code cache this thread made at preload, if it made one (see preloadSheetJs). */
export function sheetJsCodeCache(): Uint8Array | undefined {
  return madeCache;
}

/** True once SheetJS has read a file in this thread: the extraction pool then replaces the thread. */
export function sheetJsUsed(): boolean {
  return used;
}

export async function readXlsGrids(data: Buffer, notes: string[]): Promise<Grid[]> {
  const XLSX = sheetJs();
  used = true;
  let wb: XlsxTypes.WorkBook;
  try {
    wb = XLSX.read(data, READ_OPTIONS);
  } catch (err) {
    if (!(err instanceof UnknownCodepageError)) throw err;
    await useFullTable(XLSX);
    wb = XLSX.read(data, READ_OPTIONS);
  }
  const hiddenNames = new Set((wb.Workbook?.Sheets ?? []).filter((s) => s.Hidden).map((s) => s.name));
  const grids: Grid[] = [];
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws || !ws['!ref']) {
      grids.push({ sheet: name, rows: [] });
      continue;
    }
    const range = XLSX.utils.decode_range(ws['!ref']);
    const lastRow = Math.min(range.e.r, range.s.r + MAX_SHEET_ROWS - 1);
    const lastCol = Math.min(range.e.c, MAX_SHEET_COLS - 1);
    if (range.e.r > lastRow) notes.push(`工作表「${name}」超过${MAX_SHEET_ROWS}行，仅读取前${MAX_SHEET_ROWS}行`);
    const merged = mergeMasters(ws['!merges'] ?? []);
    const cellAt = (at: { r: number; c: number }) => ws[XLSX.utils.encode_cell(at)] as XlsxTypes.CellObject | undefined;
    const rows: GridRow[] = [];
    for (let r = 0; r <= lastRow; r++) {
      const cells: GridCell[] = [];
      for (let c = 0; c <= lastCol; c++) {
        const master = merged.get(`${r},${c}`) ?? { r, c };
        cells.push(sheetJsCell(cellAt(master)));
      }
      rows.push({ number: r + 1, cells });
    }
    const hiddenCols = (ws['!cols'] ?? []).flatMap((col, i) => (col.hidden && i <= lastCol ? [i] : []));
    grids.push({ sheet: name, rows, hidden: hiddenNames.has(name), ...(hiddenCols.length > 0 ? { hiddenCols } : {}) });
  }
  return grids;
}

/** Maps each covered cell of a merged range to its top-left, as exceljs does. */
function mergeMasters(merges: XlsxTypes.Range[]): Map<string, { r: number; c: number }> {
  const out = new Map<string, { r: number; c: number }>();
  for (const m of merges) {
    const cells = (m.e.r - m.s.r + 1) * (m.e.c - m.s.c + 1);
    if (cells > 5000) continue; // a whole-sheet merge carries nothing worth copying
    for (let r = m.s.r; r <= m.e.r; r++) {
      for (let c = m.s.c; c <= m.e.c; c++) if (r !== m.s.r || c !== m.s.c) out.set(`${r},${c}`, m.s);
    }
  }
  return out;
}

function sheetJsCell(cell: XlsxTypes.CellObject | undefined): GridCell {
  // a hostile file can hold a cell whose value SheetJS leaves null, whatever its types say
  if (!cell || cell.v === undefined || (cell.v as unknown) === null) return EMPTY_CELL;
  switch (cell.t) {
    case 'n':
      return { text: formatNumber(cell.v as number), num: cell.v as number, date: null };
    case 'd': {
      const d = cell.v instanceof Date ? cell.v : new Date(String(cell.v));
      return { text: Number.isNaN(d.getTime()) ? String(cell.v) : d.toISOString().slice(0, 10), num: null, date: d };
    }
    case 'b':
      return { text: cell.v ? 'TRUE' : 'FALSE', num: null, date: null };
    case 'e':
      return { text: cell.w ?? '#ERROR', num: null, date: null };
    default:
      return { text: String(cell.v).trim(), num: null, date: null };
  }
}
