import type { ApplicantDirectory, TCampaignProfile } from '@intake/domain';
import type { Logger } from '@intake/logger';
import type { PipelineQueues } from '@intake/queue';
import type { RawStore } from '@intake/raw-archive';
import type { Db } from '@intake/register-store';
import type { AckCaps, Transport } from '@intake/ack-mailer';
import type { OcrService } from '@intake/ocr';

/** OCR in the worker: phase 2 of a message with scans (see jobs/ocr-message.handler.ts). */
export interface WorkerOcr {
  service: OcrService;
  /** OCR pages per message */
  maxPages: number;
  /** how long the reply waits for the scans before it says they are still being read, ms */
  replyWaitMs: number;
  /** OCR jobs at once in this process */
  concurrency: number;
}

/** Everything a job handler needs, built once per process by the CLI. */
export interface WorkerContext {
  db: Db;
  rawStore: RawStore;
  queues: PipelineQueues;
  profile: TCampaignProfile;
  directory: ApplicantDirectory;
  logger: Logger;
  /** null when SMTP_URL is unset: replies are composed and stored, not sent */
  transport: Transport | null;
  ackFrom: string;
  ackTemplateDir?: string;
  /** automatic replies per hour per address, per domain and in total */
  ackCaps: AckCaps;
  parseLimits: {
    attachmentTimeoutMs: number;
    maxAttachmentBytes: number;
    maxOfficeUnpackedBytes?: number;
    messageBudgetBytes?: number;
    messageBudgetPages?: number;
    messageBudgetMs?: number;
  };
  /** RSS cap of the sandboxed re-read of a message whose reading killed a worker process. @defaultValue 1024 */
  isolatedMemoryMb?: number;
  /** tests only: the module extraction threads import their readers from */
  extractorModule?: string;
  /** extraction threads of this process @defaultValue the pool's own (2–4 from the cores) */
  parseThreads?: number;
  /** absent: OCR off (scans are listed, their words not read) */
  ocr?: WorkerOcr;
  /** AUTHSERV_ID: whose Authentication-Results to believe @defaultValue [] (none) */
  authservIds?: readonly string[];
}
