import iconv from 'iconv-lite';

/**
 * SheetJS's code-page interface (`cptable.utils.decode/encode`, the only two
 * calls it makes) over iconv-lite, which builds a code page's table when it is
 * first used. The full table SheetJS ships (cpexcel.full) builds every code
 * page's encoder and decoder as it loads, about 110 ms of CPU, and a legacy
 * .xls is read in a fresh thread each time, so that was paid per file. A code
 * page iconv-lite does not know throws UnknownCodepageError; the reader then
 * loads the full table and reads the file again.
 */

export class UnknownCodepageError extends Error {
  constructor(readonly codepage: number) {
    super(`code page ${codepage} is not in iconv-lite`);
    this.name = 'UnknownCodepageError';
  }
}

/** Code pages whose iconv-lite name is not `cp<number>`. */
const NAMED: Readonly<Record<number, string>> = {
  1200: 'utf16le',
  1201: 'utf16be',
  20127: 'ascii',
  28591: 'latin1',
  54936: 'gb18030',
  65000: 'utf7',
  65001: 'utf8',
  10000: 'macintosh',
  10006: 'macgreek',
  10007: 'maccyrillic',
  10029: 'maccenteuro',
  10079: 'maciceland',
  10081: 'macturkish',
};

function encodingOf(cp: number): string {
  const name = NAMED[cp] ?? `cp${cp}`;
  if (!iconv.encodingExists(name)) throw new UnknownCodepageError(cp);
  return name;
}

type Bytes = Buffer | Uint8Array | readonly number[] | string;

/** SheetJS passes Buffers, byte arrays, and "binary" strings (one char per byte). */
function toBuffer(data: Bytes): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (typeof data === 'string') return Buffer.from(data, 'latin1');
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

function decode(cp: number, data: Bytes): string {
  const name = encodingOf(cp);
  const buf = toBuffer(data);
  // as cptable: UTF-16LE keeps a leading BOM when handed a Buffer and drops it otherwise
  if (cp === 1200) return iconv.decode(buf, name, { stripBOM: !Buffer.isBuffer(data) });
  return iconv.decode(buf, name);
}

function encode(cp: number, data: Buffer | string, fmt?: string): Buffer | string | number[] {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const out = iconv.encode(text, encodingOf(cp), { addBOM: false });
  if (!fmt || fmt === 'buf') return out;
  if (fmt === 'arr') return Array.from(out);
  return out.toString('latin1');
}

function hascp(cp: number): boolean {
  return iconv.encodingExists(NAMED[cp] ?? `cp${cp}`);
}

/** The object handed to SheetJS's `set_cptable`. */
export const codepageTable = { utils: { decode, encode, hascp } } as const;
