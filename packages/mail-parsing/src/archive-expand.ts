import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import type { ParseLimits } from './limits.js';
import { baseName, neutralisePath } from './safe-path.js';
import { listZipEntries, openZip, type ZipEntryInfo } from './zip-listing.js';

/** Unpacked bytes used so far by one message's archives (all nesting levels share it). */
export interface UnpackBudget {
  usedBytes: number;
}

export interface ArchiveMember {
  /** path inside the archive, neutralised */
  path: string;
  filename: string;
  /** declared uncompressed size */
  bytes: number;
  data?: Buffer;
  /** set when this entry was not read */
  error?: string;
}

export interface ArchiveContents {
  members: ArchiveMember[];
  /** set when the archive as a whole was not expanded */
  error?: string;
  notes: string[];
}

const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Skipped as noise: macOS resource forks and Finder/Explorer metadata. */
function isJunkEntry(path: string): boolean {
  return (
    /(^|\/)__MACOSX\//.test(path) || /(^|\/)\._/.test(path) || /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini)$/i.test(path)
  );
}

/**
 * Refuses a zip whose central directory already shows it would blow a limit:
 * decided before a single byte is inflated, so a bomb costs nothing.
 */
export function checkZipBomb(
  entries: ZipEntryInfo[],
  entryCount: number,
  limits: ParseLimits,
  budget: UnpackBudget,
): string | null {
  if (entryCount > limits.maxArchiveEntries) {
    return `压缩包条目过多（${entryCount} 个，上限 ${limits.maxArchiveEntries}），未解压 (too many entries)`;
  }
  let total = 0;
  for (const e of entries) {
    if (e.isDirectory) continue;
    total += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize >= limits.bombMinBytes && ratio > limits.maxCompressionRatio) {
      return `压缩包疑似解压炸弹：${e.name} 压缩比 ${Math.round(ratio)}:1（上限 ${limits.maxCompressionRatio}:1），未解压 (suspected zip bomb)`;
    }
  }
  if (budget.usedBytes + total > limits.maxTotalUnpackedBytes) {
    return `压缩包疑似解压炸弹：解压后共 ${MB(total)}，超过上限 ${MB(limits.maxTotalUnpackedBytes - budget.usedBytes)}，未解压 (would unpack beyond the limit)`;
  }
  return null;
}

async function readStreamCapped(stream: Readable, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > cap) {
      stream.destroy();
      throw new Error(`entry inflates beyond its declared size (${cap} bytes)`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readMember(
  zip: yauzl.ZipFile,
  e: ZipEntryInfo,
  path: string,
  limits: ParseLimits,
  budget: UnpackBudget,
): Promise<ArchiveMember> {
  const member: ArchiveMember = { path, filename: baseName(path), bytes: e.uncompressedSize };
  if (e.encrypted) return { ...member, error: '压缩包条目已加密，无法读取 (encrypted entry)' };
  if (e.uncompressedSize > limits.maxAttachmentBytes) {
    return {
      ...member,
      error: `文件过大（${MB(e.uncompressedSize)}，上限 ${MB(limits.maxAttachmentBytes)}），未读取 (too large)`,
    };
  }
  try {
    const stream = await zip.openReadStreamPromise(e.entry);
    member.data = await readStreamCapped(stream, e.uncompressedSize);
    budget.usedBytes += member.data.length;
    return member;
  } catch (err) {
    return { ...member, error: `压缩包条目损坏，无法解压 (${(err as Error).message})` };
  }
}

/** Expands one zip within the limits; never throws for a bad archive. */
export async function expandZip(data: Buffer, limits: ParseLimits, budget: UnpackBudget): Promise<ArchiveContents> {
  let zip: yauzl.ZipFile | null = null;
  const notes: string[] = [];
  try {
    zip = await openZip(data);
    if (zip.entryCount > limits.maxArchiveEntries) {
      return { members: [], notes, error: checkZipBomb([], zip.entryCount, limits, budget) ?? 'too many entries' };
    }
    const entries = await listZipEntries(zip);
    const bomb = checkZipBomb(entries, zip.entryCount, limits, budget);
    if (bomb) return { members: [], notes, error: bomb };
    const members: ArchiveMember[] = [];
    const seen = new Set<string>();
    for (const e of entries) {
      if (e.isDirectory) continue;
      let path = neutralisePath(e.name);
      if (path !== e.name.replace(/\\/g, '/')) notes.push(`条目名 "${e.name}" 含不安全路径，已改为 "${path}"`);
      if (path === '' || isJunkEntry(path)) continue;
      // two entries can neutralise to one path; keep both, distinguishable
      for (let i = 2; seen.has(path); i++) path = `${path} (${i})`;
      seen.add(path);
      members.push(await readMember(zip, e, path, limits, budget));
    }
    return { members, notes };
  } catch (err) {
    return { members: [], notes, error: `压缩包损坏，无法解压 (corrupt zip: ${(err as Error).message})` };
  } finally {
    zip?.close();
  }
}
