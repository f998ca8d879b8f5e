import { z } from 'zod';
import { ZMailClass } from './mail-class.js';

/**
 * The per-message JSON of `intake parse` (../shared/CONTRACT.md). This is a
 * public format: users' scripts read it. Extra fields are allowed; renaming
 * or re-meaning one needs a CHANGELOG entry.
 */

export const ATTACHMENT_KINDS = ['spreadsheet', 'pdf', 'document', 'image', 'archive', 'email', 'other'] as const;
export const ZAttachmentKind = z.enum(ATTACHMENT_KINDS);
export type TAttachmentKind = z.infer<typeof ZAttachmentKind>;

export const COPY_TYPES = ['scan', 'electronic', 'unknown'] as const;
export const ZCopyType = z.enum(COPY_TYPES);
export type TCopyType = z.infer<typeof ZCopyType>;

export const DOCUMENT_ROLES = ['formal-document', 'materials', 'project-table'] as const;
export const ZDocumentRole = z.enum(DOCUMENT_ROLES);
export type TDocumentRole = z.infer<typeof ZDocumentRole>;

/**
 * Evidence kinds: the figures and detections, plus (additive) the table-reading
 * decisions and the download links a mail gives instead of attachments.
 * - totalOutput: an output figure stated for a year other than the notice's (it is not totalOutput2019)
 * - projectTable: which sheet/table and header were read as 附件2
 * - investmentUnit: where the table states its money unit (amounts are reported in 万元)
 * - skippedRow: a row that is not a project (section heading, 小计/合计, notes, repeated header, unit row…)
 * - linkedAttachment: a file sent as a download link (超大附件, 网盘)
 */
export const EVIDENCE_FIELDS = [
  'totalOutput2019',
  'largeEnterprises',
  'dataYear',
  'applicant',
  'cluster',
  'field',
  'totalOutput',
  'projectTable',
  'investmentUnit',
  'skippedRow',
  'linkedAttachment',
] as const;

/** A figure or reading decision, with the sentence or cells it came from. */
export const ZEvidence = z.object({
  field: z.enum(EVIDENCE_FIELDS),
  value: z.union([z.number(), z.string()]).nullable(),
  /** the sentence or cell text the value was read from */
  text: z.string(),
  /** attachment path (see ZAttachment.path), or "subject"/"body"/"sender" */
  source: z.string(),
  /** the cells the decision rests on, Excel notation: "Sheet1!A5:H5"; Word/PDF tables: "table 2!A5:H5", "page 3!A1:G1" */
  range: z.string().optional(),
  /** the year the figure is stated for, when the text says */
  year: z.number().int().optional(),
  /** why the reader decided so, for staff: "分组标题行，不是项目" */
  reason: z.string().optional(),
  /** the words came from OCR of a scan or photo (not a text layer) */
  fromOcr: z.boolean().optional(),
  /** with fromOcr: the OCR reading's mean confidence, 0–1 */
  confidence: z.number().min(0).max(1).optional(),
});
export type TEvidence = z.infer<typeof ZEvidence>;

/** Where an attachment's words came from (CONTRACT: "Additions for reading scans and formats"). */
export const ZTextSource = z.enum(['text-layer', 'ocr', 'none']);
export type TTextSource = z.infer<typeof ZTextSource>;

export const ZAttachmentText = z.object({
  source: ZTextSource,
  chars: z.number().int().nonnegative(),
  /** OCR only: the engine's mean confidence, 0–1 */
  confidence: z.number().min(0).max(1).optional(),
  /** scanned pages are still queued for OCR (two-phase processing): the words so far are incomplete */
  pending: z.boolean().optional(),
});
export type TAttachmentText = z.infer<typeof ZAttachmentText>;

/** The facts of a formal document (the 请示): each null when not found. */
export const ZDocumentFacts = z.object({
  /** 文号 as printed, brackets normalized to 〔〕 and full-width digits to ASCII */
  number: z.string().nullable(),
  issuer: z.string().nullable(),
  title: z.string().nullable(),
  /** 成文日期, ISO date */
  date: z.string().nullable(),
  /** a red seal seen on a scan; null for electronic files */
  sealed: z.boolean().nullable(),
});
export type TDocumentFacts = z.infer<typeof ZDocumentFacts>;

export const ZAttachment = z.object({
  /** path inside the message: nested archives and forwarded mails joined with "/" */
  path: z.string(),
  filename: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  kind: ZAttachmentKind,
  copy: ZCopyType,
  roles: z.array(ZDocumentRole),
  /** set when the file could not be read; the message still goes on */
  error: z.string().optional(),
  contentType: z.string().optional(),
  /** human-readable reasons for kind/copy/roles, for staff and debugging */
  notes: z.array(z.string()).optional(),
  /** PDF page count, when known */
  pages: z.number().int().nonnegative().optional(),
  /** where the words came from; absent when the file was not read for words */
  text: ZAttachmentText.optional(),
  /** on attachments whose role is formal-document */
  document: ZDocumentFacts.optional(),
  /** sha256 of the attachment in the same application that is the other copy (scan ↔ electronic) of this one */
  copyOf: z.string().optional(),
  /** the text similarity `copyOf` rests on, 0–1 */
  similarity: z.number().min(0).max(1).optional(),
});
export type TAttachment = z.infer<typeof ZAttachment>;

export const ZProject = z.object({
  name: z.string(),
  owner: z.string().nullable(),
  location: z.string().nullable(),
  /** 万元, whatever unit the source used */
  totalInvestment: z.number().nullable(),
  period: z.string().nullable(),
  /** 1-based row in the sheet */
  row: z.number().int().positive(),
  sheet: z.string(),
  /** attachment path the row was read from */
  source: z.string().optional(),
  /** the cells of the row, Excel notation: "Sheet1!A5:H5" */
  range: z.string().optional(),
  /** rows read by OCR from a scan or photo: the confidence (0–1) of each value's box */
  ocrConfidence: z
    .object({
      name: z.number(),
      owner: z.number(),
      location: z.number(),
      totalInvestment: z.number(),
      period: z.number(),
    })
    .partial()
    .optional(),
  /** OCR read a value of this row below the trust threshold: staff should check it (低置信度) */
  lowConfidence: z.boolean().optional(),
});
export type TProject = z.infer<typeof ZProject>;

export const ZMetrics = z.object({
  /** 亿元 */
  totalOutput2019: z.number().nullable(),
  largeEnterprises: z.number().int().nullable(),
  projectCount: z.number().int().nullable(),
  /** projects with totalInvestment ≥ the profile's threshold (3000万元) */
  largeProjects: z.number().int().nullable(),
  /** 万元, sum over projects with a known investment */
  totalInvestment: z.number().nullable(),
  /** the year the output figures are for, as stated in the text */
  dataYear: z.number().int().nullable().optional(),
});
export type TMetrics = z.infer<typeof ZMetrics>;

export const ZFlag = z.object({
  code: z.string(),
  label: z.string(),
  detail: z.string(),
});
export type TFlag = z.infer<typeof ZFlag>;

/**
 * Headers that decide whether we may auto-reply (RFC 3834) and how to thread,
 * copied out of the raw message so the reply stage never re-parses MIME.
 */
export const ZMailHeaders = z.object({
  replyTo: z.string().nullable(),
  fromAddress: z.string().nullable(),
  fromName: z.string().nullable(),
  to: z.array(z.string()),
  dateHeader: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  autoSubmitted: z.string().nullable(),
  precedence: z.string().nullable(),
  listId: z.string().nullable(),
  listUnsubscribe: z.string().nullable(),
  xAutoResponseSuppress: z.string().nullable(),
  authenticationResults: z.array(z.string()),
  returnPath: z.string().nullable(),
  /** our own loop-guard header, when the message is one of our replies coming back */
  loopGuard: z.string().nullable(),
  contentType: z.string().nullable(),
  /** auto-responders that do not set Auto-Submitted (X-Autoreply: yes, X-Autorespond) */
  xAutoreply: z.string().nullable().optional(),
  xAutorespond: z.string().nullable().optional(),
});
export type TMailHeaders = z.infer<typeof ZMailHeaders>;

/** A message that carried none of these headers (a stored message from before they were kept). */
export function emptyMailHeaders(): TMailHeaders {
  return {
    replyTo: null,
    fromAddress: null,
    fromName: null,
    to: [],
    dateHeader: null,
    inReplyTo: null,
    references: [],
    autoSubmitted: null,
    precedence: null,
    listId: null,
    listUnsubscribe: null,
    xAutoResponseSuppress: null,
    authenticationResults: [],
    returnPath: null,
    loopGuard: null,
    contentType: null,
  };
}

/**
 * What our own receiving server (AUTHSERV_ID) said about the sender
 * (additive). Authentication-Results stamped by any other authserv-id are
 * ignored: a sender can write them into the mail (RFC 8601 §5).
 */
export const ZAuthentication = z.object({
  /** at least one result stamped by our own receiving server exists */
  trusted: z.boolean(),
  /** AUTHSERV_ID was set; false: no result can be trusted */
  configured: z.boolean(),
  /** the trusted results, e.g. { method: "dkim", result: "fail", authservId: "mx.fgw.jl.gov.cn" } */
  results: z.array(z.object({ method: z.string(), result: z.string(), authservId: z.string() })),
  /** Authentication-Results / Received-SPF headers ignored (another server's, or written by the sender) */
  ignoredHeaders: z.number().int().nonnegative(),
});
export type TAuthentication = z.infer<typeof ZAuthentication>;

export const ZParsedMessage = z.object({
  messageId: z.string().nullable(),
  from: z.string(),
  subject: z.string(),
  /** the mail server's receipt time (INTERNALDATE), or --received-at, or the Date header as a last resort */
  receivedAt: z.string().nullable(),
  receivedAtSource: z.enum(['server', 'argument', 'mbox', 'date-header', 'received-header', 'unknown']).optional(),
  applicant: z.object({ code: z.string(), name: z.string() }).nullable(),
  cluster: z.string().nullable(),
  field: z.string().nullable(),
  attachments: z.array(ZAttachment),
  projects: z.array(ZProject),
  metrics: ZMetrics,
  flags: z.array(ZFlag),
  evidence: z.array(ZEvidence).optional(),
  /** first part of the plain-text body, for staff */
  bodyExcerpt: z.string().optional(),
  headers: ZMailHeaders.optional(),
  /** our receiving server's sender checks; absent in messages read before it existed */
  authentication: ZAuthentication.optional(),
  /** the raw message's sha256 */
  sha256: z.string().optional(),
  /** message-level parser notes for staff (inline images left out, size limits hit…) */
  notes: z.array(z.string()).optional(),
  /** submission, auto-reply, bounce or reply (to our 回执); set by the pipeline (mail-class.ts) */
  mailClass: ZMailClass.optional(),
});
export type TParsedMessage = z.infer<typeof ZParsedMessage>;
