import type { TAttachmentText } from '@intake/domain';
import {
  overBudgetReason,
  readOcrProjectTable,
  type OcrDocumentResult,
  type OcrPageEntry,
  type OcrService,
  type OcrTableReading,
  type OcrUnreadPage,
} from '@intake/ocr';
import type { DocumentPage } from './extraction-protocol.js';
import type { FileInput, WalkContext } from './file-facts.js';
import type { SniffResult } from './sniff-format.js';
import { readZipEntryData } from './zip-entry-data.js';
import { listZip } from './zip-listing.js';

/**
 * OCR as one more reader: image-only PDF and OFD pages and image attachments, within
 * the message's OCR page budget. In `defer` mode (phase 1 of a worker) the
 * pages are only listed as pending; phase 2 re-reads the message with
 * `inline` OCR, and the page cache makes pages already read free.
 */
export interface ParseOcrOptions {
  service: OcrService;
  /** inline: OCR now (intake parse, phase 2); defer: list the pages as pending (phase 1) */
  mode: 'inline' | 'defer';
}

/** What OCR gave one attachment. */
export interface LeafOcr {
  pages: OcrPageEntry[];
  unread: OcrUnreadPage[];
  /** pages queued for the OCR phase (defer mode) */
  pending: number[];
  text: string;
  table: OcrTableReading | null;
  notes: string[];
}

/** Image formats the OCR child can decode. */
const OCR_IMAGE_FORMATS = new Set(['png', 'jpeg', 'tiff', 'bmp', 'webp', 'gif']);
/** Smaller images are logos and icons, not scanned pages. */
export const MIN_OCR_IMAGE_BYTES = 16 * 1024;

export function isOcrImage(file: FileInput, sniff: SniffResult): boolean {
  return sniff.kind === 'image' && OCR_IMAGE_FORMATS.has(sniff.format) && file.data.length >= MIN_OCR_IMAGE_BYTES;
}

/** Pages without a text layer: a full-page image and no words, or no words and no image measurement. */
export function pagesWithoutText(pages: DocumentPage[] | undefined): number[] {
  return (pages ?? [])
    .filter((p) => p.imageOnly === true || (p.hasImage === undefined && p.text.trim() === ''))
    .map((p) => p.num);
}

/** Reads (or, deferred, lists) the pages; null when OCR has nothing to do with this file. */
export async function readLeafOcr(
  file: FileInput,
  sniff: SniffResult,
  docPages: DocumentPage[] | undefined,
  ctx: WalkContext,
): Promise<LeafOcr | null> {
  const isImage = isOcrImage(file, sniff);
  const pdfPages = sniff.kind === 'pdf' ? pagesWithoutText(docPages) : [];
  const ofdPages = sniff.format === 'ofd' ? ofdPagesWithoutText(docPages) : [];
  if (ofdPages.length > 0) return readOfdOcr(file, ofdPages, ctx);
  if (!isImage && pdfPages.length === 0) return null;
  const ocr = ctx.ocr;
  if (!ocr) return null;
  const budget = ctx.ocrBudget;
  if (ocr.mode === 'defer') {
    const pending = isImage ? [1] : pdfPages;
    return {
      pages: [],
      unread: [],
      pending,
      text: '',
      table: null,
      notes: [`${isImage ? '图像' : `${pending.length}页扫描页`}已排队等待OCR识别 (queued for OCR)`],
    };
  }
  let result: OcrDocumentResult;
  const maxPages = Math.max(0, ctx.limits.maxOcrPages - budget.used);
  try {
    result = isImage
      ? await ocr.service.readImage(file.data, { maxPages })
      : await ocr.service.readPdfPages(file.data, pdfPages, { maxPages });
  } catch (err) {
    // the service lists bad pages itself; this is the service being unusable (pool closed…)
    ctx.logger?.warn({ err, code: 'ocr.attachment-failed', path: file.path }, 'OCR could not run');
    result = { pages: [], unread: [{ page: 1, reason: `OCR无法运行：${(err as Error).message}` }], pageCount: null };
  }
  const attempted =
    result.pages.length + result.unread.filter((u) => !/over the per-message OCR/.test(u.reason)).length;
  budget.used += attempted;
  return summarise(result, ctx);
}

/** OFD pages with no words whose drawn images can be read instead: a scanner's OFD is one image a page. */
export function ofdPagesWithoutText(pages: DocumentPage[] | undefined): Array<{ num: number; image: string }> {
  return (pages ?? []).flatMap((p) =>
    p.imageOnly === true && p.images?.[0] !== undefined ? [{ num: p.num, image: p.images[0] }] : [],
  );
}

/**
 * OCR of an image-only OFD: each page's image is taken from the OFD's zip (real bytes capped like any
 * archive entry) and read as an image, under the same per-message page budget as PDF pages.
 */
async function readOfdOcr(
  file: FileInput,
  pages: Array<{ num: number; image: string }>,
  ctx: WalkContext,
): Promise<LeafOcr | null> {
  const ocr = ctx.ocr;
  if (!ocr) return null;
  if (ocr.mode === 'defer') {
    const pending = pages.map((p) => p.num);
    return {
      pages: [],
      unread: [],
      pending,
      text: '',
      table: null,
      notes: [`${pending.length}页扫描页已排队等待OCR识别 (queued for OCR)`],
    };
  }
  const result: OcrDocumentResult = { pages: [], unread: [], pageCount: pages.length };
  const images = ofdImages(file.data, pages, ctx.limits.maxAttachmentBytes);
  for (const p of pages) {
    const image = images.get(p.num);
    const left = Math.max(0, ctx.limits.maxOcrPages - ctx.ocrBudget.used);
    if (typeof image === 'string') {
      result.unread.push({ page: p.num, reason: image });
      continue;
    }
    if (left === 0 || image === undefined) {
      result.unread.push({ page: p.num, reason: overBudgetReason(ctx.limits.maxOcrPages) });
      continue;
    }
    const one = await ocr.service.readImage(image, { maxPages: 1 });
    ctx.ocrBudget.used += one.pages.length + one.unread.length;
    result.pages.push(...one.pages.map((e) => ({ ...e, page: p.num })));
    result.unread.push(...one.unread.map((u) => ({ ...u, page: p.num })));
  }
  return summarise(result, ctx);
}

/** Each page's image bytes by page number, or why it cannot be had. */
function ofdImages(
  ofd: Buffer,
  pages: Array<{ num: number; image: string }>,
  cap: number,
): Map<number, Buffer | string> {
  const out = new Map<number, Buffer | string>();
  const listing = listZip(ofd, 10_000);
  if (listing.error !== undefined) {
    for (const p of pages) out.set(p.num, `OFD 文件损坏（${listing.error}）`);
    return out;
  }
  const byName = new Map(listing.entries.map((e) => [e.name.replace(/^\/+/, '').toLowerCase(), e]));
  for (const p of pages) {
    const entry = byName.get(p.image.toLowerCase());
    if (!entry) {
      out.set(p.num, `OFD 缺少页面图像 ${p.image} (missing page image)`);
      continue;
    }
    try {
      out.set(p.num, readZipEntryData(ofd, entry.raw, listing.shift, cap));
    } catch (err) {
      out.set(p.num, `OFD 页面图像无法读取：${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

function summarise(result: OcrDocumentResult, ctx: WalkContext): LeafOcr {
  const notes: string[] = [];
  const read = result.pages.filter((p) => p.record.chars > 0);
  if (result.pages.length > 0) {
    const cached = result.pages.filter((p) => p.cached).length;
    notes.push(
      `OCR识别${result.pages.length}页（其中${cached}页取自缓存），平均置信度${meanConfidence(result.pages).toFixed(2)} (OCR: ${result.pages.length} pages)`,
    );
  }
  for (const u of result.unread) notes.push(`第${u.page}页未识别：${u.reason}`);
  for (const p of result.pages.filter((p) => p.record.rotation !== 0))
    notes.push(`第${p.page}页图像方向已纠正（旋转${p.record.rotation}°） (page turned ${p.record.rotation}°)`);
  const table =
    read.length > 0
      ? readOcrProjectTable(read, { largeProjectWan: ctx.profile.thresholds.largeProjectInvestmentWan })
      : null;
  if (table?.found) notes.push(...table.notes);
  return {
    pages: result.pages,
    unread: result.unread,
    pending: [],
    text: read.map((p) => p.record.text).join('\n\n'),
    table: table?.found ? table : null,
    notes,
  };
}

/** Character-weighted mean confidence over the pages read, 0 when none. */
export function meanConfidence(pages: OcrPageEntry[]): number {
  const chars = pages.reduce((n, p) => n + p.record.chars, 0);
  if (chars === 0) return 0;
  return pages.reduce((n, p) => n + p.record.confidence * p.record.chars, 0) / chars;
}

/** The attachment's `text` (CONTRACT, last section): where its words came from. */
export function textSummary(textLayer: string | null, ocr: LeafOcr | null): TAttachmentText {
  const layer = (textLayer ?? '').trim();
  const ocrChars = ocr?.pages.reduce((n, p) => n + p.record.chars, 0) ?? 0;
  const pending = (ocr?.pending.length ?? 0) > 0;
  const base = pending ? { pending: true } : {};
  if (ocr && ocrChars > 0) {
    const chars = layer.length + ocrChars;
    return { source: 'ocr', chars, confidence: Math.round(meanConfidence(ocr.pages) * 1000) / 1000, ...base };
  }
  if (layer.length > 0) return { source: 'text-layer', chars: layer.length, ...base };
  return { source: 'none', chars: 0, ...base };
}
