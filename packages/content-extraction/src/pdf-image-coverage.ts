import {
  decodePDFRawStream,
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  type PDFContext,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';
import { AppError } from '@intake/domain';
import { scanContentOps, type Operand } from './pdf-content-ops.js';
import { IDENTITY, multiply, placedShare, type Matrix } from './pdf-geometry.js';

/**
 * Share of each page's area covered by its largest image, found without
 * decoding a single pixel: pdf-lib reads the object structure (page boxes,
 * resources, XObject dictionaries) and the page's content stream is followed
 * for `q`/`Q`/`cm`/`Do`/`BI` only. pdf.js's operator list, used before,
 * decoded every image of a page to build it: 4.7 s and ~400 MB more for a
 * 50 MB scan.
 */

/** Form XObjects drawing forms: deeper than this is a loop or a hostile file. */
const MAX_FORM_DEPTH = 12;
/** Decoded content bytes followed per page (forms drawn repeatedly count each time). */
const MAX_PAGE_CONTENT_BYTES = 32 * 1024 * 1024;

export class PdfStructureError extends AppError {
  constructor(message: string, options?: { cause: unknown }) {
    super('PDF_STRUCTURE', { message, cause: options?.cause, permanent: true });
    this.name = 'PdfStructureError';
  }
}

/** Loads the object structure; throws PdfStructureError when pdf-lib cannot, or the streams are encrypted. */
export async function loadPdfStructure(data: Uint8Array): Promise<PDFDocument> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(data, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
      // in the extraction worker blocking is fine: pdf-lib would otherwise yield a tick every 100 objects
      parseSpeed: ParseSpeeds.Fastest,
    });
  } catch (err) {
    throw new PdfStructureError(`pdf-lib cannot read the object structure: ${(err as Error).message}`, { cause: err });
  }
  // pdf-lib does not decrypt: the content streams would be noise
  if (doc.isEncrypted)
    throw new PdfStructureError('encrypted PDF: content streams are not readable without decryption');
  return doc;
}

/** Coverage of the given 1-based pages; a page whose content cannot be followed is left out. */
export function measureImageCoverage(doc: PDFDocument, pageNumbers: number[]): Map<number, number> {
  const out = new Map<number, number>();
  const pages = doc.getPages();
  for (const num of pageNumbers) {
    const page = pages[num - 1];
    if (!page) continue;
    try {
      out.set(num, pageImageShare(page));
    } catch {
      // an undecodable content stream (unknown filter, corrupt deflate): the page stays unmeasured,
      // which classifyPdfCopy reports as "not checked" rather than guessing
    }
  }
  return out;
}

interface Walk {
  view: number[];
  best: number;
  budget: number;
  forms: Set<PDFObject>;
}

function pageImageShare(page: PDFPage): number {
  const node = page.node;
  const view = pageView(node);
  const walk: Walk = { view, best: 0, budget: MAX_PAGE_CONTENT_BYTES, forms: new Set() };
  const content = concatContents(node.context.lookup(node.get(PDFName.of('Contents'))), node.context, walk);
  followContent(content, node.Resources(), IDENTITY, walk, 0);
  return walk.best;
}

/** CropBox ∩ MediaBox, normalized, as pdf.js's `page.view`. */
function pageView(node: PDFPage['node']): number[] {
  const media = boxOf(node.context.lookup(node.getInheritableAttribute(PDFName.of('MediaBox')))) ?? [0, 0, 612, 792];
  const crop = boxOf(node.context.lookup(node.getInheritableAttribute(PDFName.of('CropBox'))));
  if (!crop) return media;
  const v = [
    Math.max(media[0]!, crop[0]!),
    Math.max(media[1]!, crop[1]!),
    Math.min(media[2]!, crop[2]!),
    Math.min(media[3]!, crop[3]!),
  ];
  return v[2]! > v[0]! && v[3]! > v[1]! ? v : media;
}

function boxOf(obj: PDFObject | undefined): number[] | null {
  const nums = numbersOf(obj, 4);
  if (!nums) return null;
  const [x1, y1, x2, y2] = nums as [number, number, number, number];
  return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
}

function numbersOf(obj: PDFObject | undefined, count: number): number[] | null {
  if (!(obj instanceof PDFArray) || obj.size() !== count) return null;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = obj.lookup(i);
    if (!(v instanceof PDFNumber)) return null;
    out.push(v.asNumber());
  }
  return out;
}

/** A page's Contents: one stream or an array of them, joined with a space (operators may span streams). */
function concatContents(obj: PDFObject | undefined, context: PDFContext, walk: Walk): Uint8Array {
  const streams = obj instanceof PDFArray ? obj.asArray().map((o) => context.lookup(o)) : [obj];
  const parts = streams.filter((s): s is PDFRawStream => s instanceof PDFRawStream).map((s) => decodeWithin(s, walk));
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0)).fill(0x20);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length + 1;
  }
  return out;
}

function decodeWithin(stream: PDFRawStream, walk: Walk): Uint8Array {
  const bytes = decodePDFRawStream(stream).decode();
  walk.budget -= bytes.length;
  if (walk.budget < 0) throw new Error('page content larger than the budget');
  return bytes;
}

function followContent(
  content: Uint8Array,
  resources: PDFDict | undefined,
  start: Matrix,
  walk: Walk,
  depth: number,
): void {
  let ctm = start;
  const stack: Matrix[] = [];
  const xobjects = resources?.lookup(PDFName.of('XObject'));
  scanContentOps(content, (op, operands) => {
    if (op === 'q') stack.push(ctm);
    else if (op === 'Q') ctm = stack.pop() ?? start;
    else if (op === 'cm') {
      const m = lastNumbers(operands, 6);
      if (m) ctm = multiply(m as Matrix, ctm);
    } else if (op === 'BI') record(walk, ctm);
    else if (op === 'Do' && xobjects instanceof PDFDict) {
      const name = operands[operands.length - 1];
      if (name && typeof name === 'object') drawXObject(xobjects, name.name, resources, ctm, walk, depth);
    }
  });
}

function drawXObject(
  xobjects: PDFDict,
  name: string,
  resources: PDFDict | undefined,
  ctm: Matrix,
  walk: Walk,
  depth: number,
): void {
  const ref = xobjects.get(PDFName.of(name));
  const xobj = xobjects.context.lookup(ref);
  if (!(xobj instanceof PDFRawStream)) return;
  const subtype = xobj.dict.lookup(PDFName.of('Subtype'));
  if (subtype === PDFName.of('Image')) {
    record(walk, ctm);
    return;
  }
  if (subtype !== PDFName.of('Form') || depth >= MAX_FORM_DEPTH) return;
  const key = ref instanceof PDFRef ? ref : xobj;
  if (walk.forms.has(key)) return; // a form that draws itself
  walk.forms.add(key);
  try {
    const matrix = numbersOf(xobj.dict.lookup(PDFName.of('Matrix')), 6) as Matrix | null;
    const own = xobj.dict.lookup(PDFName.of('Resources'));
    followContent(
      decodeWithin(xobj, walk),
      own instanceof PDFDict ? own : resources,
      matrix ? multiply(matrix, ctm) : ctm,
      walk,
      depth + 1,
    );
  } finally {
    walk.forms.delete(key);
  }
}

function record(walk: Walk, ctm: Matrix): void {
  walk.best = Math.max(walk.best, placedShare(ctm, walk.view));
}

function lastNumbers(operands: Operand[], count: number): number[] | null {
  const tail = operands.slice(-count);
  return tail.length === count && tail.every((v): v is number => typeof v === 'number') ? tail : null;
}
