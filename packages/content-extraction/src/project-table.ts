import { readCsvGrid } from './csv-grid.js';
import type { Grid } from './grid.js';
import { readProjectGrids, type ProjectTableResult } from './project-grids.js';
import { readXlsGrids } from './xls-grid.js';
import { readXlsxGrids } from './xlsx-grid.js';
import { readXlsxGridsStreaming } from './xlsx-stream-grid.js';

export type { ProjectTableResult };

export interface ReadProjectTableOptions {
  filename: string;
  format: 'xlsx' | 'xls' | 'csv';
  /**
   * 万元 threshold for counting large projects in the notes.
   * @defaultValue undefined (no count)
   */
  largeProjectWan?: number;
}

/** Reads the 附件2 key-project table out of a spreadsheet, whichever sheet holds it. */
export async function readProjectTable(data: Buffer, opts: ReadProjectTableOptions): Promise<ProjectTableResult> {
  const notes: string[] = [];
  let grids: Grid[];
  try {
    grids = await loadGrids(data, opts, notes);
  } catch (err) {
    // the caller records the attachment as unreadable with this message
    throw new Error(`${opts.format}表格无法读取：${(err as Error).message}`, { cause: err });
  }
  const result = readProjectGrids(
    grids,
    opts.largeProjectWan === undefined ? {} : { largeProjectWan: opts.largeProjectWan },
  );
  return { ...result, notes: [...notes, ...result.notes] };
}

/**
 * The same reading over grids built elsewhere (the cells of an OCR'd table
 * photo or scan, laid out from the OCR boxes), with the caller's notes first.
 * Kept for the OCR reader; new callers use readProjectGrids / readProjectCells.
 */
export function readProjectTableFromGrids(
  grids: Grid[],
  opts: Pick<ReadProjectTableOptions, 'largeProjectWan'>,
  notes: string[] = [],
): ProjectTableResult {
  const result = readProjectGrids(
    grids,
    opts.largeProjectWan === undefined ? {} : { largeProjectWan: opts.largeProjectWan },
  );
  return { ...result, notes: [...notes, ...result.notes] };
}

async function loadGrids(data: Buffer, opts: ReadProjectTableOptions, notes: string[]): Promise<Grid[]> {
  if (opts.format === 'csv' && !isZip(data) && !isOle(data)) {
    return [readCsvGrid(data, opts.filename.replace(/\.[^.]+$/, '') || 'csv', notes)];
  }
  if (isZip(data)) {
    if (opts.format !== 'xlsx') notes.push(`文件扩展名为${opts.format}，实际是xlsx格式`);
    return readOoxmlGrids(data, notes);
  }
  if (opts.format === 'xlsx' && isOle(data)) notes.push('文件扩展名为xlsx，实际是旧版xls格式');
  // BIFF .xls/.et, and the HTML/XML tables many systems save with an .xls name
  return await readXlsGrids(data, notes);
}

/** Above this size an .xlsx is read by streaming only: exceljs' full load and SheetJS need ~30× the file in memory. */
export const FULL_LOAD_MAX_BYTES = 4 * 1024 * 1024;

/** Streaming exceljs first; for small files the full exceljs load, then SheetJS, when it fails. */
async function readOoxmlGrids(data: Buffer, notes: string[]): Promise<Grid[]> {
  try {
    return await readXlsxGridsStreaming(data, notes);
  } catch (streamErr) {
    if (data.length > FULL_LOAD_MAX_BYTES) throw streamErr;
    notes.push(`exceljs流式读取失败（${(streamErr as Error).message}），改用完整读取`);
    try {
      return await readXlsxGrids(data, notes);
    } catch (err) {
      // exceljs rejects some valid OOXML (strict mode, odd relationships); SheetJS often reads them
      notes.push(`exceljs无法读取（${(err as Error).message}），改用SheetJS`);
      return await readXlsGrids(data, notes);
    }
  }
}

function isZip(d: Buffer): boolean {
  return d.length > 4 && d[0] === 0x50 && d[1] === 0x4b && d[2] === 0x03 && d[3] === 0x04;
}

export function isOle(d: Buffer): boolean {
  return d.length > 8 && d.readUInt32BE(0) === 0xd0cf11e0 && d.readUInt32BE(4) === 0xa1b11ae1;
}
