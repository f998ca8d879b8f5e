import { z } from 'zod';
import { ZCopyType, ZDocumentFacts, ZDocumentRole } from './parsed-message.js';

/**
 * What scan ↔ electronic pairing (issue 10 §5) needs to know of one
 * attachment, kept by the register (migration 007) so a scan that arrives in
 * a resend is paired with the electronic copy of an earlier message.
 */
export const ZCopyFacts = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  path: z.string(),
  copy: ZCopyType,
  roles: z.array(ZDocumentRole),
  /** the words, normalized for comparison (no spaces or punctuation), capped */
  text: z.string(),
  /** project names read from this file (its own rows, before the message's de-duplication) */
  projectNames: z.array(z.string()),
  projectCount: z.number().int().nonnegative().nullable(),
  /** 万元 */
  totalInvestment: z.number().nullable(),
  /** some amount was read by OCR below the trust threshold: totals are not compared */
  uncertainAmounts: z.boolean(),
  document: ZDocumentFacts.nullable(),
  /** the head of the words as read, line breaks kept, for showing the two copies side by side */
  excerpt: z.string().optional(),
});
export type TCopyFacts = z.infer<typeof ZCopyFacts>;
