import { parse } from 'csv-parse/sync';
import type { Grid, GridRow } from './grid.js';
import { textCell } from './grid.js';
import { decodeText } from './text-decode.js';
import { MAX_SHEET_COLS, MAX_SHEET_ROWS } from './xlsx-grid.js';

/** Reads a CSV (UTF-8 ± BOM, UTF-16, or GBK) into one grid named after the file. */
export function readCsvGrid(data: Buffer, sheetName: string, notes: string[]): Grid {
  const { text, encoding } = decodeText(data);
  if (encoding !== 'utf-8') notes.push(`CSV编码按${encoding === 'gb18030' ? 'GBK/GB18030' : encoding}解码`);
  const delimiter = pickDelimiter(text);
  // without `columns` csv-parse returns string[][]; its overloads cannot say so
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const records = parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    to: MAX_SHEET_ROWS,
  }) as string[][];
  // the record index is the row Excel shows when it opens the file (a quoted cell may span lines)
  const rows: GridRow[] = records.map((rec, i) => ({
    number: i + 1,
    cells: rec.slice(0, MAX_SHEET_COLS).map((v) => textCell(v)),
  }));
  return { sheet: sheetName, rows };
}

/** Excel in a Chinese locale writes commas; some exports use tabs or semicolons. */
function pickDelimiter(text: string): string {
  const head = text.split(/\r?\n/, 20).join('\n');
  const counts = [',', '\t', ';'].map((d) => ({ d, n: head.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0] && counts[0].n > 0 ? counts[0].d : ',';
}
