import { createHash } from 'node:crypto';
import { classifyPdfCopy, classifyRoles, copyHintFromName, readDocumentFacts } from '@intake/content-extraction';
import { COPY_LABELS, ROLE_LABELS, type TAttachment, type TCopyType } from '@intake/domain';
import { checkZipBomb } from './archive-expand.js';
import type {
  DocumentTextResult,
  ExtractJob,
  ProjectTableResult,
  TableFormat,
  TextFormat,
} from './extraction-protocol.js';
import type { FileFacts, FileInput, WalkContext } from './file-facts.js';
import { isOcrImage, readLeafOcr, textSummary, type LeafOcr } from './ocr-reading.js';
import type { SniffResult } from './sniff-format.js';
import { boundsOf, ExtractRefusedError, ExtractTimeoutError } from './worker-pool.js';

/** Reading one plain file (not an archive or a message): kind, content, copy type, roles. */

const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function sha256Of(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function baseAttachment(file: FileInput, sniff: SniffResult): TAttachment {
  return {
    path: file.path,
    filename: file.filename,
    sha256: sha256Of(file.data),
    bytes: file.data.length,
    kind: sniff.kind,
    copy: 'unknown',
    roles: [],
    ...(file.contentType ? { contentType: file.contentType } : {}),
    notes: [...sniff.notes],
  };
}

const TABLE_FORMATS: Partial<Record<string, TableFormat>> = { xlsx: 'xlsx', xls: 'xls', et: 'xls', csv: 'csv' };
const TEXT_FORMATS: Partial<Record<string, TextFormat>> = {
  docx: 'docx',
  doc: 'doc',
  wps: 'wps',
  pdf: 'pdf',
  txt: 'txt',
  ofd: 'ofd',
};

interface LeafContent {
  text: string | null;
  table: ProjectTableResult | null;
  pages?: DocumentTextResult['pages'];
  notes: string[];
}

function jobFor(file: FileInput, sniff: SniffResult, ctx: WalkContext): ExtractJob | null {
  const table = TABLE_FORMATS[sniff.format];
  if (table)
    return {
      op: 'table',
      format: table,
      filename: file.filename,
      largeProjectWan: ctx.profile.thresholds.largeProjectInvestmentWan,
    };
  const text = TEXT_FORMATS[sniff.format];
  return text ? { op: 'text', format: text, largeProjectWan: ctx.profile.thresholds.largeProjectInvestmentWan } : null;
}

/** Errors known from the bytes alone, before any worker is bothered. */
function precheck(file: FileInput, sniff: SniffResult, ctx: WalkContext): string | null {
  if (file.data.length > ctx.limits.maxAttachmentBytes) {
    return `文件过大（${MB(file.data.length)}，上限 ${MB(ctx.limits.maxAttachmentBytes)}），未读取 (too large)`;
  }
  if (sniff.format === 'office-encrypted')
    return '文件设有打开密码（已加密），无法读取 (password-protected Office file)';
  if (sniff.format === 'outlook-msg')
    return 'Outlook .msg 文件未解析，请以 .eml 或直接附件形式发送 (Outlook .msg not unpacked)';
  if (sniff.containerError && jobFor(file, sniff, ctx)) return `文件已损坏，无法读取 (${sniff.containerError})`;
  if (sniff.zipEntries && (sniff.format === 'xlsx' || sniff.format === 'docx')) {
    const bomb = checkZipBomb(
      sniff.zipEntries,
      sniff.zipEntryCount ?? 0,
      { ...ctx.limits, maxArchiveEntries: 100_000 },
      { usedBytes: 0 },
    );
    if (bomb) return bomb.replace('压缩包', '文件');
  }
  return null;
}

/**
 * The message's work budget, asked when a thread is free for this file: a reason when
 * it is spent, else the job with the pages and the time that are left.
 */
function admitUnderBudget(
  bytes: number,
  ctx: WalkContext,
): (job: ExtractJob, timeoutMs: number) => string | null | { job: ExtractJob; timeoutMs: number } {
  return (job, timeoutMs) => {
    const w = ctx.work;
    const l = ctx.limits;
    const left = w.deadline - Date.now();
    if (left <= 0)
      return `本邮件的读取时间预算（${l.messageBudgetMs / 1000} 秒）已用完，未读取 (message time budget spent)`;
    if (w.bytes + bytes > l.messageBudgetBytes)
      return `本邮件的读取字节预算（${MB(l.messageBudgetBytes)}）已用完，未读取 (message byte budget spent)`;
    const pagesLeft = l.messageBudgetPages - w.pages;
    const paged = job.op === 'text' && (job.format === 'pdf' || job.format === 'ofd');
    // one paged reader of a message at a time: the next one sees what the last one really read
    if (paged && w.pagedInFlight) return null;
    if (paged && pagesLeft <= 0)
      return `本邮件的读取页数预算（${l.messageBudgetPages} 页）已用完，未读取 (message page budget spent)`;
    w.bytes += bytes;
    if (paged) w.pagedInFlight = true;
    return {
      job: paged ? { ...job, maxPages: pagesLeft } : job,
      timeoutMs: Math.max(1, Math.min(timeoutMs, left)),
    };
  };
}

async function readContent(file: FileInput, sniff: SniffResult, ctx: WalkContext): Promise<LeafContent> {
  const job = jobFor(file, sniff, ctx);
  if (!job) {
    const skipped = sniff.kind === 'document' ? [`${sniff.format.toUpperCase()} 格式的内容未读取`] : [];
    return { text: null, table: null, notes: skipped };
  }
  // hash and size are taken: unless OCR may need the bytes afterwards, the worker may have them
  const transfer = !(ctx.ocr?.mode === 'inline' && (sniff.kind === 'pdf' || sniff.format === 'ofd'));
  const result = await ctx.pool.run(job, file.data, ctx.limits.attachmentTimeoutMs, {
    transfer,
    bounds: boundsOf(ctx.limits),
    admit: admitUnderBudget(file.data.length, ctx),
    onResult: (r) => {
      if ('pages' in r && r.pages) ctx.work.pages += r.pages.length;
    },
    onSettled: (admittedJob) => {
      if (admittedJob.op === 'text' && (admittedJob.format === 'pdf' || admittedJob.format === 'ofd'))
        ctx.work.pagedInFlight = false;
    },
  });
  if (job.op === 'table') {
    const table = result as ProjectTableResult;
    return { text: table.title, table, notes: table.notes };
  }
  const doc = result as DocumentTextResult;
  // a Word/PDF table is only a project table when its rows were read; its notes say how
  const table = doc.table?.found ? doc.table : null;
  return {
    text: doc.text.slice(0, ctx.limits.maxTextChars),
    table,
    pages: doc.pages,
    notes: [
      ...doc.notes,
      ...(table
        ? [`文档中的表格按项目汇总表读取（${table.sheet}，${table.projects.length}个项目）`, ...table.notes]
        : []),
    ],
  };
}

function describeError(err: unknown, ctx: WalkContext): string {
  if (err instanceof ExtractRefusedError) return err.message;
  if (err instanceof ExtractTimeoutError) {
    if (Date.now() >= ctx.work.deadline)
      return `本邮件的读取时间预算（${ctx.limits.messageBudgetMs / 1000} 秒）用完时仍未读完，已放弃 (message time budget spent while reading)`;
    return `读取超时（超过 ${ctx.limits.attachmentTimeoutMs / 1000} 秒），已放弃 (extraction timed out)`;
  }
  return `无法读取：${err instanceof Error ? err.message : String(err)}`;
}

function decideCopy(att: TAttachment, content: LeafContent | null, hint: TCopyType | null): TCopyType {
  // an unreadable file cannot be vouched for: it counts as neither copy
  if (att.error) return 'unknown';
  if (!content) return hint ?? 'unknown';
  if (att.kind === 'image') return 'scan';
  // fixed-layout files (PDF, OFD) come with pages: text layer or page images decide
  if (content.pages) {
    const verdict = classifyPdfCopy(content.pages);
    att.notes?.push(verdict.reason);
    return verdict.copy === 'unknown' ? (hint ?? 'unknown') : verdict.copy;
  }
  if (att.kind === 'spreadsheet' || att.kind === 'document') return 'electronic';
  return hint ?? 'unknown';
}

/** Reads one plain file; never throws (a failure becomes `attachment.error`). */
export async function analyseLeaf(file: FileInput, sniff: SniffResult, ctx: WalkContext): Promise<FileFacts> {
  const att = baseAttachment(file, sniff);
  const notes = att.notes!;
  const hint = copyHintFromName(file.filename);
  if (hint) notes.push(`文件名提示为${COPY_LABELS[hint]} (filename hint: ${hint})`);
  let content: LeafContent | null = null;
  const pre = precheck(file, sniff, ctx);
  if (pre) att.error = pre;
  else {
    try {
      content = await readContent(file, sniff, ctx);
      notes.push(...content.notes);
    } catch (err) {
      att.error = describeError(err, ctx);
      ctx.logger?.warn(
        { code: 'parse.attachment-unreadable', path: file.path, reason: att.error, err },
        'attachment could not be read',
      );
    }
  }
  if (content?.pages) att.pages = content.pages.length;
  att.copy = decideCopy(att, content, hint);
  const ocr = att.error ? null : await readLeafOcr(file, sniff, content?.pages, ctx);
  if (ocr) notes.push(...ocr.notes);
  if (!att.error && (sniff.kind === 'pdf' || sniff.kind === 'document' || isOcrImage(file, sniff)))
    att.text = textSummary(content?.text ?? null, ocr);
  const text = joinText(content?.text ?? null, ocr, ctx.limits.maxTextChars);
  const table = content?.table?.found ? content.table : (ocrTable(ocr) ?? content?.table ?? null);
  const roles = classifyRoles({
    filename: file.filename,
    path: file.path,
    ...(text ? { text } : {}),
    hasProjectTable: table?.found ?? false,
    kind: att.kind,
  });
  if (att.error) {
    // what it would have been goes into the notes only: an unreadable file fulfils no item
    if (roles.roles.length > 0)
      notes.push(
        `文件无法读取，不计为${roles.roles.map((r) => ROLE_LABELS[r]).join('、')}（按文件名本应是） (unreadable: would-be roles ${roles.roles.join(', ')} not counted)`,
      );
    if (hint) notes.push(`文件无法读取，不计为${COPY_LABELS[hint]} (unreadable: would-be copy ${hint} not counted)`);
  } else {
    att.roles = roles.roles;
    notes.push(...roles.reasons);
    if (att.roles.includes('formal-document')) att.document = documentFacts(text, att.copy, ocr);
  }
  if (notes.length === 0) delete att.notes;
  const projects = table?.found ? table.projects.map((p) => ({ ...p, source: file.path })) : [];
  const evidence = table?.found ? table.evidence.map((e) => ({ ...e, source: file.path })) : [];
  return { attachment: att, format: sniff.format, text, table, projects, evidence, ...(ocr ? { ocr } : {}) };
}

/** The 请示's 文号, issuer, title, date; `sealed` from the red pixels OCR measured on a scan's pages. */
function documentFacts(text: string | null, copy: TCopyType, ocr: LeafOcr | null): TAttachment['document'] {
  // red below the header (a seal) when OCR measured it; the whole page's red for records made before
  const shares = (ocr?.pages ?? []).flatMap((p) => {
    const share = p.record.lowerRedShare ?? p.record.redShare;
    return share === undefined ? [] : [share];
  });
  return readDocumentFacts({
    text: text ?? '',
    scanned: copy === 'scan',
    redShare: shares.length > 0 ? Math.max(...shares) : null,
  });
}

/** The text layer and the OCR'd words together, for roles, figures and applicant detection. */
function joinText(layer: string | null, ocr: LeafOcr | null, maxChars: number): string | null {
  const parts = [layer?.trim() ?? '', ocr?.text ?? ''].filter((t) => t !== '');
  return parts.length === 0 ? layer : parts.join('\n\n').slice(0, maxChars);
}

/** A project table read from OCR boxes, in the shape of a spreadsheet reading. */
function ocrTable(ocr: LeafOcr | null): ProjectTableResult | null {
  const t = ocr?.table;
  if (!t?.found) return null;
  return {
    found: true,
    sheet: `page ${t.pages[0] ?? 1}`,
    headerRow: null,
    unit: '万元',
    title: null,
    projects: t.projects,
    notes: t.notes,
    evidence: [],
  };
}
