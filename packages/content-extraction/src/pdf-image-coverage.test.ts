// Guards the pixel-free image measurement behind scan detection: placements
// through cm/q/Q, form XObjects (with their /Matrix), inline images, and
// operator-looking text inside strings that must not count.
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { scanContentOps } from './pdf-content-ops.js';
import { loadPdfStructure, measureImageCoverage } from './pdf-image-coverage.js';

function png(): Buffer {
  const img = new PNG({ width: 40, height: 56 });
  img.data.fill(180);
  return PNG.sync.write(img);
}

async function coverage(bytes: Uint8Array): Promise<number[]> {
  const doc = await loadPdfStructure(bytes);
  const pages = Array.from({ length: doc.getPageCount() }, (_, i) => i + 1);
  const m = measureImageCoverage(doc, pages);
  return pages.map((p) => Math.round((m.get(p) ?? -1) * 1000) / 1000);
}

describe('measureImageCoverage', () => {
  it('measures images drawn directly and through a scaled form XObject', async () => {
    const src = await PDFDocument.create();
    const img = await src.embedPng(png());
    const full = src.addPage([600, 800]);
    full.drawImage(img, { x: 0, y: 0, width: 600, height: 800 });
    const logo = src.addPage([600, 800]);
    logo.drawImage(img, { x: 20, y: 700, width: 60, height: 80 });
    src.addPage([600, 800]).drawText('no images here');
    const srcBytes = await src.save();

    const doc = await PDFDocument.create();
    const [embedded] = await doc.embedPdf(srcBytes, [0]);
    // the whole scanned page, drawn as a form at half size: a quarter of the page
    doc.addPage([600, 800]).drawPage(embedded!, { x: 0, y: 0, xScale: 0.5, yScale: 0.5 });
    doc.addPage([600, 800]).drawPage(embedded!, { x: 0, y: 0 });
    expect(await coverage(srcBytes)).toEqual([1, 0.01, 0]);
    expect(await coverage(await doc.save())).toEqual([0.25, 1]);
  });

  it('intersects with the crop box and clips images drawn partly off the page', async () => {
    const doc = await PDFDocument.create();
    const img = await doc.embedPng(png());
    const page = doc.addPage([600, 800]);
    page.drawImage(img, { x: 300, y: 0, width: 600, height: 800 });
    const cropped = doc.addPage([600, 800]);
    cropped.setCropBox(0, 0, 300, 400);
    cropped.drawImage(img, { x: 0, y: 0, width: 300, height: 400 });
    expect(await coverage(await doc.save())).toEqual([0.5, 1]);
  });
});

describe('scanContentOps', () => {
  const ops = (text: string): Array<[string, unknown[]]> => {
    const out: Array<[string, unknown[]]> = [];
    scanContentOps(Buffer.from(text, 'latin1'), (op, operands) => out.push([op, [...operands]]));
    return out;
  };

  it('reports operators with number and name operands, skipping strings, arrays and dictionaries', () => {
    const got = ops(
      'q 2 0 0 2 -1.5 .5 cm /Im#201 Do (a (nested) string with Do and cm \\) ) Tj [(x) 3 (y)] TJ /P <</MCID 0>> BDC <414243> Tj Q % a comment cm\nQ',
    );
    expect(got).toEqual([
      ['q', []],
      ['cm', [2, 0, 0, 2, -1.5, 0.5]],
      ['Do', [{ name: 'Im#201' }]],
      ['Tj', [null]],
      ['TJ', [null]],
      ['BDC', [{ name: 'P' }, null]],
      ['Tj', [null]],
      ['Q', []],
      ['Q', []],
    ]);
  });

  it('skips inline image data, even when it holds operator bytes', () => {
    const data = Buffer.concat([
      Buffer.from('q 100 0 0 50 0 0 cm BI /W 2 /H 2 /BPC 8 /CS /G ID '),
      Buffer.from([0x51, 0x20, 0x45, 0x49, 0x41]),
      Buffer.from('\nEI Q 1 0 0 1 5 5 cm'),
    ]);
    const got: string[] = [];
    scanContentOps(data, (op) => got.push(op));
    expect(got).toEqual(['q', 'cm', 'BI', 'Q', 'cm']);
  });
});
