/**
 * OCR of scans and photos: one page image → text lines with boxes and
 * confidences, orientation and skew corrected, image-only PDF pages rendered,
 * multi-page TIFF split, results cached by the page image's sha256, every
 * engine call in a @intake/sandbox child process. See README.md.
 */
export {
  ZOcrBox,
  ZOcrLine,
  ZOcrPageRecord,
  type TOcrBox,
  type TOcrLine,
  type TOcrPageRecord,
  type OcrPageEntry,
  type OcrUnreadPage,
  type OcrDocumentResult,
} from './page-record.js';
export { FsOcrCache, MemoryOcrCache, type OcrCache } from './ocr-cache.js';
export {
  createOcrService,
  overBudgetReason,
  resolveTaskModule,
  sha256Hex,
  type OcrService,
  type OcrServiceOptions,
  type ReadOptions,
} from './ocr-service.js';
export { ENGINE_ID } from './engine-id.js';
export { normalizeOcrText } from './normalize.js';
export { pageText, groupRows } from './reading-order.js';
export {
  linesToGrid,
  readOcrProjectTable,
  OCR_LOW_CONFIDENCE,
  type OcrGrid,
  type OcrTableReading,
} from './table-grid.js';
export { loadOcrPageForDisplay, type OcrPageDisplay, type DisplaySource } from './page-display.js';
export type { RenderedPage } from './pdf-render.js';
