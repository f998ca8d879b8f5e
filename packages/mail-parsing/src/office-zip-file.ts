import { readZipDirectory } from './zip-directory.js';
import { readZipEntryData, ZipEntryError } from './zip-entry-data.js';
import type { OfficeInflationLimits } from './office-inflation.js';

/**
 * A .docx opened once with our own zip reader, in the shape mammoth takes as
 * `{ file }` (exists/read): each entry is inflated when first read, with zlib's
 * output cap at what is left of the file's real-byte allowance, and kept for the
 * next reader (the table reader reads word/document.xml too). Neither library
 * ever inflates anything itself, so the zip's declared sizes decide nothing.
 */
export interface OfficeZipFile {
  exists(name: string): boolean;
  read(name: string, encoding?: string): Promise<string | Uint8Array>;
}

const MB = (n: number): string =>
  n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Null when the bytes are not a zip we can list (the reader then says why it cannot open them). */
export function openOfficeZip(data: Buffer, limits: OfficeInflationLimits): OfficeZipFile | null {
  let dir;
  try {
    dir = readZipDirectory(data, limits.maxEntries);
  } catch {
    return null;
  }
  if ('tooMany' in dir) return null;
  const { shift } = dir;
  const byName = new Map(dir.entries.map((e) => [e.rawName.toString('utf8').replace(/^\//, ''), e]));
  const cap = Math.min(
    limits.maxUnpackedBytes,
    Math.max(data.length * limits.maxCompressionRatio, limits.bombMinBytes),
  );
  const byRatio = cap < limits.maxUnpackedBytes;
  const cache = new Map<string, Buffer>();
  let used = 0;
  const refusal = () =>
    byRatio
      ? `疑似压缩炸弹：${MB(data.length)} 的文件实际解压超过 ${MB(cap)}（压缩比超过 ${limits.maxCompressionRatio}），未读取 (office file inflates past ${limits.maxCompressionRatio}× its size, whatever its zip directory declares)`
      : `文件解压后超过 ${MB(limits.maxUnpackedBytes)}，未读取 (office file inflates past the ${MB(limits.maxUnpackedBytes)} cap)`;
  const bytesOf = (name: string): Buffer => {
    const hit = cache.get(name);
    if (hit) return hit;
    const e = byName.get(name);
    if (!e) throw new Error(`docx中没有${name}`);
    let out: Buffer;
    try {
      out = readZipEntryData(data, e, shift, cap - used);
    } catch (err) {
      if (err instanceof ZipEntryError && err.overCap) throw new Error(refusal(), { cause: err });
      throw err;
    }
    used += out.length;
    cache.set(name, out);
    return out;
  };
  return {
    exists: (name) => byName.has(name),
    read(name, encoding) {
      try {
        const bytes = bytesOf(name);
        if (encoding === 'base64') return Promise.resolve(bytes.toString('base64'));
        if (encoding) return Promise.resolve(new TextDecoder(encoding).decode(bytes));
        return Promise.resolve(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
}
