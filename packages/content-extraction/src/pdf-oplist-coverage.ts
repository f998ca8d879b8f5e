import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { OPS } from './pdfjs.js';
import { IDENTITY, multiply, placedShare, type Matrix } from './pdf-geometry.js';

const IMAGE_OPS = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject]);

/**
 * The fallback way to measure image coverage, for PDFs whose objects pdf-lib
 * cannot read (encrypted content streams, broken page trees): pdf.js's
 * operator list. It decodes every image of the page while building the list,
 * which is why it is used only on small files; page.cleanup() drops them
 * before the next page.
 */
export async function measureCoverageByOperators(
  doc: PDFDocumentProxy,
  pageNumbers: number[],
): Promise<Map<number, number>> {
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
  let ctm: Matrix = IDENTITY;
  const stack: Matrix[] = [];
  let best = 0;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? IDENTITY;
    else if (fn === OPS.transform && args) ctm = multiply(args as Matrix, ctm);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      const m = args?.[0];
      if (Array.isArray(m) && m.length === 6) ctm = multiply(m as Matrix, ctm);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? IDENTITY;
    else if (fn !== undefined && IMAGE_OPS.has(fn)) best = Math.max(best, placedShare(ctm, view));
  }
  return best;
}
