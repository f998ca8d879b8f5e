import zlib from 'node:zlib';
import { SIG_LOCAL, type RawZipEntry } from './zip-directory.js';

/**
 * One entry's bytes. Inflation stops at `cap` real output bytes, whatever
 * the directory declares (zlib's maxOutputLength), and the CRC decides
 * whether the bytes are the entry's: a wrong size in the directory is then
 * harmless, a damaged entry fails alone.
 */

export class ZipEntryError extends Error {
  override name = 'ZipEntryError';
  constructor(
    message: string,
    /** the entry inflated past the cap (a bomb), as opposed to being damaged */
    readonly overCap = false,
  ) {
    super(message);
  }
}

const METHOD_NAMES: Record<number, string> = {
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  98: 'PPMd',
  99: 'AES',
};

/** Start of the entry's data: after its local header, found at the recorded offset plus the archive's shift. */
function dataStart(data: Buffer, e: RawZipEntry, shift: number): number {
  for (const at of [e.localHeaderOffset + shift, e.localHeaderOffset]) {
    if (at >= 0 && at + 30 <= data.length && data.readUInt32LE(at) === SIG_LOCAL) {
      return at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
    }
  }
  throw new ZipEntryError('local header not found where the directory says');
}

function inflate(packed: Buffer, cap: number): Buffer {
  try {
    return zlib.inflateRawSync(packed, { maxOutputLength: cap + 1 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new ZipEntryError(`inflates beyond ${cap} bytes`, true);
    }
    throw new ZipEntryError(`deflate data damaged (${(err as Error).message})`);
  }
}

/** The entry's bytes, at most `cap` of them; throws ZipEntryError saying why not. */
export function readZipEntryData(data: Buffer, e: RawZipEntry, shift: number, cap: number): Buffer {
  if (e.flags & 0x1) throw new ZipEntryError('encrypted');
  if (e.method !== 0 && e.method !== 8) {
    throw new ZipEntryError(`unsupported compression method ${METHOD_NAMES[e.method] ?? e.method}`);
  }
  const start = dataStart(data, e, shift);
  const end = start + e.compressedSize;
  if (end > data.length) throw new ZipEntryError('entry data runs past the end of the archive');
  const packed = data.subarray(start, end);
  const out = e.method === 0 ? Buffer.from(packed) : inflate(packed, cap);
  if (out.length > cap) throw new ZipEntryError(`inflates beyond ${cap} bytes`, true);
  if (zlib.crc32(out) >>> 0 !== e.crc32 >>> 0) throw new ZipEntryError('CRC mismatch: entry damaged');
  return out;
}
