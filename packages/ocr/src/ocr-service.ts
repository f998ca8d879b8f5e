import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isSandboxError, SandboxPool, type SandboxTask } from '@intake/sandbox';
import { ENGINE_ID } from './engine-id.js';
import type { OcrCache } from './ocr-cache.js';
import type { RenderPdfInput, SplitImageInput, SplitImageOutput } from './ocr-task.js';
import type { OcrDocumentResult, OcrPageEntry, OcrUnreadPage, TOcrPageRecord } from './page-record.js';
import type { RenderedPage } from './pdf-render.js';

/**
 * OCR of attachments, from the caller's side: page images are produced and
 * read in the sandbox (a child process with a time and an RSS cap), results
 * are looked up in and written to the injected cache by the page image's
 * sha256. Never throws for a bad page: it is listed unread with the reason.
 */
export interface OcrServiceOptions {
  cache: OcrCache;
  /** a pool of your own (shared with other readers), or one is made with `children` children */
  pool?: SandboxPool;
  /**
   * Children of the pool made here.
   * @defaultValue 1
   */
  children?: number;
  /**
   * Wall time for one page (render or OCR), ms.
   * @defaultValue 60 000
   */
  pageTimeoutMs?: number;
  /**
   * Memory cap of an OCR child (RSS with its descendants), MB.
   * @defaultValue 1536
   */
  memoryMb?: number;
  /**
   * Resolution image-only PDF pages are rendered at.
   * @defaultValue 200
   */
  dpi?: number;
}

export interface ReadOptions {
  /** pages this attachment may still use of the message's OCR budget */
  maxPages: number;
}

export interface OcrService {
  /** OCR of the given 1-based pages of an image-only PDF (the budget counts from the first listed) */
  readPdfPages(pdf: Uint8Array, pages: number[], opts: ReadOptions): Promise<OcrDocumentResult>;
  /** OCR of an image: one page, or each frame of a multi-page TIFF */
  readImage(image: Uint8Array, opts: ReadOptions): Promise<OcrDocumentResult>;
  /** the page image as stored for `record` (turned upright, straightened), PNG */
  uprightImage(pageImage: Uint8Array, record: TOcrPageRecord): Promise<Buffer>;
  /** page images of a PDF, as OCR sees them (for display and the bench) */
  renderPdfPages(pdf: Uint8Array, pages: number[]): Promise<RenderedPage[]>;
  /** the page images of an image file (one, or a TIFF's first `maxPages` frames) */
  splitPages(image: Uint8Array, maxPages: number): Promise<Uint8Array[]>;
  readonly engine: string;
  /** Stops the pool if it was made here. Safe to call twice. */
  close(): Promise<void>;
}

/** `./ocr-task.js` beside this module; from `src/` under vitest, the built copy in `dist/`. */
export function resolveTaskModule(): string {
  const here = new URL(import.meta.url);
  const sibling = new URL('./ocr-task.js', here);
  if (!here.pathname.endsWith('.ts') && fs.existsSync(fileURLToPath(sibling))) return sibling.href;
  return pathToFileURL(fileURLToPath(new URL('../dist/ocr-task.js', here))).href;
}

export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export function overBudgetReason(budget: number): string {
  return `超出每封邮件的OCR页数上限（${budget}页），未识别 (over the per-message OCR page budget)`;
}

export function createOcrService(opts: OcrServiceOptions): OcrService {
  // a child is replaced every 40 tasks (20 pages): onnxruntime's memory creeps up with each new image size
  const ownPool = opts.pool
    ? null
    : new SandboxPool({ size: opts.children ?? 1, memoryMb: opts.memoryMb ?? 1536, maxTasksPerChild: 40 });
  const pool = opts.pool ?? ownPool!;
  const module = resolveTaskModule();
  const timeoutMs = opts.pageTimeoutMs ?? 60_000;
  const dpi = opts.dpi ?? 200;
  const task = <T>(fn: string, input: unknown, pages = 1): Promise<T> =>
    pool.run<T>({ module, fn, input, timeoutMs: timeoutMs * pages, memoryMb: opts.memoryMb } satisfies SandboxTask);

  async function readOne(page: number, image: Uint8Array): Promise<OcrPageEntry> {
    const imageSha256 = sha256Hex(image);
    const hit = await opts.cache.get(imageSha256, ENGINE_ID);
    if (hit) return { page, record: hit, cached: true };
    const read = await task<Omit<TOcrPageRecord, 'engine' | 'imageSha256'>>('ocrImage', { image });
    const record: TOcrPageRecord = { engine: ENGINE_ID, imageSha256, ...read };
    await opts.cache.put(record);
    return { page, record, cached: false };
  }

  async function readEach(
    images: Array<{ page: number; image: Uint8Array }>,
    result: OcrDocumentResult,
  ): Promise<OcrDocumentResult> {
    for (const { page, image } of images) {
      try {
        result.pages.push(await readOne(page, image));
      } catch (err) {
        result.unread.push({ page, reason: describeFailure(err) });
      }
    }
    return result;
  }

  return {
    engine: ENGINE_ID,
    async readPdfPages(pdf, pages, o) {
      const wanted = pages.slice(0, Math.max(0, o.maxPages));
      const unread: OcrUnreadPage[] = pages
        .slice(wanted.length)
        .map((page) => ({ page, reason: overBudgetReason(o.maxPages) }));
      const result: OcrDocumentResult = { pages: [], unread, pageCount: null };
      for (const page of wanted) {
        let rendered: RenderedPage[];
        try {
          rendered = await task<RenderedPage[]>('renderPdf', {
            pdf,
            pages: [page],
            dpi,
            timeoutMs,
          } satisfies RenderPdfInput);
        } catch (err) {
          result.unread.push({ page, reason: describeFailure(err) });
          continue;
        }
        await readEach(
          rendered.map((r) => ({ page: r.page, image: r.image })),
          result,
        );
      }
      result.unread.sort((a, b) => a.page - b.page);
      return result;
    },
    async readImage(image, o) {
      let split: SplitImageOutput;
      try {
        split = await task<SplitImageOutput>('splitImage', {
          image,
          maxPages: Math.max(0, o.maxPages),
        } satisfies SplitImageInput);
      } catch (err) {
        return { pages: [], unread: [{ page: 1, reason: describeFailure(err) }], pageCount: null };
      }
      const unread: OcrUnreadPage[] = [];
      for (let p = split.pages.length + 1; p <= split.pageCount; p++)
        unread.push({ page: p, reason: overBudgetReason(o.maxPages) });
      return readEach(split.pages, { pages: [], unread, pageCount: split.pageCount });
    },
    uprightImage: (pageImage, record) =>
      task<Buffer>('uprightImage', { image: pageImage, rotation: record.rotation, skewDegrees: record.skewDegrees }),
    splitPages: async (image, maxPages) =>
      (await task<SplitImageOutput>('splitImage', { image, maxPages } satisfies SplitImageInput)).pages.map(
        (p) => p.image,
      ),
    renderPdfPages: (pdf, pages) => task<RenderedPage[]>('renderPdf', { pdf, pages, dpi, timeoutMs }, pages.length),
    async close() {
      await ownPool?.close();
    },
  };
}

function describeFailure(err: unknown): string {
  if (isSandboxError(err)) {
    if (err.failure === 'task-failed') return `OCR识别失败：${err.message}`;
    return err.message;
  }
  return `OCR识别失败：${err instanceof Error ? err.message : String(err)}`;
}
