import type { OcrCache } from './ocr-cache.js';
import { sha256Hex, type OcrService } from './ocr-service.js';
import type { TOcrPageRecord } from './page-record.js';

/**
 * For the dashboard: one page of an attachment as OCR saw it, with its lines,
 * to draw the text over the image. Nothing is OCR'd here: the record comes
 * from the cache (the page image is rendered again to find its sha256).
 */
export interface DisplaySource {
  /** the attachment's bytes */
  data: Uint8Array;
  kind: 'pdf' | 'image';
  /** 1-based page (PDF page or TIFF frame) */
  page: number;
}

export interface OcrPageDisplay {
  /** PNG of the page turned upright and straightened, so `record.lines` boxes sit on it */
  image: Buffer;
  mime: 'image/png';
  /** null when the page was never OCR'd (or by another engine) */
  record: TOcrPageRecord | null;
}

export async function loadOcrPageForDisplay(
  src: DisplaySource,
  deps: { service: OcrService; cache: OcrCache },
): Promise<OcrPageDisplay> {
  const pageImage = await pageImageOf(src, deps.service);
  const record = await deps.cache.get(sha256Hex(pageImage), deps.service.engine);
  const image = record
    ? await deps.service.uprightImage(pageImage, record)
    : await deps.service.uprightImage(pageImage, { rotation: 0, skewDegrees: 0 } as TOcrPageRecord);
  return { image, mime: 'image/png', record };
}

async function pageImageOf(src: DisplaySource, service: OcrService): Promise<Uint8Array> {
  if (src.kind === 'pdf') {
    const [page] = await service.renderPdfPages(src.data, [src.page]);
    if (!page) throw new Error(`PDF has no page ${src.page}`);
    return page.image;
  }
  if (src.page === 1) {
    // a single image is its own page image; a TIFF's frames are split as OCR split them
    const r = await service.splitPages(src.data, 1);
    return r[0] ?? src.data;
  }
  const frames = await service.splitPages(src.data, src.page);
  const frame = frames[src.page - 1];
  if (!frame) throw new Error(`image has no page ${src.page}`);
  return frame;
}
