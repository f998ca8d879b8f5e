import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/**
 * Decodes text files from Chinese offices: UTF-8 with or without BOM, UTF-16
 * with BOM (Excel's "Unicode text"), otherwise GBK. Bytes that are not valid
 * UTF-8 are taken as GB18030, the superset of GBK/GB2312 that Windows uses.
 */
export function decodeText(data: Buffer): { text: string; encoding: TextEncoding } {
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    return { text: data.subarray(3).toString('utf8'), encoding: 'utf-8' };
  }
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) {
    return { text: iconv.decode(data.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  }
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) {
    return { text: iconv.decode(data.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  }
  if (isValidUtf8(data)) return { text: data.toString('utf8'), encoding: 'utf-8' };
  return { text: iconv.decode(data, 'gb18030'), encoding: 'gb18030' };
}

export function isValidUtf8(data: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    // fatal decoding throws on the first invalid sequence: that is the answer, not an error
    return false;
  }
}
