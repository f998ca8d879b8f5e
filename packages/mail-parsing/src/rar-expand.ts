import { createExtractorFromData, type FileHeader } from 'node-unrar-js';
import {
  checkZipBomb,
  entryCap,
  memberOf,
  memberPaths,
  type ArchiveContents,
  type ArchiveMember,
  type UnpackBudget,
} from './archive-expand.js';
import { decodeUnknownBytes } from './charset.js';
import type { ParseLimits } from './limits.js';

/**
 * RAR4 and RAR5 through the official unrar compiled to WASM (node-unrar-js).
 * Each file's bytes are counted as unrar writes them: a file that goes past
 * its cap fails alone (and, unrar being sequential, ends the extraction),
 * whatever the headers declared. Encrypted files are reported one by one.
 */

/** A password no sender uses: unrar must never wait for one, and an encrypted file then fails as such. */
const NO_PASSWORD = 'intake-desk-no-password';

/**
 * unrar maps name bytes it cannot read as UTF-8 to U+E080–U+E0FF and marks
 * such names with a leading U+FFFE; the bytes come back from that, and are
 * then decoded like a zip name without the UTF-8 flag (GBK from Chinese WinRAR).
 */
export function decodeUnrarName(name: string): string {
  if (!name.startsWith('\uFFFE')) return name;
  const bytes: number[] = [];
  for (const ch of name.slice(1)) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xe080 && cp <= 0xe0ff) bytes.push(cp - 0xe000);
    else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return decodeUnknownBytes(Buffer.from(bytes));
}

/** RAR4 main-header flag 0x80, or a RAR5 archive-encryption block first: the names themselves are encrypted. */
export function hasEncryptedHeaders(data: Buffer): boolean {
  if (data.subarray(0, 7).toString('latin1') === 'Rar!\u001a\u0007\u0000') {
    return data.length > 12 && data[9] === 0x73 && (data.readUInt16LE(10) & 0x0080) !== 0;
  }
  // RAR5: signature (8), then CRC32 (4), header size (vint), header type (vint) 4 = encryption
  if (data.subarray(0, 8).toString('latin1') === 'Rar!\u001a\u0007\u0001\u0000') {
    let p = 12;
    while (p < data.length && (data[p]! & 0x80) !== 0) p++;
    return data[p + 1] === 4;
  }
  return false;
}

type UnrarExtractor = Awaited<ReturnType<typeof createExtractorFromData>>;

let handlersGuarded = false;

/**
 * The emscripten glue installs process-wide 'uncaughtException' and
 * 'unhandledRejection' handlers when unrar first loads; a library has no
 * business deciding how the service dies, so the ones it added are removed.
 */
async function openExtractor(data: Buffer): Promise<UnrarExtractor> {
  const before = new Set<unknown>([
    ...process.listeners('uncaughtException'),
    ...process.listeners('unhandledRejection'),
  ]);
  const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const extractor = await createExtractorFromData({ data: copy, password: NO_PASSWORD });
  if (!handlersGuarded) {
    handlersGuarded = true;
    for (const l of process.listeners('uncaughtException'))
      if (!before.has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection'))
      if (!before.has(l)) process.removeListener('unhandledRejection', l);
  }
  return extractor;
}

interface CountedWrites {
  written: number;
  cap: number;
  over: boolean;
}

/** Counts every byte unrar writes and refuses the write past the cap (unrar then fails that file). */
function countWrites(extractor: UnrarExtractor, state: CountedWrites): void {
  const target = extractor as unknown as { write: (fd: number, buf: number, size: number) => boolean };
  const write = target.write.bind(target);
  target.write = (fd, buf, size) => {
    state.written += size;
    if (state.written > state.cap) {
      state.over = true;
      return false;
    }
    return write(fd, buf, size);
  };
}

function describeUnrarError(err: unknown): string {
  const reason = (err as { reason?: string }).reason ?? (err as Error).message;
  if (reason === 'ERAR_MISSING_PASSWORD' || reason === 'ERAR_BAD_PASSWORD')
    return '文件已加密（有密码），无法读取 (encrypted)';
  return `压缩包条目损坏，无法解压 (${reason})`;
}

interface ExtractorInternals {
  dataFiles: Record<string, { file: { readAll: () => Uint8Array } } | undefined>;
}

/**
 * The extraction, file by file. ExtractorData's own loop reads every file it
 * did not create as a crash (links, which unrar does not write); the base
 * class's loop is used and each file's bytes are taken from where
 * ExtractorData keeps them, then released.
 */
function* runExtraction(
  extractor: UnrarExtractor,
  wanted: (h: FileHeader) => boolean,
): Generator<{ name: string; data: Buffer | null }> {
  const base = Object.getPrototypeOf(Object.getPrototypeOf(extractor)) as {
    extract: (
      this: UnrarExtractor,
      o: { files: (h: FileHeader) => boolean },
    ) => { files: Iterable<{ fileHeader: FileHeader }> };
  };
  const store = (extractor as unknown as ExtractorInternals).dataFiles;
  for (const f of base.extract.call(extractor, { files: wanted }).files) {
    const key = `*Extracted*/${f.fileHeader.name}`;
    const bytes = f.fileHeader.flags.directory ? undefined : store[key]?.file.readAll();
    // released at once: a large archive's files are not all held twice
    Reflect.deleteProperty(store, key);
    yield {
      name: f.fileHeader.name,
      data: bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null,
    };
  }
}

function listHeaders(extractor: UnrarExtractor): FileHeader[] {
  return [...extractor.getFileList().fileHeaders];
}

/** Expands one RAR within the limits; never throws for a bad archive. */
export async function expandRar(data: Buffer, limits: ParseLimits, budget: UnpackBudget): Promise<ArchiveContents> {
  const notes: string[] = [];
  if (hasEncryptedHeaders(data)) {
    return {
      members: [],
      notes,
      error: '压缩包已加密（文件名也加密），无法打开，请对方提供无密码的压缩包 (RAR with encrypted headers)',
    };
  }
  let headers: FileHeader[];
  let extractor: UnrarExtractor;
  try {
    extractor = await openExtractor(data);
    headers = listHeaders(extractor);
  } catch (err) {
    return { members: [], notes, error: `RAR 压缩包损坏或无法识别，未解压 (${describeUnrarError(err)})` };
  }
  if (headers.length === 0) {
    return { members: [], notes, error: 'RAR 压缩包损坏或为空，未找到任何文件 (no entries: empty or truncated RAR)' };
  }
  const declared = headers.map((h) => ({
    name: decodeUnrarName(h.name),
    isDirectory: h.flags.directory,
    compressedSize: h.packSize,
    uncompressedSize: h.unpSize,
  }));
  const bomb = checkZipBomb(declared, headers.length, limits, budget, data.length);
  if (bomb) return { members: [], notes, error: bomb };
  const paths = memberPaths(declared, notes);
  return { members: extractMembers(extractor, headers, paths, limits, budget), notes };
}

function extractMembers(
  extractor: UnrarExtractor,
  headers: FileHeader[],
  paths: Array<string | null>,
  limits: ParseLimits,
  budget: UnpackBudget,
): ArchiveMember[] {
  const byName = new Map<string, ArchiveMember>();
  const members: ArchiveMember[] = [];
  headers.forEach((h, i) => {
    const path = paths[i];
    if (!path) return;
    const m = memberOf(path, h.unpSize);
    if (h.flags.encrypted) m.error = '压缩包条目已加密，无法读取 (encrypted entry)';
    else if (h.unpSize > limits.maxAttachmentBytes)
      m.error = `文件过大（${(h.unpSize / 1048576).toFixed(1)} MB），未读取 (too large)`;
    else byName.set(h.name, m);
    members.push(m);
  });
  const state: CountedWrites = { written: 0, cap: 0, over: false };
  countWrites(extractor, state);
  let currentName = '';
  let reason = '';
  try {
    for (const f of runExtraction(extractor, (h) => {
      currentName = h.name;
      ({ cap: state.cap, reason } = entryCap(limits, budget));
      state.written = 0;
      return byName.has(h.name);
    })) {
      const m = byName.get(f.name);
      if (!m) continue;
      if (f.data) {
        m.data = f.data;
        budget.usedBytes += f.data.length;
      } else m.error = '链接（快捷方式）条目，未读取 (link entry: no content)';
      byName.delete(f.name);
    }
  } catch (err) {
    const failed = byName.get(currentName);
    if (failed) failed.error = state.over ? reason : describeUnrarError(err);
    byName.delete(currentName);
  }
  // unrar stops at the first failure: whatever was not reached says so
  for (const m of byName.values()) m.error ??= '压缩包在此条目之前出错，未解压 (not reached: an earlier entry failed)';
  return members;
}
