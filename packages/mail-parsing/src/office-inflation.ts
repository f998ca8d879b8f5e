import zlib from 'node:zlib';
import { readZipDirectory, SIG_LOCAL, type RawZipEntry } from './zip-directory.js';

/**
 * How many bytes an .xlsx/.docx really inflates to, counted while inflating
 * (the zip's own size fields are the sender's word: a 230 KB xlsx that claims
 * 2 KB once made exceljs spool 64 MiB). The output is counted and dropped
 * chunk by chunk, so measuring costs a chunk of memory, never the file's
 * inflated size; inflation stops as soon as the cap is passed. Run in the
 * extraction thread before exceljs or mammoth see the file.
 */

export interface OfficeInflationLimits {
  /** real inflated bytes one file may have, all entries together */
  maxUnpackedBytes: number;
  /** real inflated ÷ file size above which the file is a bomb (once past `bombMinBytes`) */
  maxCompressionRatio: number;
  bombMinBytes: number;
  maxEntries: number;
}

export interface OfficeInflation {
  /** real bytes counted (up to just past the cap when it was passed) */
  unpackedBytes: number;
  /** why the file is not read, or null */
  refusal: string | null;
}

const MB = (n: number): string =>
  n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

function dataRange(data: Buffer, e: RawZipEntry, shift: number): { start: number; end: number } | null {
  for (const at of [e.localHeaderOffset + shift, e.localHeaderOffset]) {
    if (at >= 0 && at + 30 <= data.length && data.readUInt32LE(at) === SIG_LOCAL) {
      const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
      return { start, end: Math.min(data.length, start + e.compressedSize) };
    }
  }
  return null;
}

/** Up to this much output is inflated in one native call (and dropped at once); more is streamed. */
const SYNC_INFLATE_MAX = 16 * 1024 * 1024;

/** Real inflated size of one deflated entry, counted up to just past `budget`. */
function countInflated(packed: Buffer, budget: number): Promise<number> {
  if (budget > SYNC_INFLATE_MAX) return countInflatedStreaming(packed, budget);
  try {
    return Promise.resolve(zlib.inflateRawSync(packed, { maxOutputLength: Math.max(1, budget + 1) }).length);
  } catch (err) {
    // past the budget: that is all the caller needs to know; damaged data: the reader will say why
    const over = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
    return Promise.resolve(over ? budget + 1 : 0);
  }
}

/** Inflates `packed` in chunks, counting output; resolves with the count, stopping once it passes `budget`. */
function countInflatedStreaming(packed: Buffer, budget: number): Promise<number> {
  return new Promise((resolve) => {
    let count = 0;
    let done = false;
    const inflate = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
    const finish = () => {
      if (done) return;
      done = true;
      resolve(count);
    };
    inflate.on('data', (chunk: Buffer) => {
      count += chunk.length;
      if (count > budget) {
        finish();
        inflate.destroy();
      }
    });
    inflate.on('end', finish);
    inflate.on('close', finish);
    // damaged deflate data: what was inflated so far is what a reader would get; the reader says why it fails
    inflate.on('error', finish);
    inflate.end(packed);
  });
}

/** The real inflated size of a zip-based Office file, and whether it is over the limits. */
export async function measureOfficeInflation(data: Buffer, limits: OfficeInflationLimits): Promise<OfficeInflation> {
  let dir;
  try {
    dir = readZipDirectory(data, limits.maxEntries);
  } catch {
    // not a zip we can list: the reader itself will say why it cannot open it
    return { unpackedBytes: 0, refusal: null };
  }
  if ('tooMany' in dir) {
    return { unpackedBytes: 0, refusal: `文件内条目过多（${dir.tooMany} 个），未读取 (too many zip entries)` };
  }
  const ratioCap = data.length * limits.maxCompressionRatio;
  const cap = Math.min(limits.maxUnpackedBytes, Math.max(ratioCap, limits.bombMinBytes));
  let total = 0;
  for (const e of dir.entries) {
    const range = dataRange(data, e, dir.shift);
    if (!range) continue;
    const packed = data.subarray(range.start, range.end);
    total += e.method === 0 ? packed.length : e.method === 8 ? await countInflated(packed, cap - total) : 0;
    if (total > cap) break;
  }
  if (total <= cap) return { unpackedBytes: total, refusal: null };
  const byRatio = cap < limits.maxUnpackedBytes;
  return {
    unpackedBytes: total,
    refusal: byRatio
      ? `疑似压缩炸弹：${MB(data.length)} 的文件实际解压超过 ${MB(cap)}（压缩比超过 ${limits.maxCompressionRatio}），未读取 (office file inflates past ${limits.maxCompressionRatio}× its size, whatever its zip directory declares)`
      : `文件解压后超过 ${MB(limits.maxUnpackedBytes)}，未读取 (office file inflates past the ${MB(limits.maxUnpackedBytes)} cap)`,
  };
}
