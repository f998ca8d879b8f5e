import type { Grid } from './grid.js';
import { readProjectGrids, type ProjectTableResult } from './project-grids.js';
import { readXlsGrids } from './xls-grid.js';
import { readXlsxGrids } from './xlsx-grid.js';

export type { ProjectTableResult };

export interface ReadProjectTableOptions {
  filename: string;
  format: 'xlsx' | 'xls' | 'csv';
  /**
   * 万元 threshold for counting large projects in the notes.
   * @defaultValue undefined (no count)
   */
  largeProjectWan?: number;
  /**
   * The .xlsx's real inflated size, counted by the caller before it handed the file over
   * (the extraction thread measures every office file). Known and small, the file is read
   * by exceljs' full load first; otherwise by its streaming reader.
   * @defaultValue unknown
   */
  unpackedBytes?: number;
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
    // imported when needed, like the OOXML stream reader: a legacy-spreadsheet thread, started
    // for one file, would otherwise load csv-parse and node:stream for nothing
    const { readCsvGrid } = await import('./csv-grid.js');
    return [readCsvGrid(data, opts.filename.replace(/\.[^.]+$/, '') || 'csv', notes)];
  }
  if (isZip(data)) {
    if (opts.format !== 'xlsx') notes.push(`文件扩展名为${opts.format}，实际是xlsx格式`);
    return readOoxmlGrids(data, notes, opts.unpackedBytes);
  }
  if (opts.format === 'xlsx' && isOle(data)) notes.push('文件扩展名为xlsx，实际是旧版xls格式');
  // BIFF .xls/.et, and the HTML/XML tables many systems save with an .xls name
  return await readXlsGrids(data, notes);
}

/** Above this size an .xlsx is read by streaming only: exceljs' full load and SheetJS need ~30× the file in memory. */
export const FULL_LOAD_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Up to this much real inflated XML the full exceljs load reads an .xlsx first: on a
 * table of a few dozen rows it takes a quarter of the streaming reader's time (4.6 ms
 * against 16 ms for an 8 KB 附件2), and its model of 2 MB of XML stays far inside the
 * thread's heap. A project table is some tens of KB of XML; a bigger sheet is streamed.
 */
export const FULL_LOAD_FIRST_MAX_UNPACKED = 2 * 1024 * 1024;

type OoxmlReader = 'whole' | 'stream';

/**
 * Which exceljs readers try an .xlsx, in order. A small file by its measured inflated size is
 * loaded whole first and streamed when that fails; any other file within FULL_LOAD_MAX_BYTES is
 * streamed first and loaded whole when streaming fails; a bigger one is only streamed.
 */
export function ooxmlReadOrder(fileBytes: number, unpackedBytes: number | undefined): OoxmlReader[] {
  if (fileBytes > FULL_LOAD_MAX_BYTES) return ['stream'];
  if (unpackedBytes !== undefined && unpackedBytes <= FULL_LOAD_FIRST_MAX_UNPACKED) return ['whole', 'stream'];
  return ['stream', 'whole'];
}

const FALLBACK_NOTE: Record<OoxmlReader, (reason: string) => string> = {
  whole: (reason) => `exceljs完整读取失败（${reason}），改用流式读取`,
  stream: (reason) => `exceljs流式读取失败（${reason}），改用完整读取`,
};

/** exceljs in the order above, then SheetJS for a small file that exceljs could not read. */
async function readOoxmlGrids(data: Buffer, notes: string[], unpackedBytes: number | undefined): Promise<Grid[]> {
  const order = ooxmlReadOrder(data.length, unpackedBytes);
  let lastErr: unknown;
  for (const [i, reader] of order.entries()) {
    try {
      if (reader === 'whole') return await readXlsxGrids(data, notes);
      const { readXlsxGridsStreaming } = await import('./xlsx-stream-grid.js');
      return await readXlsxGridsStreaming(data, notes);
    } catch (err) {
      lastErr = err;
      if (i < order.length - 1) notes.push(FALLBACK_NOTE[reader]((err as Error).message));
    }
  }
  if (order.length === 1) throw lastErr;
  // exceljs rejects some valid OOXML (strict mode, odd relationships); SheetJS often reads them
  notes.push(`exceljs无法读取（${(lastErr as Error).message}），改用SheetJS`);
  return await readXlsGrids(data, notes);
}

function isZip(d: Buffer): boolean {
  return d.length > 4 && d[0] === 0x50 && d[1] === 0x4b && d[2] === 0x03 && d[3] === 0x04;
}

export function isOle(d: Buffer): boolean {
  return d.length > 8 && d.readUInt32BE(0) === 0xd0cf11e0 && d.readUInt32BE(4) === 0xa1b11ae1;
}
