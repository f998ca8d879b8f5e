import { PassThrough, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJS from 'exceljs';
import type { Grid, GridCell, GridRow } from './grid.js';
import { EMPTY_CELL } from './grid.js';
import { MAX_SHEET_COLS, MAX_SHEET_ROWS, toGridCell } from './xlsx-grid.js';

/**
 * Reads an .xlsx row by row with exceljs' streaming WorkbookReader, so a 20 MB
 * table of 100,000 rows costs the rows we keep (MAX_SHEET_ROWS), not the
 * ~700 MB of exceljs' whole-workbook model. Two things the streaming reader
 * does not do are added around it, on the sheet XML it reads:
 * - merged ranges (`<mergeCell ref>` after the rows), which header detection
 *   relies on: covered cells get the top-left's value, as exceljs' full load does;
 * - UTF-8 decoding across chunk boundaries: exceljs decodes each inflated chunk
 *   on its own, which breaks a Chinese character split between two chunks.
 */

interface SheetWatch {
  merges: string[];
  /** 0-based indexes of columns `<col hidden="1">` hides */
  hiddenCols: number[];
  /** set once the rows we keep are read: the XML is then only scanned for merges */
  stop: boolean;
}

interface StreamRow {
  number: number;
  cellCount: number;
  getCell(c: number): { value: ExcelJS.CellValue; numFmt?: string };
}

interface StreamSheet extends AsyncIterable<StreamRow> {
  id?: number;
  name?: string;
  state?: string;
}

type SheetEvent = { eventType: string; value: unknown };
type ParseWorksheet = (
  this: unknown,
  iterator: AsyncIterable<Buffer | string>,
  sheetNo: string,
) => Iterable<SheetEvent>;
type ParseSharedStrings = (this: unknown, entry: NodeJS.ReadableStream) => AsyncIterable<unknown>;

interface ReaderInternals extends AsyncIterable<StreamSheet> {
  _parseWorksheet: ParseWorksheet;
  _parseSharedStrings: ParseSharedStrings;
  model?: { sheets?: Array<{ id?: number; name?: string }> };
}

const MERGE_REF = /<(?:\w+:)?mergeCell\b[^>]*?\bref=["']([A-Za-z]+\d+:[A-Za-z]+\d+)["']/g;
/** Longer than any `<mergeCell ref="…"/>` tag, so one split between chunks is found whole. */
const MERGE_CARRY = 256;
/** Cells copied per merged range; a whole-sheet merge carries nothing worth copying. */
const MAX_MERGE_CELLS = 5000;

export async function readXlsxGridsStreaming(data: Buffer, notes: string[]): Promise<Grid[]> {
  const watches = new WeakMap<object, SheetWatch>();
  const reader = openReader((await import('exceljs')).default, data, watches);
  const grids: Array<Grid & { order: number }> = [];
  for await (const ws of reader) {
    const watch = watches.get(ws) ?? { merges: [], hiddenCols: [], stop: false };
    const rows = await readSheetRows(ws, watch, notes);
    applyMerges(rows, watch.merges);
    const name = ws.name ?? `Sheet${ws.id ?? grids.length + 1}`;
    const order = (reader.model?.sheets ?? []).findIndex((s) => s.name === name);
    grids.push({
      sheet: name,
      rows,
      ...(watch.hiddenCols.length > 0 ? { hiddenCols: watch.hiddenCols } : {}),
      hidden: ws.state !== 'visible' && ws.state !== undefined,
      order: order < 0 ? 1e6 + grids.length : order,
    });
  }
  // zip entry order is not workbook order: sheets are listed as Excel shows them
  grids.sort((a, b) => a.order - b.order);
  return grids.map(({ order: _order, ...g }) => g);
}

function openReader(excel: typeof ExcelJS, data: Buffer, watches: WeakMap<object, SheetWatch>): ReaderInternals {
  const reader = new excel.stream.xlsx.WorkbookReader(Readable.from([data]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as ReaderInternals;
  const proto = Object.getPrototypeOf(reader) as Partial<ReaderInternals>;
  const parseWorksheet = proto._parseWorksheet;
  const parseSharedStrings = proto._parseSharedStrings;
  if (typeof parseWorksheet !== 'function' || typeof parseSharedStrings !== 'function') {
    throw new Error(
      'exceljs streaming reader internals changed (_parseWorksheet/_parseSharedStrings); update xlsx-stream-grid.ts',
    );
  }
  reader._parseWorksheet = function* (this: unknown, iterator, sheetNo) {
    const watch: SheetWatch = { merges: [], hiddenCols: [], stop: false };
    for (const ev of parseWorksheet.call(this, watchSheetXml(iterator, watch), sheetNo)) {
      if (ev.eventType === 'worksheet' && typeof ev.value === 'object' && ev.value !== null)
        watches.set(ev.value, watch);
      yield ev;
    }
  };
  reader._parseSharedStrings = function (this: unknown, entry) {
    // a string stream: setEncoding decodes UTF-8 across chunk boundaries, and exceljs passes strings through
    const decoded = entry.pipe(new PassThrough());
    decoded.setEncoding('utf8');
    return parseSharedStrings.call(this, decoded);
  };
  return reader;
}

/** The sheet XML as correctly decoded strings, noting merged ranges; after `stop` only merges are looked for. */
async function* watchSheetXml(source: AsyncIterable<Buffer | string>, watch: SheetWatch): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let sawRows = false;
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    // <cols> comes before the rows: look for hidden columns until the rows start
    if (!sawRows) {
      collectHiddenCols(carry + text, watch.hiddenCols);
      sawRows = /<(?:\w+:)?sheetData\b/.test(text);
    }
    carry = collectMerges(carry + text, watch.merges);
    if (!watch.stop && text) yield text;
  }
  const rest = decoder.end();
  if (rest) collectMerges(carry + rest, watch.merges);
  if (rest && !watch.stop) yield rest;
}

/** Adds the merge refs found in `text`; returns the tail to prepend to the next chunk. */
export function collectMerges(text: string, out: string[]): string {
  let lastEnd = 0;
  if (text.includes('ergeCell')) {
    MERGE_REF.lastIndex = 0;
    for (let m = MERGE_REF.exec(text); m; m = MERGE_REF.exec(text)) {
      if (m[1]) out.push(m[1].toUpperCase());
      lastEnd = MERGE_REF.lastIndex;
    }
  }
  return text.slice(Math.max(lastEnd, text.length - MERGE_CARRY));
}

const COL_TAG = /<(?:\w+:)?col\b[^>]*>/g;

/** Adds the 0-based indexes of the columns that `<col min max hidden="1">` tags in `text` hide. */
export function collectHiddenCols(text: string, out: number[]): void {
  if (!text.includes('hidden')) return;
  for (const m of text.matchAll(COL_TAG)) {
    const tag = m[0];
    if (!/\bhidden=["'](1|true)["']/.test(tag)) continue;
    const min = Number(/\bmin=["'](\d+)["']/.exec(tag)?.[1]);
    const max = Number(/\bmax=["'](\d+)["']/.exec(tag)?.[1] ?? min);
    if (!Number.isInteger(min) || min < 1) continue;
    for (let c = min; c <= Math.min(max, MAX_SHEET_COLS); c++) if (!out.includes(c - 1)) out.push(c - 1);
  }
}

/** Rows 1..MAX_SHEET_ROWS, gaps filled with empty rows so that grid.rows[i] is sheet row i+1. */
async function readSheetRows(ws: StreamSheet, watch: SheetWatch, notes: string[]): Promise<GridRow[]> {
  const rows: GridRow[] = [];
  let capped = false;
  // never break out: the XML after the rows still has to be read for its merged ranges
  for await (const row of ws) {
    if (watch.stop) continue;
    if (row.number > MAX_SHEET_ROWS) {
      watch.stop = true;
      capped = true;
      continue;
    }
    while (rows.length < row.number - 1) rows.push({ number: rows.length + 1, cells: [] });
    rows.push({ number: row.number, cells: rowCells(row) });
  }
  if (capped) notes.push(`工作表「${ws.name ?? ''}」超过${MAX_SHEET_ROWS}行，仅读取前${MAX_SHEET_ROWS}行`);
  return rows;
}

function rowCells(row: StreamRow): GridCell[] {
  const cells: GridCell[] = [];
  const width = Math.min(row.cellCount, MAX_SHEET_COLS);
  for (let c = 1; c <= width; c++) {
    const cell = row.getCell(c);
    cells.push(toGridCell(withDateResult(cell.value, cell.numFmt)));
  }
  return cells;
}

/**
 * The full load turns a date-formatted formula's cached number into a Date; the streaming reader does not.
 * (It also drops a formula's cached error such as #DIV/0!: that cell reads as a formula without result.)
 */
function withDateResult(value: ExcelJS.CellValue, numFmt: string | undefined): ExcelJS.CellValue {
  if (!value || typeof value !== 'object' || !('formula' in value) || typeof value.result !== 'number' || !numFmt)
    return value;
  if (!/[dmy]/i.test(numFmt.replace(/\[[^\]]*\]|"[^"]*"/g, ''))) return value;
  const date = new Date(Math.round((value.result - 25569) * 86400 * 1000));
  return Number.isNaN(date.getTime()) ? value : { ...value, result: date };
}

/** Copies each merged range's top-left cell into the cells it covers, within the rows kept. */
function applyMerges(rows: GridRow[], merges: string[]): void {
  for (const ref of merges) {
    const [from, to] = ref.split(':').map(decodeAddress);
    if (!from || !to) continue;
    const r1 = Math.min(from.row, to.row);
    const r2 = Math.min(Math.max(from.row, to.row), rows.length);
    const c1 = Math.min(from.col, to.col);
    const c2 = Math.min(Math.max(from.col, to.col), MAX_SHEET_COLS);
    if (r1 > rows.length || (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_MERGE_CELLS) continue;
    const master = rows[r1 - 1]?.cells[c1 - 1] ?? EMPTY_CELL;
    for (let r = r1; r <= r2; r++) {
      const cells = rows[r - 1]!.cells;
      while (cells.length < c2) cells.push(EMPTY_CELL);
      for (let c = c1; c <= c2; c++) if (r !== r1 || c !== c1) cells[c - 1] = master;
    }
  }
}

function decodeAddress(a: string): { row: number; col: number } | null {
  const m = /^([A-Z]+)(\d+)$/.exec(a);
  if (!m?.[1] || !m[2]) return null;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}
