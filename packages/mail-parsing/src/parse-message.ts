import { AppError, buildApplicantDirectory, type ApplicantDirectory, type TCampaignProfile, type TFlag, type TParsedMessage } from '@intake/domain';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { TFileFacts, TLogger, TWalkContext } from './file-facts.js';
import { walkMailAttachments } from './file-walk.js';
import { sha256Of } from './leaf-analysis.js';
import { resolveLimits, type ParseLimits } from './limits.js';
import { bodyTextOf } from './body-text.js';
import { buildMailHeaders, formatFrom, senderAddress, senderName, subjectOf } from './mail-headers.js';
import { detectAll } from './message-detection.js';
import { builtinFlags, mergeFlags } from './message-flags.js';
import { computeMetrics, mergeProjects } from './message-metrics.js';
import { MIME_OPTIONS } from './mime-options.js';
import { RawHeaders } from './raw-headers.js';
import { resolveReceivedAt, type TReceivedAtSource } from './received-at.js';
import { looksLikeRfc822 } from './sniff-format.js';
import type { ExtractPool } from './worker-pool.js';

export interface ParseOptions {
  profile: TCampaignProfile;
  /** @defaultValue built from `profile` (and cached per profile object) */
  directory?: ApplicantDirectory;
  /** the server's receipt time (IMAP INTERNALDATE, `--received-at`, mbox From_ line) */
  receivedAt?: Date | null;
  /** where `receivedAt` came from. @defaultValue 'argument' */
  receivedAtSource?: TReceivedAtSource;
  limits?: Partial<ParseLimits>;
  logger?: TLogger;
  /**
   * The notice's checks (validation-rules). Called with the finished message
   * whose `flags` hold the parser's own (UNREADABLE_ATTACHMENT, UNVERIFIED_SENDER);
   * its result becomes `flags`, with our flags of codes it did not return added.
   */
  evaluateFlags?: (msg: TParsedMessage) => TFlag[];
}

/** The parsed message plus what the parser learned about each listed file. */
export interface TParseOutcome {
  message: TParsedMessage;
  files: TFileFacts[];
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
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = end >= 0 ? raw.subarray(0, end) : raw.subarray(0, 65_536);
  return simpleParser(Buffer.concat([head, Buffer.from('\r\n\r\n')]), MIME_OPTIONS);
}

async function readMime(raw: Buffer, limits: ParseLimits, notes: string[]): Promise<{ parsed: ParsedMail; whole: boolean }> {
  if (!looksLikeRfc822(raw)) notes.push('内容不像 RFC 822 邮件（缺少邮件头），按纯文本处理 (no RFC 822 header block)');
  try {
    if (raw.length > limits.maxMessageBytes) {
      notes.push(`邮件过大（${(raw.length / 1024 / 1024).toFixed(1)} MB，上限 ${(limits.maxMessageBytes / 1024 / 1024).toFixed(0)} MB），只读取了邮件头，附件未解析 (message over the size limit)`);
      return { parsed: await parseHeadersOnly(raw), whole: false };
    }
    return { parsed: await simpleParser(raw, MIME_OPTIONS), whole: true };
  } catch (err) {
    throw new AppError('PARSE_FAILED', { message: `cannot parse message: ${(err as Error).message}`, cause: err, permanent: true });
  }
}

/** One raw RFC 822 message → the per-message JSON, reading attachments in `pool`. */
export async function parseWithPool(raw: Buffer, opts: ParseOptions, pool: ExtractPool): Promise<TParseOutcome> {
  const limits = resolveLimits(opts.limits);
  const notes: string[] = [];
  const { parsed, whole } = await readMime(raw, limits, notes);
  const rawHeaders = new RawHeaders(parsed.headerLines);
  const ctx: TWalkContext = { limits, profile: opts.profile, pool, budget: { usedBytes: 0 }, notes, forwarded: [], ...(opts.logger ? { logger: opts.logger } : {}) };
  const files = whole ? await walkMailAttachments(parsed, '', 0, ctx) : [];
  const subject = subjectOf(parsed, rawHeaders);
  const headers = buildMailHeaders(parsed, rawHeaders);
  const body = whole ? bodyTextOf(parsed, raw, rawHeaders) : '';
  const projects = mergeProjects(files);
  const { metrics, evidence: metricEvidence } = computeMetrics(files, projects, body, opts.profile);
  const detection = detectAll({ subject, fromName: headers.fromName, fromAddress: headers.fromAddress, body, facts: files, forwarded: ctx.forwarded }, opts.profile, directoryFor(opts));
  const received = resolveReceivedAt(opts.receivedAt, opts.receivedAtSource, parsed.headers.has('date') ? parsed.date : undefined, rawHeaders);
  const message: TParsedMessage = {
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
    evidence: [...detection.evidence, ...metricEvidence],
    bodyExcerpt: body.trim().slice(0, 2000),
    headers,
    sha256: sha256Of(raw),
    ...(notes.length > 0 ? { notes } : {}),
  };
  const own = builtinFlags(message, rawHeaders.all('received-spf'), opts.profile.labels);
  message.flags = opts.evaluateFlags ? mergeFlags(opts.evaluateFlags({ ...message, flags: own }), own) : own;
  return { message, files };
}
