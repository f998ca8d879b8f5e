import { z } from 'zod';
import { ZAttachment, ZAuthentication, ZFlag, ZMetrics, ZProject } from '@intake/domain';
import { REVIEW_STATUSES } from '../review.js';

/**
 * The Register JSON of CONTRACT.md (`intake register export --format json`).
 * A public format: extra fields may be added, names and meanings stay.
 */
export const ZAck = z.object({
  status: z.enum(['sent', 'stored', 'skipped']),
  at: z.string().nullable(),
  /** why it was skipped, or that it is still pending or failed to send */
  reason: z.string().nullable(),
});

/**
 * Staff corrections in the export (additive, issue 11): a corrected fact says
 * `corrected: true`, what the pipeline reads (`original`), the value that
 * counts (`value`) and who corrected it, when and why.
 */
export const ZCorrectionNote = z.object({
  field: z.string(),
  /** the value as the pipeline reads it now (null when the row or file is gone, or staff added it) */
  original: z.unknown(),
  value: z.unknown(),
  by: z.string(),
  at: z.string(),
  reason: z.string(),
});
export type TCorrectionNote = z.infer<typeof ZCorrectionNote>;

export const ZCorrectedFact = ZCorrectionNote.extend({ corrected: z.literal(true) });

export const ZRegisterAttachment = ZAttachment.extend({
  corrected: z.literal(true).optional(),
  original: z.object({ copy: z.string(), roles: z.array(z.string()), error: z.string().optional() }).optional(),
  corrections: z.array(ZCorrectionNote).optional(),
});

export const ZCorrectionLogEntry = ZCorrectionNote.extend({
  id: z.number(),
  scope: z.enum(['application', 'attachment', 'project', 'project-added']),
  /** what was corrected, in words (“项目：…（Sheet1 第5行）”, “附件：请示.pdf”) */
  target: z.string(),
  /** the value before the correction, as it was then */
  before: z.unknown(),
  status: z.enum(['applied', 'agrees', 'not-found', 'not-current', 'removed']),
  removedAt: z.string().nullable(),
  removedBy: z.string().nullable(),
  removedReason: z.string().nullable(),
});
export type TCorrectionLogEntry = z.infer<typeof ZCorrectionLogEntry>;

export const ZRegisterMessage = z.object({
  messageId: z.string().nullable(),
  from: z.string(),
  subject: z.string(),
  /** the earliest server receipt time of its deliveries */
  receivedAt: z.string(),
  attachments: z.array(ZRegisterAttachment),
  /** null while no reply has been composed for it */
  ack: ZAck.nullable(),
  receiptNo: z.string(),
  sha256: z.string(),
  late: z.boolean(),
  flags: z.array(ZFlag),
  /** the sender address against the applicant's address book (null: no applicant) — issue 12.1 */
  sender: z
    .object({
      address: z.string().nullable(),
      status: z.enum(['confirmed', 'proposed', 'unconfirmed', 'rejected']).nullable(),
    })
    .optional(),
  /** what our receiving server (AUTHSERV_ID) said; null for mail read before it was recorded — issue 12.3 */
  authentication: ZAuthentication.nullable().optional(),
});

export const ZRegisterProject = ZProject.extend({
  /** the same project (normalized name + owner) is a current project of another application */
  duplicate: z.boolean(),
  corrected: z.literal(true).optional(),
  /** a row staff added by hand (the mail's table lacks it) */
  added: z.literal(true).optional(),
  /** the row as read; null for an added row */
  original: ZProject.pick({ name: true, owner: true, location: true, totalInvestment: true, period: true })
    .nullable()
    .optional(),
  corrections: z.array(ZCorrectionNote).optional(),
});

export const ZRegisterApplication = z.object({
  receiptNo: z.string(),
  applicant: z.object({ code: z.string(), name: z.string() }).nullable(),
  cluster: z.string().nullable(),
  field: z.string().nullable(),
  firstReceivedAt: z.string().nullable(),
  lastReceivedAt: z.string().nullable(),
  copies: z.object({ scan: z.boolean(), electronic: z.boolean() }),
  documents: z.object({ formalDocument: z.boolean(), materials: z.boolean(), projectTable: z.boolean() }),
  metrics: ZMetrics,
  flags: z.array(ZFlag),
  messages: z.array(ZRegisterMessage),
  projects: z.array(ZRegisterProject),
  review: z.object({ status: z.enum(REVIEW_STATUSES), note: z.string().nullable() }),
  late: z.boolean(),
  /** corrected facts of the application, by path: applicant, cluster, field, metrics.totalOutput2019 … */
  correctedFacts: z.record(z.string(), ZCorrectedFact),
  /** rows of the current table staff marked "not a project": not counted, listed with their correction */
  excludedProjects: z.array(ZRegisterProject),
  /** every correction of this application, removed ones included (the xlsx 校正记录 sheet) */
  correctionLog: z.array(ZCorrectionLogEntry),
  /** receipt numbers of applications merged into this one */
  mergedReceiptNos: z.array(z.string()),
});

export const ZRegisterExport = z.object({
  campaign: z.string(),
  generatedAt: z.string(),
  applications: z.array(ZRegisterApplication),
  missingApplicants: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      level: z.enum(['prefecture', 'county']),
      parentCode: z.string().nullable(),
    }),
  ),
});

export type TRegisterExport = z.infer<typeof ZRegisterExport>;
export type TRegisterApplication = z.infer<typeof ZRegisterApplication>;
export type TRegisterMessage = z.infer<typeof ZRegisterMessage>;
