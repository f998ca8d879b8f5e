import { z } from 'zod';
import { ZAttachment, ZFlag, ZMetrics, ZProject } from '@intake/domain';
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

export const ZRegisterMessage = z.object({
  messageId: z.string().nullable(),
  from: z.string(),
  subject: z.string(),
  /** the earliest server receipt time of its deliveries */
  receivedAt: z.string(),
  attachments: z.array(ZAttachment),
  /** null while no reply has been composed for it */
  ack: ZAck.nullable(),
  receiptNo: z.string(),
  sha256: z.string(),
  late: z.boolean(),
  flags: z.array(ZFlag),
});

export const ZRegisterProject = ZProject.extend({
  /** the same project (normalized name + owner) is a current project of another application */
  duplicate: z.boolean(),
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
