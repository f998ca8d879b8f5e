import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import yauzl from 'yauzl';
import type { Queryable } from '@intake/register-store';
import { findAttachment } from './register-extras.js';

export interface LoadedAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Gives an attachment's original bytes, by the raw message's sha256 and the attachment's register path. */
export type LoadAttachment = (messageSha256: string, path: string) => Promise<LoadedAttachment | null>;

export interface RawSource {
  get(sha256: string): Promise<Buffer>;
}

const MAX_DEPTH = 4;
/** Never inflate more than this per lookup: a zip bomb in the archive must not take the dashboard down. */
const MAX_ENTRY_BYTES = 200 * 1024 * 1024;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const isZip = (b: Buffer): boolean => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const looksLikeMail = (b: Buffer): boolean => /^(?:[\x21-\x39\x3b-\x7e]+:[^\n]*\r?\n)+/.test(b.subarray(0, 2048).toString('latin1'));

async function readCapped(stream: Readable, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > cap) {
      stream.destroy();
      throw new Error('zip entry inflates beyond its declared size');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Zip members' bytes, one at a time (lazy), so a match stops the walk early. */
async function* zipMembers(data: Buffer): AsyncGenerator<Buffer> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(data, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, z) => (err || !z ? reject(err ?? new Error('bad zip')) : resolve(z))));
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        zip.once('entry', resolve);
        zip.once('end', () => resolve(null));
        zip.once('error', reject);
        zip.readEntry();
      });
      zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
      if (!entry) return;
      const dir = entry.fileName.toString().endsWith('/');
      if (dir || entry.uncompressedSize > MAX_ENTRY_BYTES || (entry.generalPurposeBitFlag & 1) !== 0) continue;
      const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))));
      yield await readCapped(stream, entry.uncompressedSize);
    }
  } finally {
    zip.close();
  }
}

/**
 * Finds bytes with the wanted sha256 among a message's attachments, opening
 * zips and forwarded messages the way the parser did. Matching by content
 * hash (recorded in the register for every attachment) avoids re-deriving
 * the parser's path names (GBK-decoded zip names, de-duplicated " (2)").
 */
async function findInMessage(raw: Buffer, wanted: string, depth: number): Promise<{ data: Buffer; contentType: string } | null> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  for (const a of parsed.attachments) {
    if (sha(a.content) === wanted) return { data: a.content, contentType: a.contentType };
    const inner = await findInContainer(a.content, wanted, depth + 1, a.contentType);
    if (inner) return inner;
  }
  return null;
}

async function findInContainer(data: Buffer, wanted: string, depth: number, contentType = ''): Promise<{ data: Buffer; contentType: string } | null> {
  if (depth > MAX_DEPTH) return null;
  if (isZip(data)) {
    for await (const member of zipMembers(data)) {
      if (sha(member) === wanted) return { data: member, contentType: '' };
      const inner = await findInContainer(member, wanted, depth + 1);
      if (inner) return inner;
    }
    return null;
  }
  if (contentType.toLowerCase() === 'message/rfc822' || looksLikeMail(data)) return findInMessage(data, wanted, depth);
  return null;
}

/**
 * The default loader: the raw message from the archive, re-parsed with
 * mailparser; the attachment found by the sha256 the register recorded for
 * (message, path). Only registered attachments are ever served.
 */
export function createRawAttachmentLoader(deps: { db: Queryable; rawStore: RawSource }): LoadAttachment {
  return async (messageSha256, path) => {
    const att = await findAttachment(deps.db, messageSha256, path);
    if (!att) return null;
    const raw = await deps.rawStore.get(messageSha256);
    const found = await findInMessage(raw, att.sha256, 0);
    return found ? { filename: att.filename, contentType: found.contentType, data: found.data } : null;
  };
}
