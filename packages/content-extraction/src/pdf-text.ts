import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDFParse } from './pdfjs.js';
import { loadPdfStructure, measureImageCoverage, PdfStructureError } from './pdf-image-coverage.js';
import { measureCoverageByOperators } from './pdf-oplist-coverage.js';
import type { Grid } from './grid.js';
import { looksLikeTablePage, readPdfTables } from './pdf-tables.js';

export interface PdfPage {
  num: number;
  text: string;
  /** a large image (≥ FULL_PAGE_IMAGE_SHARE of the page) is drawn on the page */
  hasImage?: boolean;
  /** no meaningful text layer, and a large image: what a scanner produces */
  imageOnly?: boolean;
  /** share of the page covered by its largest image, 0..1 */
  imageCoverage?: number;
}

/** A page image this large is a scanned page, not a logo or a seal. */
export const FULL_PAGE_IMAGE_SHARE = 0.5;
/** Fewer meaningful characters than this is not a text layer (page numbers, a stray "-"). */
export const MIN_TEXT_LAYER_CHARS = 10;
/** Pages whose images are measured; beyond it pages keep hasImage undefined. */
export const MAX_MEASURED_PAGES = 300;

export function meaningfulChars(text: string): number {
  return (text.match(/[\p{Script=Han}\p{L}\p{N}]/gu) ?? []).length;
}

/** Above this size a PDF whose structure pdf-lib cannot read is not measured with pdf.js (it decodes every image). */
export const OPERATOR_FALLBACK_MAX_BYTES = 12 * 1024 * 1024;

export interface PdfReadResult {
  pages: PdfPage[];
  /** tables on pages with a project-table header, as grids named "page N" */
  tables: Grid[];
}

/**
 * `consume`: pdf.js may take over `data`'s memory (it detaches a Uint8Array spanning its whole ArrayBuffer).
 * `maxPages`: pages read at most (the message's page budget); the rest are left unread with a note.
 */
export async function extractPdfPages(
  data: Buffer,
  notes: string[],
  consume = false,
  maxPages = Infinity,
): Promise<PdfReadResult> {
  const size = data.length;
  // the structure first, while pdf.js holds nothing yet: pdf-lib's copy of the streams can be dropped before text extraction
  const structure = await measureStructurally(data);
  // PDFParse copies a Buffer into a Uint8Array; a plain Uint8Array over the whole ArrayBuffer
  // goes to pdf.js as it is, which transfers (detaches) it instead of copying
  const whole =
    data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  const parser = new PDFParse({ data: consume && whole ? new Uint8Array(data.buffer, 0, size) : data });
  try {
    const first = Number.isFinite(maxPages) ? Math.max(1, Math.floor(maxPages)) : undefined;
    const result = await parser.getText({ pageJoiner: '', ...(first === undefined ? {} : { first }) });
    const pages: PdfPage[] = result.pages.map((p) => ({ num: p.num, text: p.text.trim() }));
    if (result.total > pages.length)
      notes.push(
        `PDF共${result.total}页，本邮件的页数预算只够读取前${pages.length}页，其余未读 (page budget: ${pages.length} of ${result.total} pages read)`,
      );
    const measured = pages.slice(0, MAX_MEASURED_PAGES).map((p) => p.num);
    if (pages.length > MAX_MEASURED_PAGES) notes.push(`PDF共${pages.length}页，仅检查前${MAX_MEASURED_PAGES}页的图像`);
    let coverage = structure.coverage;
    if (!coverage) {
      if (size <= OPERATOR_FALLBACK_MAX_BYTES)
        coverage = await measureCoverageByOperators(await loadedDocument(parser), measured);
      else notes.push(`PDF结构无法直接读取（${structure.reason}），文件较大，未检查页面图像`);
    }
    for (const p of pages) {
      const share = coverage?.get(p.num);
      if (share === undefined) continue;
      p.imageCoverage = Math.round(share * 1000) / 1000;
      p.hasImage = share >= FULL_PAGE_IMAGE_SHARE;
      p.imageOnly = p.hasImage && meaningfulChars(p.text) < MIN_TEXT_LAYER_CHARS;
    }
    return { pages, tables: await tablesOf(parser, pages, notes) };
  } catch (err) {
    throw new Error(describePdfError(err), { cause: err });
  } finally {
    await parser.destroy();
  }
}

/** The project tables of the pages whose text has such a header; a failure is a note, the text still stands. */
async function tablesOf(parser: PDFParse, pages: PdfPage[], notes: string[]): Promise<Grid[]> {
  const wanted = pages
    .filter((p) => !p.imageOnly && looksLikeTablePage(p.text))
    .map((p) => p.num)
    .slice(0, MAX_TABLE_PAGES);
  if (wanted.length === 0) return [];
  // the pages after a header page may carry the rest of the table without a header
  const follow: number[] = [];
  for (const p of pages) {
    const last = Math.max(...wanted.filter((w) => w < p.num), -Infinity);
    if (p.imageOnly || wanted.includes(p.num) || p.num - last > MAX_FOLLOW_PAGES) continue;
    if (wanted.includes(p.num - 1) || follow.includes(p.num - 1)) follow.push(p.num);
  }
  try {
    return await readPdfTables(parser, await loadedDocument(parser), wanted, follow);
  } catch (err) {
    notes.push(`PDF中的表格无法按行列读取（${(err as Error).message}），仅读取了文字`);
    return [];
  }
}

/** Pages read as tables at most: 附件2 is a few pages, not a hundred. */
export const MAX_TABLE_PAGES = 40;
/** Header-less pages read after a page with a table header. */
export const MAX_FOLLOW_PAGES = 10;

/** Image coverage of the first MAX_MEASURED_PAGES pages from the object structure, or why it could not be read. */
async function measureStructurally(
  data: Uint8Array,
): Promise<{ coverage: Map<number, number> | null; reason: string }> {
  try {
    const doc = await loadPdfStructure(data);
    const count = Math.min(doc.getPageCount(), MAX_MEASURED_PAGES);
    return {
      coverage: measureImageCoverage(
        doc,
        Array.from({ length: count }, (_, i) => i + 1),
      ),
      reason: '',
    };
  } catch (err) {
    // a page tree pdf-lib cannot walk is as unreadable to it as an encrypted file: pdf.js may still manage
    return {
      coverage: null,
      reason: err instanceof PdfStructureError ? err.message : `pdf-lib: ${(err as Error).message}`,
    };
  }
}

/**
 * pdf-parse keeps its pdf.js document private; we reuse it rather than parse a
 * 50 MB file twice. Its load() memoises the document (pdf-parse 2.4.x).
 */
async function loadedDocument(parser: PDFParse): Promise<PDFDocumentProxy> {
  const internal = parser as unknown as { load?: () => Promise<PDFDocumentProxy> };
  if (typeof internal.load !== 'function') throw new Error('pdf-parse no longer exposes load(); update pdf-text.ts');
  return internal.load();
}

function describePdfError(err: unknown): string {
  const e = err as { name?: string; message?: string } | null | undefined;
  if (e?.name === 'PasswordException') return 'PDF已加密，需要密码才能打开';
  if (e?.name === 'InvalidPDFException') return `不是有效的PDF文件（${e.message ?? ''}）`;
  return `PDF无法解析：${e?.message ?? String(err)}`;
}
