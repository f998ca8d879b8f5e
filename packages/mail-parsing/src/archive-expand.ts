import type { ParseLimits } from './limits.js';
import { baseName, neutralisePath } from './safe-path.js';
import { ZipEntryError, readZipEntryData } from './zip-entry-data.js';
import { listZip, type ZipEntryInfo } from './zip-listing.js';

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

/** What an archive's directory declares about one entry (zip, RAR, 7z alike). */
export interface DeclaredEntry {
  name: string;
  isDirectory: boolean;
  /** 0 when the format does not say per entry (7z solid blocks) */
  compressedSize: number;
  uncompressedSize: number;
}

export const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Skipped as noise: macOS resource forks and Finder/Explorer metadata. */
function isJunkEntry(path: string): boolean {
  return (
    /(^|\/)__MACOSX\//.test(path) || /(^|\/)\._/.test(path) || /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini)$/i.test(path)
  );
}

function ratioBomb(name: string, ratio: number, limits: ParseLimits): string {
  return `压缩包疑似解压炸弹：${name} 压缩比 ${Math.round(ratio)}:1（上限 ${limits.maxCompressionRatio}:1），未解压 (suspected zip bomb)`;
}

/**
 * Refuses an archive whose directory already shows it would blow a limit:
 * decided before a single byte is inflated, so a bomb costs nothing. The
 * real bytes are counted again while extracting (see `ByteCap`).
 */
export function checkZipBomb(
  entries: readonly DeclaredEntry[],
  entryCount: number,
  limits: ParseLimits,
  budget: UnpackBudget,
  archiveBytes = 0,
): string | null {
  if (entryCount > limits.maxArchiveEntries) {
    return `压缩包条目过多（${entryCount} 个，上限 ${limits.maxArchiveEntries}），未解压 (too many entries)`;
  }
  let total = 0;
  for (const e of entries) {
    if (e.isDirectory) continue;
    total += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.compressedSize > 0 && e.uncompressedSize >= limits.bombMinBytes && ratio > limits.maxCompressionRatio) {
      return ratioBomb(e.name, ratio, limits);
    }
  }
  // formats that pack many files into one block (7z, solid RAR) only have the archive's own size to compare with
  if (archiveBytes > 0 && total >= limits.bombMinBytes && total / archiveBytes > limits.maxCompressionRatio) {
    return ratioBomb('（整个压缩包）', total / archiveBytes, limits);
  }
  if (budget.usedBytes + total > limits.maxTotalUnpackedBytes) {
    return `压缩包疑似解压炸弹：解压后共 ${MB(total)}，超过上限 ${MB(limits.maxTotalUnpackedBytes - budget.usedBytes)}，未解压 (would unpack beyond the limit)`;
  }
  return null;
}

/** The most real bytes the next entry may inflate to, and why when it is reached. */
export function entryCap(limits: ParseLimits, budget: UnpackBudget): { cap: number; reason: string } {
  const left = Math.max(0, limits.maxTotalUnpackedBytes - budget.usedBytes);
  if (left < limits.maxAttachmentBytes) {
    return {
      cap: left,
      reason: `解压后超过本邮件的解压总量上限（${MB(limits.maxTotalUnpackedBytes)}），未读取 (unpacked bytes beyond the limit)`,
    };
  }
  return {
    cap: limits.maxAttachmentBytes,
    reason: `文件解压后过大（超过 ${MB(limits.maxAttachmentBytes)}），未读取 (inflates beyond the size limit)`,
  };
}

/**
 * Paths for an archive's entries, in order: neutralised, de-duplicated;
 * null for directories and metadata noise. An entry whose name neutralises to
 * nothing (control bytes, "..") keeps a fallback name and a note: it is never dropped silently.
 */
export function memberPaths(entries: readonly DeclaredEntry[], notes: string[]): Array<string | null> {
  const seen = new Set<string>();
  return entries.map((e, i) => {
    if (e.isDirectory) return null;
    let path = neutralisePath(e.name);
    if (path === '') {
      path = `未命名条目-${i + 1}`;
      notes.push(`第 ${i + 1} 个条目的名称无法读取，已命名为 "${path}" (entry ${i + 1} has no usable name)`);
    } else if (path !== e.name.replace(/\\/g, '/')) notes.push(`条目名 "${e.name}" 含不安全路径，已改为 "${path}"`);
    if (isJunkEntry(path)) return null;
    // two entries can neutralise to one path; keep both, distinguishable
    for (let n = 2; seen.has(path); n++) path = `${path} (${n})`;
    seen.add(path);
    return path;
  });
}

export function memberOf(path: string, bytes: number): ArchiveMember {
  return { path, filename: baseName(path), bytes };
}

function readZipMember(
  data: Buffer,
  e: ZipEntryInfo,
  shift: number,
  path: string,
  limits: ParseLimits,
  budget: UnpackBudget,
): ArchiveMember {
  const member = memberOf(path, e.uncompressedSize);
  if (e.encrypted) return { ...member, error: '压缩包条目已加密，无法读取 (encrypted entry)' };
  if (e.uncompressedSize > limits.maxAttachmentBytes) {
    return {
      ...member,
      error: `文件过大（${MB(e.uncompressedSize)}，上限 ${MB(limits.maxAttachmentBytes)}），未读取 (too large)`,
    };
  }
  const { cap, reason } = entryCap(limits, budget);
  try {
    member.data = readZipEntryData(data, e.raw, shift, cap);
    budget.usedBytes += member.data.length;
    return member;
  } catch (err) {
    if (err instanceof ZipEntryError && err.overCap) return { ...member, error: reason };
    return { ...member, error: `压缩包条目损坏，无法解压 (${(err as Error).message})` };
  }
}

/** Expands one zip within the limits; never throws for a bad archive. */
export function expandZip(data: Buffer, limits: ParseLimits, budget: UnpackBudget): ArchiveContents {
  const listing = listZip(data, limits.maxArchiveEntries);
  if (listing.error !== undefined) {
    return { members: [], notes: [], error: `压缩包损坏，无法解压 (${listing.error})` };
  }
  const notes = [...listing.notes];
  const bomb = checkZipBomb(listing.entries, listing.entryCount, limits, budget);
  if (bomb) return { members: [], notes, error: bomb };
  const paths = memberPaths(listing.entries, notes);
  const members: ArchiveMember[] = [];
  listing.entries.forEach((e, i) => {
    const path = paths[i];
    if (!path) return;
    if (e.nameNote) notes.push(e.nameNote);
    members.push(readZipMember(data, e, listing.shift, path, limits, budget));
  });
  return { members, notes };
}
