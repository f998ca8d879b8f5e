import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

type TMatrix = [number, number, number, number, number, number];
const IDENTITY: TMatrix = [1, 0, 0, 1, 0, 0];

const IMAGE_OPS = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject]);

/**
 * Share of each page's area covered by its largest image, read from the page's
 * operator list (where the image is drawn and how big), without asking for the
 * pixels: pdf-parse's getImage() converts every image to RGBA and PNG, which
 * for a 50 MB scan means hundreds of MB. pdf.js still decodes one page's images
 * while building its operator list; page.cleanup() drops them before the next page.
 */
export async function measureImageCoverage(doc: PDFDocumentProxy, pageNumbers: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const num of pageNumbers) {
    const page = await doc.getPage(num);
    try {
      const ops = await page.getOperatorList();
      out.set(num, largestImageShare(ops.fnArray, ops.argsArray, page.view));
    } finally {
      page.cleanup();
    }
  }
  return out;
}

/** Walks the operators, keeping the current transformation matrix, and measures each drawn image. */
export function largestImageShare(fnArray: number[], argsArray: unknown[], view: number[]): number {
  const [vx1 = 0, vy1 = 0, vx2 = 0, vy2 = 0] = view;
  const pageArea = Math.abs((vx2 - vx1) * (vy2 - vy1));
  if (pageArea <= 0) return 0;
  let ctm: TMatrix = IDENTITY;
  const stack: TMatrix[] = [];
  let best = 0;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? IDENTITY;
    else if (fn === OPS.transform && args) ctm = multiply(args as TMatrix, ctm);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      const m = args?.[0];
      if (Array.isArray(m) && m.length === 6) ctm = multiply(m as TMatrix, ctm);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? IDENTITY;
    else if (fn !== undefined && IMAGE_OPS.has(fn)) {
      // an image is drawn into the unit square of the current user space
      const box = unitSquareBox(ctm);
      const w = Math.max(0, Math.min(box[2], vx2) - Math.max(box[0], vx1));
      const h = Math.max(0, Math.min(box[3], vy2) - Math.max(box[1], vy1));
      best = Math.max(best, (w * h) / pageArea);
    }
  }
  return Math.min(1, best);
}

function multiply(m: TMatrix, ctm: TMatrix): TMatrix {
  const [a, b, c, d, e, f] = m;
  const [A, B, C, D, E, F] = ctm;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}

function unitSquareBox(m: TMatrix): [number, number, number, number] {
  const pts = [[0, 0], [1, 0], [0, 1], [1, 1]].map(([x = 0, y = 0]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]] as const);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
