import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { decodeUnknownBytes } from './charset.js';
import { readZipDirectory, type RawZipEntry } from './zip-directory.js';

/**
 * Zip central-directory listing with names decoded the way Chinese archivers
 * write them: WinRAR/360压缩/Windows' own "send to zip" store GBK names
 * without the UTF-8 flag, which every zip library turns into garbage.
 */

export interface ZipEntryInfo {
  /** decoded, not yet neutralised */
  name: string;
  isDirectory: boolean;
  compressedSize: number;
  uncompressedSize: number;
  encrypted: boolean;
  /** set when the name was taken from somewhere other than the plain name field */
  nameNote?: string;
  raw: RawZipEntry;
}

const UTF8_FLAG = 0x800;
const INFOZIP_UNICODE_PATH = 0x7075;

/**
 * Info-ZIP's Unicode Path field (version 1, CRC-32 of the raw name, UTF-8
 * name): the first occurrence whose CRC matches. A stale field (the name was
 * edited by a tool that kept the old field) names another file.
 */
function unicodePathName(raw: Buffer, extra: ReadonlyMap<number, Buffer[]>): string | null {
  const crc = zlib.crc32(raw) >>> 0;
  for (const field of extra.get(INFOZIP_UNICODE_PATH) ?? []) {
    if (field.length > 5 && field[0] === 1 && field.readUInt32LE(1) === crc) return field.subarray(5).toString('utf8');
  }
  return null;
}

export function decodeZipEntryName(raw: Buffer, flags: number, extra: ReadonlyMap<number, Buffer[]>): string {
  // the Unicode Path field wins even under the UTF-8 flag: some tools flag a name
  // they wrote in another encoding (or as control bytes) and put the real one there
  const unicode = unicodePathName(raw, extra);
  if (unicode !== null) return unicode;
  const text = decodeUnknownBytes(raw);
  if (flags & UTF8_FLAG) return text;
  // CP437 (the zip spec's default) only when nothing else decodes cleanly
  return text.includes('\uFFFD') ? iconv.decode(raw, 'cp437') : text;
}

function entryInfo(e: RawZipEntry): ZipEntryInfo {
  const name = decodeZipEntryName(e.rawName, e.flags, e.extra);
  const plain = e.flags & UTF8_FLAG ? e.rawName.toString('utf8') : null;
  const info: ZipEntryInfo = {
    name,
    isDirectory: /[/\\]$/.test(name),
    compressedSize: e.compressedSize,
    uncompressedSize: e.uncompressedSize,
    encrypted: (e.flags & 0x1) !== 0,
    raw: e,
  };
  if (e.extra.has(INFOZIP_UNICODE_PATH) && name !== plain && unicodePathName(e.rawName, e.extra) === name) {
    info.nameNote = `条目名取自 Unicode 路径扩展字段："${name}" (name from the Info-ZIP Unicode Path field)`;
  }
  return info;
}

export type ZipListing =
  | { entries: ZipEntryInfo[]; entryCount: number; shift: number; notes: string[]; error?: undefined }
  | { error: string };

/**
 * Lists a zip's entries. A zip with more than `maxEntries` entries comes back
 * with its count and no entries; an unreadable directory with `error`.
 */
export function listZip(data: Buffer, maxEntries: number): ZipListing {
  try {
    const dir = readZipDirectory(data, maxEntries);
    if ('tooMany' in dir) return { entries: [], entryCount: dir.tooMany, shift: 0, notes: [] };
    return { entries: dir.entries.map(entryInfo), entryCount: dir.entries.length, shift: dir.shift, notes: dir.notes };
  } catch (err) {
    return { error: `corrupt zip container: ${(err as Error).message}` };
  }
}

/** The listing, for telling xlsx/docx/zip apart (kept async for its callers). */
export function tryListZip(data: Buffer, maxEntries: number): Promise<ZipListing> {
  return Promise.resolve(listZip(data, maxEntries));
}
