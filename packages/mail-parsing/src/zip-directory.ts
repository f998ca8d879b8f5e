/**
 * The central directory of a zip, read the way Info-ZIP's unzip reads it
 * rather than the way strict libraries do: senders' zips that every desktop
 * tool opens carry bytes appended after the end record (mail gateways,
 * signatures), bytes prepended before the first entry (self-extractors, a
 * zip64 written after a header), or a directory size that is wrong. The
 * records are found by their signatures and every offset is corrected by
 * the distance the whole archive was shifted; an entry whose own record is
 * bad is marked, never the whole archive.
 */

export const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const END_SIZE = 22;
const CENTRAL_SIZE = 46;

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

/** One central-directory record, names still raw bytes. */
export interface RawZipEntry {
  index: number;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** offset of the local header as recorded, before the shift correction */
  localHeaderOffset: number;
  rawName: Buffer;
  /** extra fields by header id; an id may occur more than once */
  extra: Map<number, Buffer[]>;
}

export interface RawZipDirectory {
  entries: RawZipEntry[];
  /** how far the archive sits from where its offsets say (prepended bytes: > 0) */
  shift: number;
  notes: string[];
}

interface EndRecord {
  at: number;
  cdSize: number;
  cdOffset: number;
  /** where the central directory must end: the zip64 end record, else the end record */
  cdEnd: number;
}

/** Extra fields by header id, every occurrence in order. */
export function parseExtraFields(buf: Buffer): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>();
  for (let p = 0; p + 4 <= buf.length;) {
    const id = buf.readUInt16LE(p);
    const len = buf.readUInt16LE(p + 2);
    if (p + 4 + len > buf.length) break;
    const field = buf.subarray(p + 4, p + 4 + len);
    const list = out.get(id);
    if (list) list.push(field);
    else out.set(id, [field]);
    p += 4 + len;
  }
  return out;
}

/** The zip64 end record for the end record at `at`, located by signature (its recorded offset may be shifted). */
function readZip64End(data: Buffer, at: number): Omit<EndRecord, 'at'> | null {
  const locator = at - 20;
  if (locator < 0 || data.readUInt32LE(locator) !== SIG_LOCATOR64) return null;
  const recorded = Number(data.readBigUInt64LE(locator + 8));
  let rec = recorded + 56 <= locator && data.readUInt32LE(recorded) === SIG_END64 ? recorded : -1;
  if (rec < 0) rec = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]), locator - 56);
  if (rec < 0 || rec + 56 > locator) return null;
  return {
    cdSize: Number(data.readBigUInt64LE(rec + 40)),
    cdOffset: Number(data.readBigUInt64LE(rec + 48)),
    cdEnd: rec,
  };
}

/** End records from the last one backwards: bytes appended after the real one may contain a stray "PK\5\6". */
function* endRecordCandidates(data: Buffer): Generator<EndRecord> {
  const sig = Buffer.alloc(4);
  sig.writeUInt32LE(SIG_END);
  for (let at = data.lastIndexOf(sig); at >= 0; at = at > 0 ? data.lastIndexOf(sig, at - 1) : -1) {
    if (at + END_SIZE > data.length) continue;
    const z64 = readZip64End(data, at);
    if (z64) yield { at, ...z64 };
    yield { at, cdSize: data.readUInt32LE(at + 12), cdOffset: data.readUInt32LE(at + 16), cdEnd: at };
  }
}

/** Where the central directory starts, and the shift of the whole archive. */
function locateCentralDirectory(data: Buffer, end: EndRecord): { start: number; shift: number } | null {
  const isCentral = (p: number): boolean => p >= 0 && p + 4 <= end.cdEnd && data.readUInt32LE(p) === SIG_CENTRAL;
  // as Go's archive/zip: the recorded offset first (a wrong directory size must not
  // shift a sound archive), then the directory's end minus its size (bytes prepended)
  if (isCentral(end.cdOffset)) return { start: end.cdOffset, shift: 0 };
  const bySize = end.cdEnd - end.cdSize;
  if (isCentral(bySize)) return { start: bySize, shift: bySize - end.cdOffset };
  // an empty archive has no directory at all
  if (end.cdSize === 0) return { start: end.cdEnd, shift: 0 };
  return null;
}

function readCentralRecord(data: Buffer, p: number, index: number): { entry: RawZipEntry; next: number } | null {
  if (p + CENTRAL_SIZE > data.length || data.readUInt32LE(p) !== SIG_CENTRAL) return null;
  const nameLen = data.readUInt16LE(p + 28);
  const extraLen = data.readUInt16LE(p + 30);
  const commentLen = data.readUInt16LE(p + 32);
  const next = p + CENTRAL_SIZE + nameLen + extraLen + commentLen;
  if (next > data.length) return null;
  const extra = parseExtraFields(data.subarray(p + CENTRAL_SIZE + nameLen, p + CENTRAL_SIZE + nameLen + extraLen));
  const entry: RawZipEntry = {
    index,
    flags: data.readUInt16LE(p + 8),
    method: data.readUInt16LE(p + 10),
    crc32: data.readUInt32LE(p + 16),
    compressedSize: data.readUInt32LE(p + 20),
    uncompressedSize: data.readUInt32LE(p + 24),
    localHeaderOffset: data.readUInt32LE(p + 42),
    rawName: Buffer.from(data.subarray(p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLen)),
    extra,
  };
  applyZip64Extra(entry);
  return { entry, next };
}

/** Sizes and offset recorded as 0xFFFFFFFF live in the zip64 extra field, in this order. */
function applyZip64Extra(e: RawZipEntry): void {
  const z = e.extra.get(0x0001)?.[0];
  if (!z) return;
  let p = 0;
  const take = (current: number): number => {
    if (current !== 0xffffffff || p + 8 > z.length) return current;
    const v = Number(z.readBigUInt64LE(p));
    p += 8;
    return v;
  };
  e.uncompressedSize = take(e.uncompressedSize);
  e.compressedSize = take(e.compressedSize);
  e.localHeaderOffset = take(e.localHeaderOffset);
}

function readEntries(data: Buffer, start: number, end: number, maxEntries: number): RawZipEntry[] | number {
  const entries: RawZipEntry[] = [];
  let count = 0;
  for (let p = start; p < end;) {
    const rec = readCentralRecord(data, p, count);
    if (!rec) break;
    count++;
    if (count <= maxEntries) entries.push(rec.entry);
    p = rec.next;
  }
  return count > maxEntries ? count : entries;
}

export type RawZipListing = RawZipDirectory | { tooMany: number };

/**
 * The archive's central directory. Throws ZipFormatError when no end record
 * leads to a directory. More than `maxEntries` entries: only their count.
 */
export function readZipDirectory(data: Buffer, maxEntries: number): RawZipListing {
  if (data.length < END_SIZE) throw new ZipFormatError('too short to be a zip');
  for (const end of endRecordCandidates(data)) {
    const cd = locateCentralDirectory(data, end);
    if (!cd) continue;
    const notes: string[] = [];
    if (end.at + END_SIZE + data.readUInt16LE(end.at + 20) < data.length)
      notes.push('压缩包末尾有多余数据，已忽略 (bytes after the end of the zip ignored)');
    if (cd.shift > 0)
      notes.push(`压缩包前有 ${cd.shift} 字节多余数据，已按偏移读取 (${cd.shift} bytes before the zip)`);
    const entries = readEntries(data, cd.start, end.cdEnd, maxEntries);
    if (typeof entries === 'number') return { tooMany: entries };
    return { entries, shift: cd.shift, notes };
  }
  throw new ZipFormatError('end of central directory record not found');
}
