import { headerBlockText } from '@intake/domain';
import type { Attachment, ParsedMail } from 'mailparser';
import { EXPANDABLE_FORMATS, expandArchive } from './expand-archive.js';
import { attachmentDisplayName } from './attachment-name.js';
import { decodeRawHeaderValue } from './charset.js';
import type { FileFacts, FileInput, WalkContext } from './file-facts.js';
import { parseMimeLifting } from './large-parts.js';
import { analyseLeaf, baseAttachment } from './leaf-analysis.js';
import { formatFrom, senderAddress, senderName, subjectOf } from './mail-headers.js';
import { unpackOutlookMsg, type UnpackedMessage } from './outlook-msg.js';
import { unpackTnef } from './tnef-unpack.js';
import { RawHeaders } from './raw-headers.js';
import { joinPath, sanitiseFilename } from './safe-path.js';
import { kindOfFormat, sniffFormat, type SniffResult } from './sniff-format.js';

/**
 * Lists every file of a message, opening containers: zip archives (nested),
 * forwarded messages (message/rfc822 parts and .eml files). Each listed file
 * becomes one attachment entry; a container is listed before its contents.
 */

const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function containerFacts(file: FileInput, sniff: SniffResult, error?: string, notes: string[] = []): FileFacts {
  const attachment = baseAttachment(file, sniff);
  attachment.notes = [...(attachment.notes ?? []), ...notes];
  if (attachment.notes.length === 0) delete attachment.notes;
  if (error) attachment.error = error;
  return { attachment, format: sniff.format, text: null, table: null, projects: [] };
}

function tooDeep(ctx: WalkContext): string {
  return `嵌套层数超过上限（${ctx.limits.maxDepth} 层），未打开 (nested deeper than ${ctx.limits.maxDepth})`;
}

async function visitArchive(
  file: FileInput,
  sniff: SniffResult,
  depth: number,
  ctx: WalkContext,
): Promise<FileFacts[]> {
  if (depth >= ctx.limits.maxDepth) return [containerFacts(file, sniff, tooDeep(ctx))];
  const contents = await expandArchive(sniff.format, file.data, ctx.limits, ctx.budget);
  const self = containerFacts(file, sniff, contents.error, contents.notes);
  const children = await Promise.all(
    contents.members.map(async (m): Promise<FileFacts[]> => {
      const path = joinPath(file.path, m.path);
      if (m.data) return visitFile({ path, filename: m.filename, data: m.data }, depth + 1, ctx);
      const facts = containerFacts(
        { path, filename: m.filename, data: Buffer.alloc(0) },
        { format: 'unknown', kind: 'other', notes: [] },
        m.error,
      );
      facts.attachment.bytes = m.bytes;
      facts.attachment.sha256 = EMPTY_SHA;
      return [facts];
    }),
  );
  return [self, ...children.flat()];
}

async function visitEmail(file: FileInput, sniff: SniffResult, depth: number, ctx: WalkContext): Promise<FileFacts[]> {
  if (depth >= ctx.limits.maxDepth) return [containerFacts(file, sniff, tooDeep(ctx))];
  let parsed: ParsedMail;
  try {
    parsed = await parseMimeLifting(file.data);
  } catch (err) {
    return [containerFacts(file, sniff, `转发邮件无法解析 (${(err as Error).message})`)];
  }
  const raw = new RawHeaders(parsed.headerLines);
  const subject = subjectOf(parsed, raw);
  const from = formatFrom(senderName(parsed, raw), senderAddress(parsed));
  ctx.forwarded.push({
    path: file.path,
    subject,
    fromName: senderName(parsed, raw),
    fromAddress: senderAddress(parsed),
    body: (parsed.text ?? '').slice(0, 20_000),
  });
  const self = containerFacts(file, sniff, undefined, [
    `转发邮件：${subject || '(无主题)'}${from ? ` — ${from}` : ''}`,
  ]);
  const children = await walkMailAttachments(parsed, file.path, depth + 1, ctx);
  return [self, ...children];
}

/** The attachments of an unpacked Outlook message (.msg, winmail.dat), listed under `file.path` and walked in turn. */
async function visitUnpacked(
  file: FileInput,
  sniff: SniffResult,
  unpacked: UnpackedMessage,
  depth: number,
  ctx: WalkContext,
): Promise<FileFacts[]> {
  ctx.forwarded.push({
    path: file.path,
    subject: unpacked.subject,
    fromName: unpacked.fromName,
    fromAddress: unpacked.fromAddress,
    body: unpacked.body.slice(0, 20_000),
  });
  const from = formatFrom(unpacked.fromName, unpacked.fromAddress);
  const self = containerFacts(file, sniff, undefined, [
    `Outlook 邮件：${unpacked.subject || '(无主题)'}${from ? ` — ${from}` : ''}，附件 ${unpacked.attachments.length} 个`,
  ]);
  const used = new Set<string>();
  const inputs = unpacked.attachments.map((a, i) => {
    const filename = sanitiseFilename(a.filename, `attachment-${i + 1}`);
    let path = joinPath(file.path, filename);
    for (let n = 2; used.has(path); n++) path = joinPath(file.path, `${filename} (${n})`);
    used.add(path);
    return { path, filename, data: a.data };
  });
  const lists = await Promise.all(inputs.map((f) => visitFile(f, depth + 1, ctx)));
  return [self, ...lists.flat()];
}

async function visitOutlook(
  file: FileInput,
  sniff: SniffResult,
  depth: number,
  ctx: WalkContext,
): Promise<FileFacts[]> {
  if (depth >= ctx.limits.maxDepth) return [containerFacts(file, sniff, tooDeep(ctx))];
  let unpacked: UnpackedMessage;
  try {
    unpacked = sniff.format === 'tnef' ? unpackTnef(file.data) : unpackOutlookMsg(file.data);
  } catch (err) {
    const what = sniff.format === 'tnef' ? 'winmail.dat（Outlook TNEF 格式）' : 'Outlook .msg 文件';
    return [containerFacts(file, sniff, `${what}损坏，无法解包 (${(err as Error).message})`)];
  }
  return visitUnpacked(file, sniff, unpacked, depth, ctx);
}

/** Lists one file, opening it when it is a container. Never throws for a bad file. */
export async function visitFile(file: FileInput, depth: number, ctx: WalkContext): Promise<FileFacts[]> {
  const sniff = await sniffFormat(file.data, file.filename, ctx.limits.maxArchiveEntries * 20);
  if (ctx.work.unreadReason) return [containerFacts(file, sniff, ctx.work.unreadReason)];
  if (file.contentType?.toLowerCase() === 'application/ms-tnef' || /^winmail\.dat$/i.test(file.filename)) {
    // declared TNEF whose bytes say nothing else: read as TNEF, so a damaged one says why
    if (sniff.format === 'unknown')
      return visitOutlook(file, { ...sniff, format: 'tnef', kind: kindOfFormat('tnef') }, depth, ctx);
  }
  if (EXPANDABLE_FORMATS.has(sniff.format)) return visitArchive(file, sniff, depth, ctx);
  if (sniff.kind === 'archive') {
    return [
      containerFacts(
        file,
        sniff,
        `不支持的压缩格式（${sniff.format}），未解压，请对方改用 zip 或直接发送文件 (unsupported archive format (${sniff.format}): not unpacked, ask the sender for zip or plain files)`,
      ),
    ];
  }
  if (sniff.format === 'eml') return visitEmail(file, sniff, depth, ctx);
  if (sniff.format === 'outlook-msg' || sniff.format === 'tnef') return visitOutlook(file, sniff, depth, ctx);
  return [await analyseLeaf(file, sniff, ctx)];
}

const EXT_OF_TYPE: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'application/zip': 'zip',
  'message/rfc822': 'eml',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/vnd.ms-excel': 'xls',
  'application/msword': 'doc',
  'text/html': 'html',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/** The Subject of a message held as bytes, for naming an unnamed forwarded message. */
function peekSubject(data: Buffer): string | null {
  const head = headerBlockText(data, 16_384, 16_384);
  const m = /(?:^|\n)subject:([^\n]*(?:\n[ \t][^\n]*)*)/i.exec(head);
  return m ? decodeRawHeaderValue(m[1]!.replace(/\r/g, '')) || null : null;
}

function attachmentFilename(a: Attachment, index: number): string {
  const name = attachmentDisplayName(a);
  if (name) return sanitiseFilename(name, `attachment-${index}`);
  const type = a.contentType.toLowerCase();
  if (type === 'message/rfc822') {
    const subject = peekSubject(a.content);
    return sanitiseFilename(`${(subject ?? `转发邮件-${index}`).slice(0, 80)}.eml`, `forwarded-${index}.eml`);
  }
  const ext = EXT_OF_TYPE[type];
  return ext ? `attachment-${index}.${ext}` : `attachment-${index}`;
}

/** An image shown in the HTML body (signature logo, letterhead), not a file the sender attached. */
function isEmbeddedImage(a: Attachment, html: string): boolean {
  if (!a.cid || a.contentDisposition === 'attachment' || !a.contentType.toLowerCase().startsWith('image/'))
    return false;
  return html.includes(`cid:${a.cid}`);
}

/** Every attachment of a parsed message, as listed files under `prefix`. */
export async function walkMailAttachments(
  parsed: ParsedMail,
  prefix: string,
  depth: number,
  ctx: WalkContext,
): Promise<FileFacts[]> {
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const used = new Set<string>();
  const inputs: FileInput[] = [];
  let embedded = 0;
  parsed.attachments.forEach((a, i) => {
    if (isEmbeddedImage(a, html)) {
      embedded++;
      return;
    }
    const filename = attachmentFilename(a, i + 1);
    let path = joinPath(prefix, filename);
    for (let n = 2; used.has(path); n++) path = joinPath(prefix, `${filename} (${n})`);
    used.add(path);
    inputs.push({ path, filename, data: a.content, contentType: a.contentType });
  });
  if (embedded > 0) {
    ctx.notes.push(
      `${prefix ? `${prefix}：` : ''}正文内嵌图片 ${embedded} 个（签名、徽标等）未列为附件 (${embedded} inline image(s) referenced by the HTML body left out)`,
    );
  }
  const lists = await Promise.all(inputs.map((f) => visitFile(f, depth, ctx)));
  return lists.flat();
}
