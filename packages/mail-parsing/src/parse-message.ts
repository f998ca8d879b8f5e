import {
  AppError,
  buildApplicantDirectory,
  findHeaderBlockEnd,
  type ApplicantDirectory,
  type TCampaignProfile,
  type TCopyFacts,
  type TEvidence,
  type TFlag,
  type TParsedMessage,
} from '@intake/domain';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { FileFacts, ParserLogger, WalkContext } from './file-facts.js';
import type { ParseOcrOptions } from './ocr-reading.js';
import { walkMailAttachments } from './file-walk.js';
import { parseMimeLifting } from './large-parts.js';
import { sha256Of } from './leaf-analysis.js';
import { resolveLimits, type ParseLimits } from './limits.js';
import { bodyTextOf } from './body-text.js';
import { cleanStrings } from './clean-strings.js';
import { buildMailHeaders, formatFrom, senderAddress, senderName, subjectOf } from './mail-headers.js';
import { detectAll } from './message-detection.js';
import { authenticationOf, builtinFlags, mergeFlags } from './message-flags.js';
import { findLinkedAttachments, type LinkedFile } from './linked-attachments.js';
import { computeMetrics, mergeProjects } from './message-metrics.js';
import { pairWithinMessage } from './copy-facts.js';
import { MIME_OPTIONS } from './mime-options.js';
import { RawHeaders } from './raw-headers.js';
import { resolveReceivedAt, type ReceivedAtSource } from './received-at.js';
import { looksLikeRfc822 } from './sniff-format.js';
import type { ExtractPool } from './worker-pool.js';

export interface ParseOptions {
  profile: TCampaignProfile;
  /** @defaultValue built from `profile` (and cached per profile object) */
  directory?: ApplicantDirectory;
  /** the server's receipt time (IMAP INTERNALDATE, `--received-at`, mbox From_ line) */
  receivedAt?: Date | null;
  /** where `receivedAt` came from. @defaultValue 'argument' */
  receivedAtSource?: ReceivedAtSource;
  limits?: Partial<ParseLimits>;
  logger?: ParserLogger;
  /**
   * The notice's checks (validation-rules). Called with the finished message
   * whose `flags` hold the parser's own (UNREADABLE_ATTACHMENT, UNVERIFIED_SENDER);
   * its result becomes `flags`, with our flags of codes it did not return added.
   */
  evaluateFlags?: (msg: TParsedMessage) => TFlag[];
  /** OCR of pages without a text layer; absent: OCR off */
  ocr?: ParseOcrOptions;
  /**
   * AUTHSERV_ID: the authserv-ids of our own receiving servers (lower-case). Only
   * Authentication-Results stamped with one of them are believed (RFC 8601 §5).
   * @defaultValue [] (no result is trusted)
   */
  authservIds?: readonly string[];
  /**
   * Read nothing inside the files: each attachment is listed (name, size, hash, format) with
   * this reason as its error, archives are not opened. For a mail that killed its reader.
   */
  unreadReason?: string;
}

/** The parsed message plus what the parser learned about each listed file. */
export interface ParseOutcome {
  message: TParsedMessage;
  files: FileFacts[];
  /** attachments whose pages wait for the OCR phase (`ocr.mode` defer), by path */
  ocrPending: Array<{ path: string; filename: string; pages: number[] }>;
  /** what scan ↔ electronic pairing needs of each scan/electronic file with a role (the register keeps it) */
  copyFacts: TCopyFacts[];
}

const directoryCache = new WeakMap<TCampaignProfile, ApplicantDirectory>();

function directoryFor(opts: ParseOptions): ApplicantDirectory {
  if (opts.directory) return opts.directory;
  let d = directoryCache.get(opts.profile);
  if (!d) directoryCache.set(opts.profile, (d = buildApplicantDirectory(opts.profile)));
  return d;
}

/** Too big to unpack: read the header block alone, so the message is still registered. */
async function parseHeadersOnly(raw: Buffer): Promise<ParsedMail> {
  const bounds = findHeaderBlockEnd(raw);
  const head = bounds ? raw.subarray(0, bounds.headerEnd) : raw.subarray(0, 65_536);
  return simpleParser(Buffer.concat([head, Buffer.from('\r\n\r\n')]), MIME_OPTIONS);
}

/** Each header field kept from an oversized header block is cut to this many bytes. */
const FIELD_KEEP_BYTES = 16 * 1024;
/** The fields an oversized header block is reduced to: who, what, when, and the reply decision. */
const KEPT_FIELDS =
  /^(from|sender|reply-to|to|cc|subject|date|message-id|in-reply-to|references|mime-version|content-type|return-path|auto-submitted|precedence|list-id|list-unsubscribe|x-auto-response-suppress|received-spf|authentication-results|x-intake-loop)$/i;

/** The kept fields of a header block, each at most FIELD_KEEP_BYTES, Received lines left out. */
function reduceHeaderBlock(raw: Buffer): Buffer {
  const bounds = findHeaderBlockEnd(raw);
  const fields = raw.toString('latin1', 0, bounds ? bounds.headerEnd : raw.length).split(/\r?\n(?![ \t])/);
  const kept = fields.filter((f) => KEPT_FIELDS.test(f.slice(0, Math.max(0, f.indexOf(':'))).trim()));
  return Buffer.from(kept.map((f) => cutField(f).replace(/\r?\n$/, '')).join('\r\n'), 'latin1');
}

/** At most FIELD_KEEP_BYTES of a (latin1-held) field, not splitting a UTF-8 sequence: a raw 8-bit subject stays decodable. */
function cutField(field: string): string {
  if (field.length <= FIELD_KEEP_BYTES) return field;
  let end = FIELD_KEEP_BYTES;
  while (end > 0 && (field.charCodeAt(end) & 0xc0) === 0x80) end--;
  return field.slice(0, end);
}

/**
 * The MIME tree itself was refused (over mailparser's limits: a header block
 * over 1 MB, more than 1000 parts): the headers, or the fields that matter
 * cut to size, so the message is still registered and answered.
 */
async function parseHeadersLeniently(raw: Buffer, notes: string[]): Promise<ParsedMail> {
  try {
    return await parseHeadersOnly(raw);
  } catch {
    notes.push(
      `邮件头过长，只保留了发件人、主题、日期等字段（每个字段至多 ${FIELD_KEEP_BYTES / 1024} KB） (header block over the parser's limit, reduced)`,
    );
    try {
      return await simpleParser(Buffer.concat([reduceHeaderBlock(raw), Buffer.from('\r\n\r\n')]), MIME_OPTIONS);
    } catch (err) {
      notes.push(`邮件头无法解析 (headers unreadable: ${(err as Error).message})`);
      return simpleParser(Buffer.from('\r\n\r\n'), MIME_OPTIONS);
    }
  }
}

async function readMime(
  raw: Buffer,
  limits: ParseLimits,
  notes: string[],
  logger?: ParserLogger,
): Promise<{ parsed: ParsedMail; whole: boolean }> {
  if (!looksLikeRfc822(raw)) notes.push('内容不像 RFC 822 邮件（缺少邮件头），按纯文本处理 (no RFC 822 header block)');
  try {
    if (raw.length > limits.maxMessageBytes) {
      notes.push(
        `邮件过大（${(raw.length / 1024 / 1024).toFixed(1)} MB，上限 ${(limits.maxMessageBytes / 1024 / 1024).toFixed(0)} MB），只读取了邮件头，附件未解析 (message over the size limit)`,
      );
      return { parsed: await parseHeadersLeniently(raw, notes), whole: false };
    }
    try {
      return { parsed: await parseMimeLifting(raw), whole: true };
    } catch (err) {
      const reason = (err as Error).message;
      logger?.warn({ code: 'parse.mime-refused', err }, 'MIME structure refused; reading the headers only');
      notes.push(`邮件结构无法解析（${reason}），只读取了邮件头，正文和附件未解析 (MIME structure refused: ${reason})`);
      return { parsed: await parseHeadersLeniently(raw, notes), whole: false };
    }
  } catch (err) {
    throw new AppError('PARSE_FAILED', {
      message: `cannot parse message: ${(err as Error).message}`,
      cause: err,
      permanent: true,
    });
  }
}

/** Download links in the body (text and HTML parts) and in the bodies of forwarded messages. */
function linkedFilesOf(body: string, parsed: ParsedMail, ctx: WalkContext): LinkedFile[] {
  const html = typeof parsed.html === 'string' ? parsed.html : null;
  const own = findLinkedAttachments(body, html);
  const forwarded = ctx.forwarded.flatMap((f) => findLinkedAttachments(f.body, null));
  const seen = new Set(own.map((l) => l.url));
  return [...own, ...forwarded.filter((l) => !seen.has(l.url) && seen.add(l.url))];
}

function linkEvidence(l: LinkedFile): TEvidence {
  return {
    field: 'linkedAttachment',
    value: l.filename,
    text: l.url,
    source: 'body',
    reason: [
      l.provider,
      l.size,
      l.expires ? `${l.expires}到期` : null,
      l.code ? `提取码 ${l.code}` : null,
      '系统未下载',
    ]
      .filter(Boolean)
      .join('，'),
  };
}

/** How the tables whose rows made it into `projects` were read: header, unit, rows that are not projects. */
function tableEvidence(files: FileFacts[], projects: TParsedMessage['projects']): TEvidence[] {
  const used = new Set(projects.map((p) => p.source));
  return files.filter((f) => used.has(f.attachment.path)).flatMap((f) => f.evidence ?? []);
}

/** One raw RFC 822 message → the per-message JSON, reading attachments in `pool`. */
export async function parseWithPool(raw: Buffer, opts: ParseOptions, pool: ExtractPool): Promise<ParseOutcome> {
  const limits = resolveLimits(opts.limits);
  const notes: string[] = [];
  const { parsed, whole } = await readMime(raw, limits, notes, opts.logger);
  const rawHeaders = new RawHeaders(parsed.headerLines);
  const ctx: WalkContext = {
    limits,
    profile: opts.profile,
    pool,
    budget: { usedBytes: 0 },
    notes,
    forwarded: [],
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.ocr ? { ocr: opts.ocr } : {}),
    ocrBudget: { used: 0 },
    work: {
      bytes: 0,
      pages: 0,
      deadline: Date.now() + limits.messageBudgetMs,
      ...(opts.unreadReason ? { unreadReason: opts.unreadReason } : {}),
    },
  };
  const files = whole ? await walkMailAttachments(parsed, '', 0, ctx) : [];
  const subject = subjectOf(parsed, rawHeaders);
  const headers = buildMailHeaders(parsed, rawHeaders);
  const body = whole ? bodyTextOf(parsed, raw, rawHeaders) : '';
  const links = whole ? linkedFilesOf(body, parsed, ctx) : [];
  const projects = mergeProjects(files);
  const { metrics, evidence: metricEvidence } = computeMetrics(files, projects, body, opts.profile);
  const detection = detectAll(
    {
      subject,
      fromName: headers.fromName,
      fromAddress: headers.fromAddress,
      body,
      facts: files,
      forwarded: ctx.forwarded,
    },
    opts.profile,
    directoryFor(opts),
  );
  const received = resolveReceivedAt(
    opts.receivedAt,
    opts.receivedAtSource,
    parsed.headers.has('date') ? parsed.date : undefined,
    rawHeaders,
  );
  const assembled: TParsedMessage = {
    messageId: parsed.messageId ?? null,
    from: formatFrom(senderName(parsed, rawHeaders), senderAddress(parsed)),
    subject,
    receivedAt: received.receivedAt,
    receivedAtSource: received.source,
    applicant: detection.applicant,
    cluster: detection.cluster,
    field: detection.field,
    attachments: files.map((f) => f.attachment),
    projects,
    metrics,
    flags: [],
    evidence: [...detection.evidence, ...metricEvidence, ...tableEvidence(files, projects), ...links.map(linkEvidence)],
    bodyExcerpt: body.trim().slice(0, 2000),
    headers,
    sha256: sha256Of(raw),
    ...(notes.length > 0 ? { notes } : {}),
  };
  const message = cleanStrings(assembled);
  // the per-file facts point at the cleaned attachment entries, as before
  files.forEach((f, i) => {
    const a = message.attachments[i];
    if (a) f.attachment = a;
  });
  const receivedSpf = rawHeaders.all('received-spf');
  const authservIds = opts.authservIds ?? [];
  message.authentication = authenticationOf(message, receivedSpf, authservIds);
  const paired = pairWithinMessage(files, opts.profile);
  markOcrEvidence(message);
  const own = [...builtinFlags(message, receivedSpf, opts.profile.labels, links, authservIds), ...paired.flags];
  message.flags = opts.evaluateFlags ? mergeFlags(opts.evaluateFlags({ ...message, flags: own }), own) : own;
  const ocrPending = files
    .filter((f) => (f.ocr?.pending.length ?? 0) > 0)
    .map((f) => ({ path: f.attachment.path, filename: f.attachment.filename, pages: f.ocr?.pending ?? [] }));
  return { message, files, ocrPending, copyFacts: paired.copyFacts };
}

/** Figures and detections read from OCR'd words say so, with the reading's confidence (dashboard: 低置信度). */
function markOcrEvidence(message: TParsedMessage): void {
  const ocrText = new Map(
    message.attachments.flatMap((a) => (a.text?.source === 'ocr' ? [[a.path, a.text.confidence ?? 0] as const] : [])),
  );
  for (const e of message.evidence ?? []) {
    const confidence = ocrText.get(e.source);
    if (confidence !== undefined) Object.assign(e, { fromOcr: true, confidence });
  }
}
