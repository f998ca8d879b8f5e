import type { TaskContext } from '@intake/sandbox';
import { readPageImage, uprightPageImage } from './engine.js';
import { encodePng, isTiff, tiffFrames } from './image-ops.js';
import type { TOcrPageRecord } from './page-record.js';
import { renderPdfPages, type RenderedPage } from './pdf-render.js';

/**
 * The functions the sandbox child runs (module + function name + input, see
 * @intake/sandbox). Inputs and outputs are structured-clone data; bytes travel
 * as Uint8Array/Buffer.
 */

export interface RenderPdfInput {
  pdf: Uint8Array;
  pages: number[];
  dpi: number;
  timeoutMs: number;
}

export function renderPdf(input: RenderPdfInput, ctx: TaskContext): Promise<RenderedPage[]> {
  return renderPdfPages(input.pdf, input.pages, { dpi: input.dpi, tmpDir: ctx.tmpDir, timeoutMs: input.timeoutMs });
}

export interface SplitImageInput {
  image: Uint8Array;
  maxPages: number;
}

export interface SplitImageOutput {
  pageCount: number;
  /** the first maxPages frames: a TIFF's frames as PNG, any other image as it came */
  pages: Array<{ page: number; image: Uint8Array }>;
}

export function splitImage(input: SplitImageInput): SplitImageOutput {
  if (!isTiff(input.image)) return { pageCount: 1, pages: input.maxPages > 0 ? [{ page: 1, image: input.image }] : [] };
  const frames = tiffFrames(input.image);
  const pages: SplitImageOutput['pages'] = [];
  for (let i = 0; i < Math.min(frames.count, input.maxPages); i++)
    pages.push({ page: i + 1, image: encodePng(frames.frame(i)) });
  return { pageCount: frames.count, pages };
}

export function ocrImage(input: { image: Uint8Array }): Promise<Omit<TOcrPageRecord, 'engine' | 'imageSha256'>> {
  return readPageImage(input.image);
}

export function uprightImage(input: {
  image: Uint8Array;
  rotation: 0 | 90 | 180 | 270;
  skewDegrees: number;
}): Promise<Buffer> {
  return uprightPageImage(input.image, input.rotation, input.skewDegrees);
}
