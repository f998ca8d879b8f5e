import { createCanvas, ImageData, loadImage, type Canvas } from '@napi-rs/canvas';
import UTIF from 'utif2';

/**
 * Pixel work before OCR, in the sandbox child: decoding (JPEG/PNG through
 * skia, TIFF frames through utif2), quarter turns, straightening a skewed
 * page, and measuring how much of it is seal red.
 */

/** Larger images are scaled down first: detection works at 1600 px, and a 48 MP photo would only cost memory. */
export const MAX_SIDE = 3200;
/** A TIFF frame above this many pixels is refused before it is decoded (a decompression bomb). */
export const MAX_FRAME_PIXELS = 80_000_000;

export async function decodeImage(bytes: Uint8Array): Promise<Canvas> {
  const img = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (img.width === 0 || img.height === 0) throw new Error('图像无法解码 (image has no pixels)');
  const scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
  const c = createCanvas(Math.round(img.width * scale), Math.round(img.height * scale));
  c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
  // the width the file itself has: when it equals the canvas's, the file's bytes show the same image
  return Object.assign(c, { sourceWidth: img.width });
}

export function isTiff(b: Uint8Array): boolean {
  return (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a);
}

/** The page frames of a TIFF (sub-images such as thumbnails left out), decoded lazily. */
export function tiffFrames(bytes: Uint8Array): { count: number; frame: (i: number) => Canvas } {
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const ifds = UTIF.decode(buf).filter((ifd) => Array.isArray(ifd.t256) && Array.isArray(ifd.t257));
  return {
    count: ifds.length,
    frame: (i) => {
      const ifd = ifds[i];
      if (!ifd) throw new Error(`TIFF has no frame ${i + 1}`);
      const w = Number((ifd.t256 as number[])[0]),
        h = Number((ifd.t257 as number[])[0]);
      if (!(w > 0 && h > 0) || w * h > MAX_FRAME_PIXELS)
        throw new Error(`TIFF第${i + 1}页尺寸异常（${w}×${h}），未读取 (frame too large)`);
      UTIF.decodeImage(buf, ifd);
      const rgba = UTIF.toRGBA8(ifd);
      const c = createCanvas(w, h);
      c.getContext('2d').putImageData(
        new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, w * h * 4), w, h),
        0,
        0,
      );
      return c;
    },
  };
}

/** A copy whose longer side is at most `maxSide` (the original when it already fits). */
export function scaleDown(src: Canvas, maxSide: number): Canvas {
  const scale = Math.min(1, maxSide / Math.max(src.width, src.height));
  if (scale === 1) return src;
  const c = createCanvas(Math.round(src.width * scale), Math.round(src.height * scale));
  c.getContext('2d').drawImage(src, 0, 0, c.width, c.height);
  return c;
}

/** Turned clockwise by a quarter-turn multiple. */
export function rotateQuarter(src: Canvas, degrees: 0 | 90 | 180 | 270): Canvas {
  if (degrees === 0) return src;
  const swap = degrees !== 180;
  const c = createCanvas(swap ? src.height : src.width, swap ? src.width : src.height);
  const ctx = c.getContext('2d');
  ctx.translate(c.width / 2, c.height / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.drawImage(src, -src.width / 2, -src.height / 2);
  return c;
}

/** Rotated by a small angle around the centre (positive = clockwise), the corners filled white. */
export function rotateSmall(src: Canvas, degrees: number): Canvas {
  if (Math.abs(degrees) < 0.05) return src;
  const c = createCanvas(src.width, src.height);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.translate(c.width / 2, c.height / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.drawImage(src, -src.width / 2, -src.height / 2);
  return c;
}

/** Fewer dark pixels than this on the small copy: a blank page (nothing to straighten or turn). */
export const MIN_INK_POINTS = 400;

/** Whether the page carries enough ink to be worth turning when it does not read. */
export function hasInk(src: Canvas): boolean {
  return darkPoints(src, 600).n >= MIN_INK_POINTS;
}

/** Dark pixels of a small copy of the page: the input of the skew estimate. */
function darkPoints(src: Canvas, maxSide = 900): { xs: Float64Array; ys: Float64Array; n: number; h: number } {
  const scale = Math.min(1, maxSide / Math.max(src.width, src.height));
  const w = Math.max(1, Math.round(src.width * scale)),
    h = Math.max(1, Math.round(src.height * scale));
  const small = createCanvas(w, h);
  small.getContext('2d').drawImage(src, 0, 0, w, h);
  const px = small.getContext('2d').getImageData(0, 0, w, h).data;
  const xs: number[] = [],
    ys: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      // luminance below 110: ink, rules and dark seal strokes, not paper or lighting
      if (px[i]! * 0.299 + px[i + 1]! * 0.587 + px[i + 2]! * 0.114 < 110) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys), n: xs.length, h };
}

/** How sharply the dark pixels fall into rows when the page is tilted back by `deg`: sum of squared row counts. */
function profileScore(pts: ReturnType<typeof darkPoints>, deg: number): number {
  const t = Math.tan((deg * Math.PI) / 180);
  const pad = Math.ceil(pts.h * 0.2) + 2;
  const bins = new Float64Array(pts.h + pad * 2);
  for (let i = 0; i < pts.n; i++) {
    const b = Math.round(pts.ys[i]! - pts.xs[i]! * t) + pad;
    if (b >= 0 && b < bins.length) bins[b]! += 1;
  }
  let s = 0;
  for (const v of bins) s += v * v;
  return s;
}

/**
 * The tilt of the text lines in degrees (positive: lines fall to the right),
 * by the projection-profile method: the angle at which dark pixels pile up
 * into the sharpest rows. Searches ±6°, then refines to 0.1°.
 */
export function estimateSkew(src: Canvas): number {
  const pts = darkPoints(src);
  if (pts.n < MIN_INK_POINTS) return 0;
  let best = 0,
    bestScore = -1;
  for (let d = -6; d <= 6.001; d += 0.5) {
    const s = profileScore(pts, d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  const coarse = best;
  for (let d = coarse - 0.5; d <= coarse + 0.501; d += 0.1) {
    const s = profileScore(pts, d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  return Math.round(best * 10) / 10;
}

/**
 * Share of strongly red pixels (seals, 红头): a hint for the documents engineer's `sealed`.
 * `fromTop` (0–1) leaves out the top of the page, where the red header is: below it, red is a seal.
 */
export function redShare(src: Canvas, fromTop = 0): number {
  const scale = Math.min(1, 600 / Math.max(src.width, src.height));
  const w = Math.max(1, Math.round(src.width * scale));
  const h = Math.max(1, Math.round(src.height * scale));
  const small = createCanvas(w, h);
  small.getContext('2d').drawImage(src, 0, 0, w, h);
  const top = Math.min(h - 1, Math.floor(h * fromTop));
  const px = small.getContext('2d').getImageData(0, top, w, h - top).data;
  let red = 0;
  for (let i = 0; i < px.length; i += 4) {
    const r = px[i]!,
      g = px[i + 1]!,
      b = px[i + 2]!;
    if (r > 140 && r - g > 70 && r - b > 60) red++;
  }
  return Math.round((red / (w * (h - top))) * 10_000) / 10_000;
}

export function encodePng(c: Canvas): Buffer {
  return c.toBuffer('image/png');
}
