import * as XLSX from '@e965/xlsx';
import * as cptable from '@e965/xlsx/dist/cpexcel.full.mjs';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import mammoth from 'mammoth';
import { PDFParse } from 'pdf-parse';
import WordExtractor from 'word-extractor';
import { DEFAULT_PARSE_LIMITS, expandArchive, expandZip } from '@intake/mail-parsing';

// SheetJS as its README sets it up for GBK workbooks: once, with the full code-page table
XLSX.set_cptable(cptable);
const wordExtractor = new WordExtractor();

const ext = (name: string): string => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

function isXlsx(name: string, type: string): boolean {
  return ext(name) === 'xlsx' || type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}

function isPdf(name: string, type: string): boolean {
  return ext(name) === 'pdf' || type === 'application/pdf';
}

function isDocx(name: string, type: string): boolean {
  return ext(name) === 'docx' || type === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
}

function isLegacySheet(name: string, type: string): boolean {
  return ext(name) === 'xls' || ext(name) === 'et' || type === 'application/vnd.ms-excel';
}

function isDoc(name: string, type: string): boolean {
  return ext(name) === 'doc' || ext(name) === 'wps' || type === 'application/msword';
}

function isRarOr7z(name: string, type: string): 'rar' | '7z' | null {
  if (ext(name) === 'rar' || type === 'application/vnd.rar' || type === 'application/x-rar-compressed') return 'rar';
  if (ext(name) === '7z' || type === 'application/x-7z-compressed') return '7z';
  return null;
}

function isZip(name: string, type: string): boolean {
  return ext(name) === 'zip' || type === 'application/zip' || type === 'application/x-zip-compressed';
}

/** exceljs load of one .xlsx; errors are counted, not thrown (a corrupt file is part of the input). */
export async function loadXlsx(data: Buffer): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return wb.worksheets.reduce((n, ws) => n + ws.rowCount, 0);
}

/** pdf-parse getText of one PDF. */
export async function pdfText(data: Buffer): Promise<number> {
  const parser = new PDFParse({ data });
  try {
    const r = await parser.getText();
    return r.text.length;
  } finally {
    await parser.destroy();
  }
}

/** SheetJS read of one legacy .xls/.et. */
export function loadLegacySheet(data: Buffer): number {
  const wb = XLSX.read(data, { type: 'buffer', cellDates: true });
  return wb.SheetNames.length;
}

/** word-extractor's text of one .doc. */
export async function docText(data: Buffer): Promise<number> {
  return (await wordExtractor.extract(data)).getBody().length;
}

/** mammoth's raw text of one .docx. */
export async function docxText(data: Buffer): Promise<number> {
  return (await mammoth.extractRawText({ buffer: data })).value.length;
}

export interface BareCounts {
  /** attachment reads that threw (corrupt files are part of the input) */
  errors: number;
  /** files read: top-level attachments and archive members */
  files: number;
}

/** One file of the fair floor: the bare library for its type; archives opened with the desk's own readers (zip, RAR, 7z). */
async function readFile(name: string, type: string, data: Buffer, depth: number, out: BareCounts): Promise<void> {
  try {
    if (isXlsx(name, type)) await loadXlsx(data);
    else if (isPdf(name, type)) await pdfText(data);
    else if (isDocx(name, type)) await docxText(data);
    else if (isLegacySheet(name, type)) loadLegacySheet(data);
    else if (isDoc(name, type)) await docText(data);
    else if ((isZip(name, type) || isRarOr7z(name, type)) && depth < DEFAULT_PARSE_LIMITS.maxDepth) {
      const kind = isRarOr7z(name, type);
      const archive = kind
        ? await expandArchive(kind, data, DEFAULT_PARSE_LIMITS, { usedBytes: 0 })
        : expandZip(data, DEFAULT_PARSE_LIMITS, { usedBytes: 0 });
      for (const m of archive.members) if (m.data) await readFile(m.filename, '', m.data, depth + 1, out);
      out.files++;
      return;
    } else return;
    out.files++;
  } catch {
    out.errors++;
  }
}

/**
 * The fair floor of `parse` (issue 14.1): the bare libraries doing the reading
 * the desk does — mailparser, then every attachment, inside archives too
 * (opened with the desk's own zip, RAR and 7z readers, which wrap the same
 * libraries): exceljs for .xlsx, SheetJS for .xls/.et, pdf-parse text for PDFs,
 * mammoth for .docx, word-extractor for .doc. No applicant/metric logic, no
 * sandbox, no threads, each library loaded once. (Images are not read: the
 * parse corpus is read without OCR, which the ocr section measures.)
 */
export async function bareParse(raw: Buffer): Promise<BareCounts> {
  const mail = await simpleParser(raw);
  const out: BareCounts = { errors: 0, files: 0 };
  for (const a of mail.attachments) await readFile(a.filename ?? '', a.contentType, a.content, 0, out);
  return out;
}

/**
 * The old baseline, kept for comparison (`parse.ratioTopLevel`): mailparser,
 * then exceljs on each top-level .xlsx and pdf-parse getText on each top-level
 * PDF — no archives, no .docx.
 */
export async function bareParseTopLevel(raw: Buffer): Promise<BareCounts> {
  const mail = await simpleParser(raw);
  const out: BareCounts = { errors: 0, files: 0 };
  for (const a of mail.attachments) {
    const name = a.filename ?? '';
    try {
      if (isXlsx(name, a.contentType)) await loadXlsx(a.content);
      else if (isPdf(name, a.contentType)) await pdfText(a.content);
      else continue;
      out.files++;
    } catch {
      out.errors++;
    }
  }
  return out;
}
