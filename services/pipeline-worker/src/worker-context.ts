import type { ApplicantDirectory, TCampaignProfile } from '@intake/domain';
import type { Logger } from '@intake/logger';
import type { PipelineQueues } from '@intake/queue';
import type { RawStore } from '@intake/raw-archive';
import type { Db } from '@intake/register-store';
import type { Transport } from '@intake/ack-mailer';

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
  ackRateLimitPerHour: number;
  parseLimits: { attachmentTimeoutMs: number; maxAttachmentBytes: number };
}
