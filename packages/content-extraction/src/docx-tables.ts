import type { Grid, GridRow } from './grid.js';
import { textCell } from './grid.js';
import { MAX_SHEET_COLS, MAX_SHEET_ROWS } from './xlsx-grid.js';

/**
 * The tables of a .docx as grids, read from word/document.xml itself:
 * mammoth's text flattens a table into one paragraph per cell, which loses
 * the rows and columns. Horizontal merges (w:gridSpan) and vertical merges
 * (w:vMerge) give every covered cell the merged text, as spreadsheets do, so
 * the same row logic applies. Top-level tables only; a table nested in a cell
 * becomes that cell's text. Grids are named "table N" (1-based, document order).
 */

/** document.xml above this is not scanned for tables (the text is still read by mammoth). */
export const MAX_DOCUMENT_XML_BYTES = 40 * 1024 * 1024;

interface RawCell {
  text: string;
  span: number;
  vMerge: 'restart' | 'continue' | null;
}

interface TableState {
  rows: RawCell[][];
  row: RawCell[] | null;
  cell: RawCell | null;
  gridBefore: number;
  rowOffsets: number[];
}

const TAG = /<(\/?)(w:tbl|w:tr|w:tc|w:p|w:t|w:tab|w:br|w:cr|w:gridSpan|w:vMerge|w:gridBefore)\b([^>]*?)(\/?)>/g;

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos') return "'";
    const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
  });
}

function attr(attrs: string, name: string): string | null {
  return new RegExp(`\\b${name}=["']([^"']*)["']`).exec(attrs)?.[1] ?? null;
}

/** Scans document.xml: one TableState per top-level table. */
function scanTables(xml: string): TableState[] {
  const tables: TableState[] = [];
  let depth = 0;
  let current: TableState | null = null;
  let textStart = -1;
  for (const m of xml.matchAll(TAG)) {
    const [whole, close, name, attrs = '', selfClose] = m;
    const at = m.index;
    if (name === 'w:tbl') {
      if (!close) {
        depth++;
        if (depth === 1) tables.push((current = { rows: [], row: null, cell: null, gridBefore: 0, rowOffsets: [] }));
      } else if (--depth === 0) current = null;
      continue;
    }
    if (!current) continue;
    if (depth === 1) structural(current, name ?? '', !!close, attrs);
    const cell = current.cell;
    if (!cell) continue;
    if (name === 'w:t' && !close && !selfClose) textStart = at + whole.length;
    else if (name === 'w:t' && close && textStart >= 0) {
      cell.text += decodeXml(xml.slice(textStart, at));
      textStart = -1;
    } else if ((name === 'w:tab' || name === 'w:br' || name === 'w:cr') && !close)
      cell.text += name === 'w:tab' ? ' ' : '\n';
    else if (name === 'w:p' && close) cell.text += '\n';
  }
  return tables;
}

/** Rows, cells and merge marks of the outer table (depth 1). */
function structural(t: TableState, name: string, close: boolean, attrs: string): void {
  if (name === 'w:tr') {
    if (!close) {
      t.row = [];
      t.gridBefore = 0;
    } else if (t.row) {
      t.rows.push(t.row);
      t.rowOffsets.push(t.gridBefore);
      t.row = null;
    }
  } else if (name === 'w:tc') {
    if (!close) t.cell = { text: '', span: 1, vMerge: null };
    else if (t.cell && t.row) {
      t.row.push(t.cell);
      t.cell = null;
    }
  } else if (name === 'w:gridSpan' && t.cell)
    t.cell.span = Math.max(1, Math.min(MAX_SHEET_COLS, Number(attr(attrs, 'w:val')) || 1));
  else if (name === 'w:vMerge' && t.cell) t.cell.vMerge = attr(attrs, 'w:val') === 'restart' ? 'restart' : 'continue';
  else if (name === 'w:gridBefore' && t.row)
    t.gridBefore = Math.max(0, Math.min(MAX_SHEET_COLS, Number(attr(attrs, 'w:val')) || 0));
}

/** Expands spans and vertical merges into a rectangular grid of texts. */
function toGrid(t: TableState, index: number): Grid {
  const out: string[][] = [];
  t.rows.slice(0, MAX_SHEET_ROWS).forEach((cells, r) => {
    const row: string[] = Array.from({ length: t.rowOffsets[r] ?? 0 }, () => '');
    for (const c of cells) {
      const col = row.length;
      const text = c.vMerge === 'continue' ? (out[r - 1]?.[col] ?? '') : c.text.replace(/\n+$/, '').trim();
      for (let k = 0; k < c.span && row.length < MAX_SHEET_COLS; k++) row.push(text);
    }
    out.push(row);
  });
  const rows: GridRow[] = out.map((cells, i) => ({ number: i + 1, cells: cells.map((s) => textCell(s)) }));
  return { sheet: `table ${index + 1}`, rows };
}

async function documentXmlByJsZip(data: Buffer): Promise<string> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(data);
  const entry = zip.file('word/document.xml');
  if (!entry) throw new Error('docx中没有word/document.xml');
  return entry.async('string');
}

async function documentXmlOf(zipFile: {
  exists(name: string): boolean;
  read(name: string, encoding?: string): Promise<string | Uint8Array>;
}): Promise<string> {
  if (!zipFile.exists('word/document.xml')) throw new Error('docx中没有word/document.xml');
  const xml = await zipFile.read('word/document.xml', 'utf-8');
  return typeof xml === 'string' ? xml : new TextDecoder('utf-8').decode(xml);
}

/** The top-level tables of a .docx; [] when it has none. Throws when the zip or its document.xml is missing. */
export async function readDocxTables(
  data: Buffer,
  notes: string[],
  zipFile?: { exists(name: string): boolean; read(name: string, encoding?: string): Promise<string | Uint8Array> },
): Promise<Grid[]> {
  const xml = zipFile ? await documentXmlOf(zipFile) : await documentXmlByJsZip(data);
  if (xml.length > MAX_DOCUMENT_XML_BYTES) {
    notes.push(`docx正文过大（${Math.round(xml.length / 1024 / 1024)} MB），未读取其中的表格`);
    return [];
  }
  if (!xml.includes('<w:tbl')) return [];
  return scanTables(xml).map((t, i) => toGrid(t, i));
}
