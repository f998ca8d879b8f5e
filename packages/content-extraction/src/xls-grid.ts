/**
 * Legacy .xls (BIFF), WPS .et, SpreadsheetML 2003 and the HTML tables that
 * many government systems export under an .xls name are read with SheetJS.
 * The npm build of `xlsx` is frozen at 0.18.5 (later releases are published
 * only on SheetJS' own CDN), but it is still the only maintained-enough pure-JS
 * reader of BIFF: exceljs reads OOXML only. We use it for reading, on files
 * that run inside the sandboxed extraction worker.
 */
import * as XLSX from 'xlsx';
import type { Grid, GridCell, GridRow } from './grid.js';
import { EMPTY_CELL } from './grid.js';
import { formatNumber, MAX_SHEET_COLS, MAX_SHEET_ROWS } from './xlsx-grid.js';

export function readXlsGrids(data: Buffer, notes: string[]): Grid[] {
  // cellStyles: SheetJS reads column widths and hidden columns (!cols) only with it
  const wb = XLSX.read(data, {
    type: 'buffer',
    cellDates: true,
    cellFormula: false,
    cellHTML: false,
    cellStyles: true,
    dense: false,
  });
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
    const rows: GridRow[] = [];
    for (let r = 0; r <= lastRow; r++) {
      const cells: GridCell[] = [];
      for (let c = 0; c <= lastCol; c++) {
        const master = merged.get(`${r},${c}`) ?? { r, c };
        cells.push(sheetJsCell(ws[XLSX.utils.encode_cell(master)] as XLSX.CellObject | undefined));
      }
      rows.push({ number: r + 1, cells });
    }
    const hiddenCols = (ws['!cols'] ?? []).flatMap((col, i) => (col.hidden && i <= lastCol ? [i] : []));
    grids.push({ sheet: name, rows, hidden: hiddenNames.has(name), ...(hiddenCols.length > 0 ? { hiddenCols } : {}) });
  }
  return grids;
}

/** Maps each covered cell of a merged range to its top-left, as exceljs does. */
function mergeMasters(merges: XLSX.Range[]): Map<string, { r: number; c: number }> {
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

function sheetJsCell(cell: XLSX.CellObject | undefined): GridCell {
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
