import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { SevenZipModule, SevenZipModuleFactory } from '7z-wasm';
import {
  checkZipBomb,
  entryCap,
  memberOf,
  memberPaths,
  type ArchiveContents,
  type ArchiveMember,
  type DeclaredEntry,
  type UnpackBudget,
} from './archive-expand.js';
import type { ParseLimits } from './limits.js';

/**
 * .7z (and the single-file and tar wrappers 7-Zip also reads) through the
 * 7-Zip CLI compiled to WASM. The archive sits in the module's in-memory
 * file system; every write of an extracted file is counted and refused past
 * its cap, so a bomb stops at the cap in real bytes whatever the headers
 * say. A dummy password is always passed: 7-Zip would otherwise wait on
 * stdin for one.
 */

const NO_PASSWORD = '-pintake-desk-no-password';
const ENCRYPTED_HEADERS =
  '压缩包已加密（文件名也加密），无法打开，请对方提供无密码的压缩包 (encrypted archive headers)';
const ARCHIVE = '/in/archive';
const OUT = '/out';

const require = createRequire(import.meta.url);
// the package's types declare an ES default export; at run time Node loads its UMD build as CommonJS
const SevenZip = require('7z-wasm') as SevenZipModuleFactory;

/** The slice of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let compiled: Promise<object> | null = null;

/** The WASM is compiled once per process; each archive gets a fresh instance (its own memory and files). */
async function instance(lines: string[]): Promise<SevenZipModule> {
  compiled ??= wasmApi.compile(fs.readFileSync(require.resolve('7z-wasm/7zz.wasm')));
  const wasm = await compiled;
  const options = {
    print: (s: string) => lines.push(s),
    printErr: (s: string) => lines.push(s),
    // emscripten's hook for bringing its own instance: the compiled module is reused, not recompiled
    instantiateWasm: (imports: object, done: (instance: object) => void) => {
      void wasmApi.instantiate(wasm, imports).then(done);
      return {};
    },
  };
  return SevenZip(options);
}

/**
 * Runs 7-Zip. Its exit is an exception in emscripten's glue (ExitStatus),
 * and a C++ exception escaping main arrives as a bare number: either way
 * the instance is discarded, and what went wrong is in the printed lines.
 */
function run(sz: SevenZipModule, args: string[], lines: string[]): void {
  try {
    sz.callMain(args);
  } catch (err) {
    if ((err as { name?: unknown } | null)?.name !== 'ExitStatus') lines.push(`ERROR: 7-Zip stopped (${String(err)})`);
  }
}

export interface SevenZipEntry extends DeclaredEntry {
  encrypted: boolean;
}

/** `7z l -slt` blocks → entries (the first block describes the archive itself). */
export function parseSltListing(lines: string[]): {
  type: string | null;
  entries: SevenZipEntry[];
  error: string | null;
} {
  const start = lines.indexOf('----------');
  const head = lines.slice(0, start < 0 ? lines.length : start);
  const type = head.find((l) => l.startsWith('Type = '))?.slice(7) ?? null;
  const error = lines.find((l) => /^(ERROR|Can not open|Can't open)/.test(l.trim())) ?? null;
  const entries: SevenZipEntry[] = [];
  let cur: Record<string, string> = {};
  const flush = (): void => {
    if (cur.Path === undefined) return;
    entries.push({
      name: cur.Path,
      isDirectory: cur.Folder === '+' || (cur.Attributes ?? '').startsWith('D'),
      compressedSize: Number(cur['Packed Size'] || 0),
      uncompressedSize: Number(cur.Size || 0),
      encrypted: cur.Encrypted === '+',
    });
    cur = {};
  };
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    const m = /^([A-Za-z ]+) = (.*)$/.exec(line);
    if (line.trim() === '') flush();
    else if (m) cur[m[1]!] = m[2]!;
  }
  flush();
  return { type, entries, error };
}

async function listArchive(data: Buffer): Promise<ReturnType<typeof parseSltListing> & { lines: string[] }> {
  const lines: string[] = [];
  const sz = await instance(lines);
  sz.FS.mkdir('/in');
  sz.FS.writeFile(ARCHIVE, data);
  run(sz, ['l', '-slt', '-sccUTF-8', NO_PASSWORD, ARCHIVE], lines);
  return { ...parseSltListing(lines), lines };
}

/**
 * A 7z whose header is itself encrypted: its next-header block is an encoded
 * header (0x17) whose coder is 7zAES (method id 06 F1 07 01). Decided from the
 * bytes because 7-Zip, given a wrong password, may crash instead of saying so.
 */
export function hasEncrypted7zHeader(data: Buffer): boolean {
  if (data.length < 32 || data.readUInt32BE(0) !== 0x377abcaf) return false;
  const at = 32 + Number(data.readBigUInt64LE(12));
  const size = Number(data.readBigUInt64LE(20));
  if (at >= data.length || data[at] !== 0x17) return false;
  return data.subarray(at, Math.min(data.length, at + size)).includes(Buffer.from([0x06, 0xf1, 0x07, 0x01]));
}

function encryptedHeaders(data: Buffer, lines: string[]): boolean {
  return hasEncrypted7zHeader(data) || lines.some((l) => /Can not open encrypted archive|Wrong password/i.test(l));
}

/** Expands one .7z (or .tar/.gz/.bz2/.xz) within the limits; never throws for a bad archive. */
export async function expandSevenZip(
  data: Buffer,
  limits: ParseLimits,
  budget: UnpackBudget,
): Promise<ArchiveContents> {
  const notes: string[] = [];
  if (hasEncrypted7zHeader(data)) return { members: [], notes, error: ENCRYPTED_HEADERS };
  const listing = await listArchive(data);
  if (encryptedHeaders(data, listing.lines)) {
    return {
      members: [],
      notes,
      error: '压缩包已加密（文件名也加密），无法打开，请对方提供无密码的压缩包 (encrypted archive headers)',
    };
  }
  if (!listing.type || (listing.error && listing.entries.length === 0)) {
    return {
      members: [],
      notes,
      error: `压缩包损坏或无法识别，未解压 (${listing.error ?? 'not an archive 7-Zip reads'})`,
    };
  }
  const bomb = checkZipBomb(listing.entries, listing.entries.length, limits, budget, data.length);
  if (bomb) return { members: [], notes, error: bomb };
  const paths = memberPaths(listing.entries, notes);
  return { members: await extractAll(data, listing.entries, paths, limits, budget), notes };
}

interface WriteCounter {
  perFile: Map<string, number>;
  total: number;
  over: string | null;
}

/**
 * Wraps the in-memory file system's write so that every byte 7-Zip writes
 * under OUT is counted; past a cap the write fails (ENOSPC) and 7-Zip stops.
 */
function guardWrites(sz: SevenZipModule, limits: ParseLimits, budget: UnpackBudget, counter: WriteCounter): void {
  const fsys = sz.FS as unknown as {
    lookupPath: (p: string) => { node: { stream_ops: { write: (...a: unknown[]) => number } } };
    ErrnoError: new (errno: number) => Error;
  };
  sz.FS.mkdir(OUT);
  sz.FS.writeFile(`${OUT}/.probe`, new Uint8Array(0));
  const ops = fsys.lookupPath(`${OUT}/.probe`).node.stream_ops;
  sz.FS.unlink(`${OUT}/.probe`);
  const write = ops.write;
  const { cap: totalCap, reason: totalReason } = entryCap({ ...limits, maxAttachmentBytes: Infinity }, budget);
  ops.write = function guarded(
    this: unknown,
    stream: unknown,
    buffer: unknown,
    offset: unknown,
    length: unknown,
    ...rest: unknown[]
  ) {
    const path = (stream as { path?: string }).path ?? '';
    if (path.startsWith(`${OUT}/`)) {
      const n = Number(length);
      const file = (counter.perFile.get(path) ?? 0) + n;
      counter.perFile.set(path, file);
      counter.total += n;
      if (file > limits.maxAttachmentBytes) counter.over = entryCap(limits, { usedBytes: 0 }).reason;
      else if (counter.total > totalCap) counter.over = totalReason;
      if (counter.over) throw new fsys.ErrnoError(28);
    }
    return write.call(this, stream, buffer, offset, length, ...rest);
  };
}

async function extractAll(
  data: Buffer,
  entries: SevenZipEntry[],
  paths: Array<string | null>,
  limits: ParseLimits,
  budget: UnpackBudget,
): Promise<ArchiveMember[]> {
  const lines: string[] = [];
  const sz = await instance(lines);
  sz.FS.mkdir('/in');
  sz.FS.writeFile(ARCHIVE, data);
  const counter: WriteCounter = { perFile: new Map(), total: 0, over: null };
  guardWrites(sz, limits, budget, counter);
  const wanted = entries.some((e) => !e.encrypted);
  if (wanted) run(sz, ['x', '-y', '-sccUTF-8', '-spd', NO_PASSWORD, `-o${OUT}`, ARCHIVE], lines);
  const failed = new Set(
    lines.flatMap(
      (l) =>
        /^(?:ERROR: )?(?:Data Error|CRC Failed|Wrong password|Unsupported Method|Headers Error)[^:]*: (.+)$/.exec(
          l.trim(),
        )?.[1] ?? [],
    ),
  );
  const members: ArchiveMember[] = [];
  entries.forEach((e, i) => {
    const path = paths[i];
    if (!path) return;
    const m = memberOf(path, e.uncompressedSize);
    members.push(m);
    if (e.encrypted) return void (m.error = '压缩包条目已加密，无法读取 (encrypted entry)');
    if (e.uncompressedSize > limits.maxAttachmentBytes)
      return void (m.error = `文件过大（${(e.uncompressedSize / 1048576).toFixed(1)} MB），未读取 (too large)`);
    readExtracted(sz, e, m, failed, counter, budget);
  });
  return members;
}

function readExtracted(
  sz: SevenZipModule,
  e: SevenZipEntry,
  m: ArchiveMember,
  failed: Set<string>,
  counter: WriteCounter,
  budget: UnpackBudget,
): void {
  if (failed.has(e.name)) {
    m.error = '压缩包条目损坏，无法解压 (7-Zip reported an error for this entry)';
    return;
  }
  try {
    const bytes = sz.FS.readFile(`${OUT}/${e.name}`);
    if (bytes.length !== e.uncompressedSize) throw new Error('size differs from the listing');
    m.data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    budget.usedBytes += m.data.length;
  } catch (err) {
    m.error = counter.over ?? `压缩包条目损坏，无法解压 (${(err as Error).message})`;
  }
}
