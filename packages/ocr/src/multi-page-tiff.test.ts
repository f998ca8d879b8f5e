// Guards multi-page TIFF (what office scanners and fax servers write): every frame is a page,
// frames over the budget are listed unread. The pages are the generator's drawn 请示 at 100 dpi.
import { makeMultiPageTiff, sealedRequestPageImage, SEALED_REQUEST } from '@intake/fixture-generator';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeOcrText } from './normalize.js';
import { MemoryOcrCache } from './ocr-cache.js';
import { createOcrService } from './ocr-service.js';

const ocr = createOcrService({ cache: new MemoryOcrCache(), pageTimeoutMs: 120_000 });
afterAll(() => ocr.close());

describe('multi-page TIFF', () => {
  it('reads each frame as a page, within the page budget', async () => {
    const page = await sealedRequestPageImage({ dpi: 100, seed: 3 });
    const tiff = makeMultiPageTiff([page, page, page]);
    const r = await ocr.readImage(tiff, { maxPages: 2 });
    expect(r.pageCount).toBe(3);
    expect(r.pages.map((p) => p.page)).toEqual([1, 2]);
    expect(r.unread).toEqual([{ page: 3, reason: expect.stringContaining('OCR页数上限（2页）') as string }]);
    expect(normalizeOcrText(r.pages[0]!.record.text)).toContain(SEALED_REQUEST.number);
    // the same frame twice is one page image: the second is served from the cache
    expect(r.pages[1]!.cached).toBe(true);
  });
});
