import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFParse } from 'pdf-parse';
import type { Grid } from './grid.js';
import { gridFromCells } from './grid.js';
import { squeeze } from './text-normalize.js';

/**
 * Tables of an electronic PDF (附件2 exported from Excel/WPS/Word) as grids
 * named "page N". A ruled table is read from its drawn cell borders
 * (pdf-parse's getTable); a table without borders from the positions of its
 * words: the header line's words fix the columns, every later line's words
 * fall into the column under which they start. Only pages whose text has a
 * project-table header are looked at, so a 60-page scan costs nothing here.
 */

/** A page is worth reading for tables when its text names the table's columns. */
export function looksLikeTablePage(text: string): boolean {
  const t = squeeze(text);
  return (
    /项目名称|项目|工程名称/.test(t) && /总投资|投资额|投资总额|计划投资/.test(t) && /单位|地点|年限|期限|序号/.test(t)
  );
}

/**
 * `headerPages`: pages whose text has the table's header; `followPages`: pages after them, where a
 * table may run on without repeating its header (a borderless one keeps the columns of its header page).
 */
export async function readPdfTables(
  parser: PDFParse,
  doc: PDFDocumentProxy,
  headerPages: number[],
  followPages: number[] = [],
): Promise<Grid[]> {
  const all = [...new Set([...headerPages, ...followPages])].sort((a, b) => a - b);
  if (all.length === 0) return [];
  const ruled = await parser.getTable({ partial: all });
  const grids: Grid[] = [];
  let columns: number[] | null = null;
  for (const num of all) {
    const tables = (ruled.pages.find((p) => p.num === num)?.tables ?? []).filter((t) => t.length >= 1);
    if (tables.length > 0) {
      tables.forEach((t, i) =>
        grids.push(gridFromCells(i === 0 ? `page ${num}` : `page ${num} (${i + 1})`, unwrap(t))),
      );
      columns = null;
      continue;
    }
    // no borders: a header line fixes the columns; a page after it without one keeps them
    if (!headerPages.includes(num) && !columns) continue;
    const table = await positionalTable(doc, num, columns);
    columns = table.columns;
    if (table.cells.length >= 1) grids.push(gridFromCells(`page ${num}`, table.cells));
  }
  return grids;
}

/** Text wrapped inside a cell: a line break between two Chinese characters is no space ("有限公\n司"). */
function unwrap(table: string[][]): string[][] {
  return table.map((row) =>
    row.map((cell) =>
      cell.replace(/([\p{Script=Han}（）()])\s*\n\s*(?=[\p{Script=Han}（）()])/gu, '$1').replace(/\s*\n\s*/g, ' '),
    ),
  );
}

interface Word {
  str: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

async function pageWords(doc: PDFDocumentProxy, num: number): Promise<Word[]> {
  const page = await doc.getPage(num);
  try {
    const content = await page.getTextContent();
    const words: Word[] = [];
    for (const item of content.items) {
      if (!('str' in item) || !item.str.trim()) continue;
      const t = item.transform as number[];
      words.push({
        str: item.str,
        x: t[4] ?? 0,
        y: t[5] ?? 0,
        w: item.width,
        h: Math.abs(t[3] ?? item.height) || item.height,
      });
    }
    return words;
  } finally {
    page.cleanup();
  }
}

/** Words on one baseline (PDF y grows upwards), left to right, near words joined into one chunk. */
function lines(words: Word[]): Word[][] {
  const sorted = [...words].sort((a, b) => b.y - a.y || a.x - b.x);
  const out: Word[][] = [];
  for (const w of sorted) {
    const line = out[out.length - 1];
    const ref = line?.[0];
    if (line && ref && Math.abs(ref.y - w.y) <= Math.max(ref.h, w.h) * 0.5) line.push(w);
    else out.push([w]);
  }
  return out.map((l) => joinChunks(l.sort((a, b) => a.x - b.x)));
}

function joinChunks(line: Word[]): Word[] {
  const out: Word[] = [];
  for (const w of line) {
    const prev = out[out.length - 1];
    // a gap under one character's width is the same cell
    if (prev && w.x - (prev.x + prev.w) < Math.max(prev.h, w.h) * 0.9) {
      prev.str += w.str;
      prev.w = w.x + w.w - prev.x;
    } else out.push({ ...w });
  }
  return out;
}

/**
 * Rows × columns of a borderless table: columns from the header line (each from its label's left
 * edge to midway after the previous label), lines below assigned by where each chunk starts. A page
 * without a header line is read with `carried` columns (the table's previous page).
 */
async function positionalTable(
  doc: PDFDocumentProxy,
  num: number,
  carried: number[] | null,
): Promise<{ cells: string[][]; columns: number[] | null }> {
  const all = lines(await pageWords(doc, num));
  const headerAt = all.findIndex((l) => l.some((w) => /项目名称|工程名称/.test(squeeze(w.str))) && l.length >= 3);
  const header = headerAt >= 0 ? (all[headerAt] ?? []) : null;
  const starts = header
    ? header.map((w, i) => (i === 0 ? -Infinity : (w.x + (header[i - 1]?.x ?? 0) + (header[i - 1]?.w ?? 0)) / 2))
    : carried;
  if (!starts) return { cells: [], columns: null };
  const columnOf = (w: Word): number => {
    let c = 0;
    for (let i = 0; i < starts.length; i++) if (w.x + 1 >= (starts[i] ?? 0)) c = i;
    return c;
  };
  const rows: string[][] = header ? all.slice(0, headerAt).map((l) => [l.map((w) => w.str).join(' ')]) : [];
  if (header) rows.push(header.map((w) => w.str));
  for (const l of all.slice(headerAt + 1)) {
    const row = Array.from({ length: starts.length }, () => '');
    for (const w of l) {
      const c = columnOf(w);
      row[c] = row[c] ? `${row[c]}${w.str}` : w.str;
    }
    rows.push(row);
  }
  return { cells: rows, columns: starts };
}
