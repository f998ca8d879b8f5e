import mammoth from 'mammoth';
import WordExtractor from 'word-extractor';
import { readDocxTables } from './docx-tables.js';
import type { Grid } from './grid.js';
import { readProjectGrids, type ProjectTableResult } from './project-grids.js';
import type { PdfPage } from './pdf-text.js';
import { extractPdfPages } from './pdf-text.js';
import { isOle } from './project-table.js';
import { rtfToText } from './rtf-text.js';
import { decodeText } from './text-decode.js';

export interface ExtractDocumentTextOptions {
  format: 'docx' | 'doc' | 'wps' | 'pdf' | 'txt';
  /**
   * The caller no longer needs `data`: the PDF reader may take its memory over
   * instead of copying it (the Buffer is then emptied). For the extraction
   * worker, where a 50 MB scan would otherwise be held twice.
   * @defaultValue false
   */
  consumeInput?: boolean;
  /**
   * 万元 threshold for the large-project count in the notes of a table found in the document.
   * @defaultValue undefined (no count)
   */
  largeProjectWan?: number;
  /**
   * Pages of a PDF read at most (what is left of the message's page budget).
   * @defaultValue no limit
   */
  maxPages?: number;
  /**
   * The .docx already opened (entries inflated on demand under a real-byte cap): mammoth and
   * the table reader read their entries from it instead of unzipping the file themselves.
   * @defaultValue the file is unzipped with JSZip
   */
  zipFile?: DocxZipFile;
}

/** The part of mammoth's zip-file interface the readers use (`{ file }` input). */
export interface DocxZipFile {
  exists(name: string): boolean;
  read(name: string, encoding?: string): Promise<string | Uint8Array>;
}

export interface DocumentTextResult {
  text: string;
  /** PDF only */
  pages?: PdfPage[];
  notes: string[];
  /** a 附件2 project table found in a Word table or a PDF table, when it has project rows */
  table?: ProjectTableResult;
}

/**
 * The text of a document attachment. Throws an Error saying why when the file
 * cannot be read (encrypted, corrupt, a format we have no reader for): the
 * caller records the attachment as unreadable and goes on.
 */
export async function extractDocumentText(data: Buffer, opts: ExtractDocumentTextOptions): Promise<DocumentTextResult> {
  const notes: string[] = [];
  if (opts.format === 'pdf' || isPdf(data)) {
    if (opts.format !== 'pdf') notes.push(`扩展名为${opts.format}，实际是PDF`);
    const { pages, tables } = await extractPdfPages(data, notes, opts.consumeInput ?? false, opts.maxPages);
    return { text: pages.map((p) => p.text).join('\n\n'), pages, notes, ...projectTableOf(tables, opts) };
  }
  if (opts.format === 'txt') return { text: decodeText(data).text, notes };
  if (isZip(data)) {
    if (opts.format !== 'docx') notes.push(`扩展名为${opts.format}，实际是docx格式`);
    const text = await readDocx(data, notes, opts.zipFile);
    return { text, notes, ...projectTableOf(await docxTables(data, notes, opts.zipFile), opts) };
  }
  if (isOle(data)) {
    if (opts.format === 'docx') notes.push('扩展名为docx，实际是旧版doc格式');
    return { text: await readOleWord(data, opts.format), notes };
  }
  if (isRtf(data)) {
    notes.push(`扩展名为${opts.format}，实际是RTF格式`);
    return { text: rtfToText(data), notes };
  }
  throw new Error(`无法识别的${opts.format}文件：既不是docx（zip），也不是Word 97-2003/WPS（OLE）或RTF`);
}

async function docxTables(data: Buffer, notes: string[], zipFile: DocxZipFile | undefined): Promise<Grid[]> {
  try {
    return await readDocxTables(data, notes, zipFile);
  } catch (err) {
    // mammoth read the text; the tables are a bonus, their failure is worth a note only
    notes.push(`docx中的表格无法按行列读取（${(err as Error).message}）`);
    return [];
  }
}

/** The grids' project table, when one with project rows is there (a materials text with a stray header is not 附件2). */
function projectTableOf(grids: Grid[], opts: ExtractDocumentTextOptions): { table?: ProjectTableResult } {
  if (grids.length === 0) return {};
  const table = readProjectGrids(grids, {
    continuations: true,
    ...(opts.largeProjectWan === undefined ? {} : { largeProjectWan: opts.largeProjectWan }),
  });
  return table.found && table.projects.length > 0 ? { table } : {};
}

async function readDocx(data: Buffer, notes: string[], zipFile: DocxZipFile | undefined): Promise<string> {
  try {
    // mammoth takes an opened zip as `{ file }` (lib/unzip.js), which its typings do not list
    const input = (zipFile ? { file: zipFile } : { buffer: data }) as { buffer: Buffer };
    const r = await mammoth.extractRawText(input);
    const warnings = r.messages.length;
    if (warnings > 0) notes.push(`docx读取时有${warnings}条警告`);
    return r.value;
  } catch (err) {
    throw new Error(`docx无法读取：${(err as Error).message}`, { cause: err });
  }
}

async function readOleWord(data: Buffer, format: string): Promise<string> {
  try {
    const doc = await new WordExtractor().extract(data);
    return [doc.getBody(), doc.getTextboxes({ includeHeadersAndFooters: false, includeBody: true }), doc.getFootnotes()]
      .filter((t) => t && t.trim())
      .join('\n');
  } catch (err) {
    // encrypted .doc, WPS-native streams, Excel/PowerPoint files renamed to .doc
    throw new Error(`${format}文件无法读取（${(err as Error).message}）`, { cause: err });
  }
}

function isPdf(d: Buffer): boolean {
  return d.subarray(0, 1024).includes('%PDF-');
}

function isZip(d: Buffer): boolean {
  return d.length > 4 && d.readUInt32BE(0) === 0x504b0304;
}

function isRtf(d: Buffer): boolean {
  return d.subarray(0, 5).toString('latin1') === '{\\rtf';
}
