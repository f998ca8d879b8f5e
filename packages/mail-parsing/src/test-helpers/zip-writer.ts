import zlib from 'node:zlib';
import { assembleZip, crc32 } from '@intake/fixture-generator';

/**
 * Zips with exactly the name bytes and flags a test gives (GBK names without
 * the UTF-8 flag, stored entries): the fixture generator's writer, fed raw
 * name bytes.
 */
export interface ZipInput {
  name: string | Buffer;
  data: Buffer;
  /** set general-purpose bit 11 (name is UTF-8) */
  utf8Flag?: boolean;
  /** store instead of deflate */
  store?: boolean;
}

export function buildZip(entries: ZipInput[]): Buffer {
  return assembleZip(
    entries.map((e) => ({
      nameBytes: typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name,
      utf8Flag: e.utf8Flag ?? false,
      method: e.store ? 0 : 8,
      crc: crc32(e.data),
      compressed: e.store ? e.data : zlib.deflateRawSync(e.data),
      uncompressedSize: e.data.length,
    })),
  );
}
