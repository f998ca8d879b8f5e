import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { decodeUnknownBytes } from './charset.js';

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
  entry: yauzl.Entry;
}

const UTF8_FLAG = 0x800;
const INFOZIP_UNICODE_PATH = 0x7075;

export function decodeZipEntryName(raw: Buffer, flags: number, extraFields: yauzl.ExtraField[]): string {
  if (flags & UTF8_FLAG) return raw.toString('utf8');
  const unicode = extraFields.find((f) => f.id === INFOZIP_UNICODE_PATH);
  // version byte 1, then CRC-32 of the raw name, then the UTF-8 name
  if (unicode && unicode.data.length > 5 && unicode.data[0] === 1) return unicode.data.subarray(5).toString('utf8');
  const text = decodeUnknownBytes(raw);
  // CP437 (the zip spec's default) only when nothing else decodes cleanly
  return text.includes('\uFFFD') ? iconv.decode(raw, 'cp437') : text;
}

export async function openZip(data: Buffer): Promise<yauzl.ZipFile> {
  return yauzl.fromBufferPromise(data, {
    lazyEntries: true,
    decodeStrings: false,
    validateEntrySizes: true,
    strictFileNames: false,
    autoClose: false,
  });
}

/** Every entry of an open zip; the caller has checked `zip.entryCount` against its limit. */
export async function listZipEntries(zip: yauzl.ZipFile): Promise<ZipEntryInfo[]> {
  const out: ZipEntryInfo[] = [];
  for await (const entry of zip.eachEntry()) {
    const raw = (entry as unknown as { fileNameRaw?: Buffer }).fileNameRaw ?? (entry.fileName as unknown as Buffer);
    const name = decodeZipEntryName(Buffer.from(raw), entry.generalPurposeBitFlag, entry.extraFields);
    out.push({
      name,
      isDirectory: /[/\\]$/.test(name),
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      encrypted: entry.isEncrypted(),
      entry,
    });
  }
  return out;
}

export type ZipListing = { entries: ZipEntryInfo[]; entryCount: number; error?: undefined } | { error: string };

/**
 * Lists a zip's entries (for telling xlsx/docx/zip apart). A zip with more
 * than `maxEntries` entries comes back with its count and no entries.
 */
export async function tryListZip(data: Buffer, maxEntries: number): Promise<ZipListing> {
  let zip: yauzl.ZipFile | null = null;
  try {
    zip = await openZip(data);
    if (zip.entryCount > maxEntries) return { entries: [], entryCount: zip.entryCount };
    return { entries: await listZipEntries(zip), entryCount: zip.entryCount };
  } catch (err) {
    return { error: `corrupt zip container: ${(err as Error).message}` };
  } finally {
    zip?.close();
  }
}
