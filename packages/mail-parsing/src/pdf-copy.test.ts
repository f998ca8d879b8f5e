// Guards: scanned PDFs reported as electronic (or the reverse), which decides MISSING_SCAN.
import { loadCampaignProfile } from '@intake/domain';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createParser } from './parser.js';
import { BASE_HEADERS, filePart, rawMessage, textPart } from './test-helpers/mime-builder.js';

const parser = createParser({ size: 1 });
afterAll(() => parser.close());

async function pdf(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 36 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  draw(doc);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

function scanPng(): Buffer {
  const png = new PNG({ width: 300, height: 420 });
  for (let i = 0; i < png.data.length; i += 4) {
    const v = (i / 4) % 7 === 0 ? 40 : 235;
    png.data[i] = v;
    png.data[i + 1] = v;
    png.data[i + 2] = v;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

describe('PDF copy type', () => {
  it('calls a text PDF electronic and an image-only PDF a scan', async () => {
    const text = await pdf((d) =>
      d
        .fontSize(14)
        .text(
          'Cluster application materials. Total output of the cluster in 2019 was reported in the attached tables.',
        ),
    );
    const scan = await pdf((d) => d.image(scanPng(), 0, 0, { width: 595, height: 842 }));
    const raw = rawMessage(
      [...BASE_HEADERS, 'Subject: pdf'],
      [
        textPart('x'),
        filePart(text, 'application/pdf', 'filename="materials.pdf"'),
        filePart(scan, 'application/pdf', 'filename="formal.pdf"'),
      ],
    );
    const m = await parser.parse(raw, { profile: loadCampaignProfile() });
    const [a, b] = m.attachments;
    expect(a).toMatchObject({ kind: 'pdf', copy: 'electronic', pages: 1 });
    expect(b).toMatchObject({ kind: 'pdf', copy: 'scan', pages: 1 });
    expect(m.flags).toEqual([]);
  });
});
