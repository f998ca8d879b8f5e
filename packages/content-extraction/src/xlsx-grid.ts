import type ExcelJS from 'exceljs';
import type { Grid, GridCell, GridRow } from './grid.js';
import { EMPTY_CELL } from './grid.js';

/** Caps what one sheet may contribute; a project table is never this long. */
export const MAX_SHEET_ROWS = 20000;
export const MAX_SHEET_COLS = 60;

/** Reads an .xlsx with exceljs into grids, one per worksheet. */
export async function readXlsxGrids(data: Buffer, notes: string[]): Promise<Grid[]> {
  // loaded on first use: a thread that reads no xlsx (a legacy-file thread) never pays for exceljs
  const { default: excel } = await import('exceljs');
  const wb = new excel.Workbook();
  // exceljs' typings predate Buffer<ArrayBufferLike>; the runtime accepts any Buffer
  await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  const grids: Grid[] = [];
  for (const ws of wb.worksheets) {
    const rows: GridRow[] = [];
    const last = Math.min(ws.rowCount, MAX_SHEET_ROWS);
    if (ws.rowCount > MAX_SHEET_ROWS)
      notes.push(`工作表「${ws.name}」超过${MAX_SHEET_ROWS}行，仅读取前${MAX_SHEET_ROWS}行`);
    for (let r = 1; r <= last; r++) {
      const row = ws.getRow(r);
      const cells: GridCell[] = [];
      const width = Math.min(row.cellCount, MAX_SHEET_COLS);
      for (let c = 1; c <= width; c++) cells.push(toGridCell(row.getCell(c).value));
      rows.push({ number: r, cells });
    }
    const hiddenCols: number[] = [];
    for (let c = 1; c <= Math.min(ws.columnCount, MAX_SHEET_COLS); c++)
      if (ws.getColumn(c).hidden) hiddenCols.push(c - 1);
    grids.push({
      sheet: ws.name,
      rows,
      hidden: ws.state !== 'visible' && (ws.state as string | undefined) !== undefined,
      ...(hiddenCols.length > 0 ? { hiddenCols } : {}),
    });
  }
  return grids;
}

/** Maps every exceljs value shape (rich text, formula, hyperlink, error, date) to a GridCell. */
export function toGridCell(value: ExcelJS.CellValue): GridCell {
  if (value === null || value === undefined) return EMPTY_CELL;
  if (typeof value === 'number') return { text: formatNumber(value), num: value, date: null };
  if (typeof value === 'string') return { text: value.trim(), num: null, date: null };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', num: null, date: null };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), num: null, date: value };
  if ('richText' in value && Array.isArray(value.richText)) {
    return {
      text: value.richText
        .map((p) => p.text)
        .join('')
        .trim(),
      num: null,
      date: null,
    };
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return { ...EMPTY_CELL, formulaWithoutResult: true };
    // a cached error (#DIV/0!) is no usable result either: read like the streaming reader reads it
    // (it drops the error), so a table reads the same whichever exceljs reader took it
    if (typeof result === 'object' && !(result instanceof Date) && 'error' in result) {
      return { text: String(result.error), num: null, date: null, formulaWithoutResult: true };
    }
    return toGridCell(result as ExcelJS.CellValue);
  }
  if ('text' in value && 'hyperlink' in value) {
    const t = value.text as unknown;
    // a hyperlink's text can itself be rich text
    if (typeof t === 'object' && t !== null && 'richText' in t) return toGridCell(t as ExcelJS.CellValue);
    return { text: typeof t === 'string' || typeof t === 'number' ? String(t).trim() : '', num: null, date: null };
  }
  if ('error' in value) return { text: value.error, num: null, date: null };
  return EMPTY_CELL;
}

/** Avoids "35000.000000000004" in texts shown to staff. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
}
