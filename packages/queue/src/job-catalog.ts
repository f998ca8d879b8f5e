import { z } from 'zod';

/**
 * Every queue, job name and payload of the pipeline, in one place. Payloads
 * carry ids (the raw message's sha256, an application id), never blobs: the
 * raw mail lives in the archive and the register.
 *
 *   poller ──process-message──▶ parse → group/de-duplicate → register
 *                               └─validate-application──▶ flags (+ peers for DUPLICATE_PROJECT)
 *                                                         └─acknowledge-message──▶ reply (回执)
 *                               └─ocr-message (own queue, own concurrency) ──▶ re-read with OCR → re-register
 *                                                         └─validate-application (→ the waiting reply)
 */
const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const QUEUES = {
  process: 'process',
  validate: 'validate',
  acknowledge: 'acknowledge',
  /** scanned pages: seconds of CPU each, so they never wait in front of electronic mail */
  ocr: 'ocr',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const ZProcessMessage = z.object({
  sha256: ZSha256,
  /** reprocess: re-read with the current code and profile, never reply again */
  reprocess: z.boolean().default(false),
});
export type TProcessMessage = z.infer<typeof ZProcessMessage>;

export const ZValidateApplication = z.object({
  applicationId: z.number().int().positive(),
  /** the message whose arrival triggered this run: it is acknowledged afterwards */
  triggeredBySha256: ZSha256.nullable(),
  /** no acknowledgment (reprocess, peer re-validation, staff actions) */
  silent: z.boolean().default(false),
  /**
   * re-check the applications whose DUPLICATE_PROJECT may follow this one's (those sharing a project key it
   * gained or lost); false only where a caller revalidates the peers itself
   */
  propagate: z.boolean().default(true),
});
export type TValidateApplication = z.infer<typeof ZValidateApplication>;

export const ZAcknowledgeMessage = z.object({
  sha256: ZSha256,
  applicationId: z.number().int().positive(),
});
export type TAcknowledgeMessage = z.infer<typeof ZAcknowledgeMessage>;

export const ZOcrMessage = z.object({
  /** the archived message whose pages without a text layer are to be OCR'd */
  sha256: ZSha256,
});
export type TOcrMessage = z.infer<typeof ZOcrMessage>;

export const JOBS = {
  processMessage: { queue: QUEUES.process, name: 'process-message', schema: ZProcessMessage },
  validateApplication: { queue: QUEUES.validate, name: 'validate-application', schema: ZValidateApplication },
  acknowledgeMessage: { queue: QUEUES.acknowledge, name: 'acknowledge-message', schema: ZAcknowledgeMessage },
  ocrMessage: { queue: QUEUES.ocr, name: 'ocr-message', schema: ZOcrMessage },
} as const;

/**
 * Deterministic job ids (no ":" — BullMQ reserves it): the same message
 * enqueued twice, by a poller that restarted before its checkpoint or by a
 * double delivery, is one job.
 */
export const jobIds = {
  processMessage: (sha256: string, reprocessRun?: string) =>
    reprocessRun ? `reprocess-${reprocessRun}-${sha256}` : `msg-${sha256}`,
  validateApplication: (applicationId: number, trigger: string) => `validate-${applicationId}-${trigger}`,
  acknowledgeMessage: (sha256: string) => `ack-${sha256}`,
  ocrMessage: (sha256: string) => `ocr-${sha256}`,
};
