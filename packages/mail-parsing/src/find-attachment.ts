import { createHash } from 'node:crypto';
import { EXPANDABLE_FORMATS, expandArchive } from './expand-archive.js';
import { parseMimeLifting } from './large-parts.js';
import { resolveLimits, type ParseLimits } from './limits.js';
import { sniffFormat } from './sniff-format.js';

/**
 * An attachment's original bytes, found again in its raw message by the
 * sha256 the register recorded: the same MIME reading and the same zip
 * expansion (limits, bomb checks) as the parser, so whatever was listed can
 * be downloaded and nothing else is inflated. Matching by content hash means
 * the parser's path names (GBK-decoded zip names, de-duplicated names) never
 * need re-deriving.
 */
export async function findAttachmentBytes(
  raw: Buffer,
  sha256: string,
  limits: Partial<ParseLimits> = {},
): Promise<{ data: Buffer; contentType: string } | null> {
  const lim = resolveLimits(limits);
  return findInMessage(raw, sha256, 0, lim, { usedBytes: 0 });
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function findInMessage(
  raw: Buffer,
  wanted: string,
  depth: number,
  lim: ParseLimits,
  budget: { usedBytes: number },
) {
  const parsed = await parseMimeLifting(raw);
  for (const a of parsed.attachments) {
    if (sha(a.content) === wanted) return { data: a.content, contentType: a.contentType };
    const inner = await findInContainer(a.content, a.filename ?? '', a.contentType, wanted, depth + 1, lim, budget);
    if (inner) return inner;
  }
  return null;
}

async function findInContainer(
  data: Buffer,
  filename: string,
  contentType: string,
  wanted: string,
  depth: number,
  lim: ParseLimits,
  budget: { usedBytes: number },
): Promise<{ data: Buffer; contentType: string } | null> {
  if (depth > lim.maxDepth) return null;
  const format =
    contentType.toLowerCase() === 'message/rfc822'
      ? 'eml'
      : (await sniffFormat(data, filename, lim.maxArchiveEntries * 20)).format;
  if (EXPANDABLE_FORMATS.has(format)) {
    const contents = await expandArchive(format, data, lim, budget);
    for (const m of contents.members) {
      if (!m.data) continue;
      if (sha(m.data) === wanted) return { data: m.data, contentType: 'application/octet-stream' };
      const inner = await findInContainer(m.data, m.filename, '', wanted, depth + 1, lim, budget);
      if (inner) return inner;
    }
    return null;
  }
  if (format === 'eml') return findInMessage(data, wanted, depth, lim, budget);
  return null;
}
