import { z } from 'zod';

/**
 * What OCR read from one page image. This record is the interface to the
 * documents engineer (facts and roles from the words) and to the dashboard
 * (text over the page image): it is kept per attachment in FileFacts.ocrPages
 * and in the OCR page cache, keyed by the page image's sha256. See README.md.
 */
export const ZOcrBox = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
});
export type TOcrBox = z.infer<typeof ZOcrBox>;

export const ZOcrLine = z.object({
  text: z.string(),
  /** 0–1, the recogniser's confidence for this line */
  confidence: z.number().min(0).max(1),
  /** in pixels of the upright, deskewed page image (see rotation/skewDegrees) */
  box: ZOcrBox,
});
export type TOcrLine = z.infer<typeof ZOcrLine>;

export const ZOcrPageRecord = z.object({
  /** engine and settings the record was made with; a record of another engine is not reused */
  engine: z.string(),
  /** sha256 of the page image as it was given to OCR (the embedded image or the rendered page) */
  imageSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** pixel size of the page image before turning */
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** clockwise quarter turns applied to make the page upright, in degrees */
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  /** small rotation applied after that to straighten the lines, degrees (positive = clockwise) */
  skewDegrees: z.number(),
  /** the page text, lines in reading order joined with "\n" */
  text: z.string(),
  chars: z.number().int().nonnegative(),
  /** character-weighted mean confidence of the lines, 0–1 (0 when nothing was read) */
  confidence: z.number().min(0).max(1),
  lines: z.array(ZOcrLine),
  /** share of strongly red pixels on the page (a red seal or 红头), 0–1: evidence for `document.sealed` */
  redShare: z.number().min(0).max(1).optional(),
  /** the same below the top quarter of the upright page (the 红头 left out): a seal, not the header */
  lowerRedShare: z.number().min(0).max(1).optional(),
});
export type TOcrPageRecord = z.infer<typeof ZOcrPageRecord>;

/** One page of an attachment and what became of it. */
export interface OcrPageEntry {
  /** 1-based page (PDF page, TIFF frame; 1 for a single image) */
  page: number;
  record: TOcrPageRecord;
  /** true when the record came from the cache (nothing was OCR'd this time) */
  cached: boolean;
}

export interface OcrUnreadPage {
  page: number;
  /** Chinese first, English in parentheses */
  reason: string;
}

/** OCR of one attachment: the pages read, and those left unread with the reason. */
export interface OcrDocumentResult {
  pages: OcrPageEntry[];
  unread: OcrUnreadPage[];
  /** pages (frames) the file has, when known */
  pageCount: number | null;
}
