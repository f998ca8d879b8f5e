// Guards OCR on scans and photos nobody here drew: a Chinese product photo and an EXIF-rotated
// phone photo (RapidOCR's test files), and a real scanned page as TIFF, upside down and turned a
// quarter (tesseract's test data). Expected text is the source projects' own (see the README
// beside the files). Each page is read once; the cache is not involved (every page is distinct).
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryOcrCache } from './ocr-cache.js';
import { createOcrService } from './ocr-service.js';

const DIR = new URL('../../../test/fixtures/real-world-scans/', import.meta.url);
const file = (name: string) => fs.readFileSync(new URL(name, DIR));
const ocr = createOcrService({ cache: new MemoryOcrCache(), pageTimeoutMs: 120_000 });
afterAll(() => ocr.close());

async function read(name: string) {
  const r = await ocr.readImage(file(name), { maxPages: 2 });
  expect(r.unread).toEqual([]);
  return r.pages[0]!.record;
}

const gold = file('tesseract-phototest.gold.txt').toString('utf8').split('\n').filter(Boolean);

describe('real-world scans and photos', () => {
  it('reads a Chinese photo (RapidOCR ch_en_num.jpg)', async () => {
    const rec = await read('rapidocr-ch_en_num.jpg');
    const lines = rec.text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['正品促销', '大桶装更划算']);
    expect(rec.confidence).toBeGreaterThan(0.8);
  });

  it('reads an EXIF-rotated phone photo (RapidOCR img_exif_orientation.jpg)', async () => {
    expect((await read('rapidocr-img_exif_orientation.jpg')).text).toBe('我是中国人');
  });

  it('reads a scanned TIFF page, and the same page upside down and turned a quarter', async () => {
    const upright = await read('tesseract-phototest.tif');
    expect(upright.text.split('\n').slice(0, 3)).toEqual(gold.slice(0, 3));
    const flipped = await read('tesseract-phototest-rotated-180.png');
    expect(flipped.rotation).toBe(180);
    expect(flipped.text.split('\n')[0]).toBe(gold[0]);
    const quarter = await read('tesseract-phototest-rotated-L.png');
    expect(quarter.rotation).toBe(90);
    expect(quarter.text.split('\n')[0]).toBe(gold[0]);
  });
});
