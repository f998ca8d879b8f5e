import { z } from 'zod';
import { ZAttachmentKind, ZCopyType, ZDocumentRole, ZFlag, ZMetrics } from '@intake/domain';

/**
 * What a reply says, as data the lead maps from the register. Everything in
 * here that came from an email (subject, file names, names) is untrusted and
 * is cleaned on the way into headers and HTML by composeAck.
 */
const ZIsoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date-time');

export const ZAckAttachment = z.object({
  filename: z.string(),
  path: z.string(),
  kind: ZAttachmentKind,
  copy: ZCopyType,
  roles: z.array(ZDocumentRole),
  error: z.string().optional(),
  /** its scanned pages were still queued for OCR when the reply was composed */
  ocrPending: z.boolean().optional(),
});
export type TAckAttachment = z.infer<typeof ZAckAttachment>;

/** The application's state across all of its messages so far. */
export const ZAckApplication = z.object({
  applicantName: z.string().nullable(),
  cluster: z.string().nullable(),
  copies: z.object({ scan: z.boolean(), electronic: z.boolean() }),
  documents: z.object({ formalDocument: z.boolean(), materials: z.boolean(), projectTable: z.boolean() }),
  flags: z.array(ZFlag),
  metrics: ZMetrics,
  messageCount: z.number().int().nonnegative(),
  late: z.boolean(),
});
export type TAckApplication = z.infer<typeof ZAckApplication>;

export const ZOriginalMessage = z.object({
  messageId: z.string().nullable(),
  subject: z.string(),
  from: z.string(),
  replyTo: z.string().nullable(),
  references: z.array(z.string()).default([]),
});

export const ZAckContext = z.object({
  /** the raw message's sha256: part of our deterministic Message-ID */
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** this message's receipt number, e.g. 2020-0007-2 */
  receiptNo: z.string().min(1),
  /** the application's, e.g. 2020-0007 */
  applicationReceiptNo: z.string().min(1),
  original: ZOriginalMessage,
  /** server receipt time */
  receivedAt: ZIsoInstant,
  attachments: z.array(ZAckAttachment),
  application: ZAckApplication,
  deadline: ZIsoInstant,
  timezone: z.string().min(1),
  contact: z.string(),
  submitTo: z.string(),
  /** a staff-triggered resend: what changed against the application's previous state */
  resend: z.object({ changes: z.array(z.string()) }).optional(),
  /**
   * The sender's address is not confirmed for the applicant (UNCONFIRMED_SENDER): the reply
   * acknowledges receipt of this mail only and says nothing about the application.
   */
  receiptOnly: z.boolean().optional(),
});
export type TAckContext = z.infer<typeof ZAckContext>;
export type TAckContextInput = z.input<typeof ZAckContext>;

/**
 * The missing-items reminder (提醒). `application` is null for a unit that has
 * not applied at all; `original` threads the reminder under its latest mail.
 */
export const ZReminderContext = z.object({
  applicant: z.object({ code: z.string().min(1), name: z.string().min(1) }),
  applicationReceiptNo: z.string().nullable(),
  application: ZAckApplication.nullable(),
  original: ZOriginalMessage.nullable(),
  deadline: ZIsoInstant,
  timezone: z.string().min(1),
  contact: z.string(),
  submitTo: z.string(),
});
export type TReminderContext = z.infer<typeof ZReminderContext>;
export type TReminderContextInput = z.input<typeof ZReminderContext>;
