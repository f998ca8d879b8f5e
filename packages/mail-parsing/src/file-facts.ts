import type { TAttachment, TCampaignProfile, TProject } from '@intake/domain';
import type { TUnpackBudget } from './archive-expand.js';
import type { TProjectTableResult } from './extraction-protocol.js';
import type { ParseLimits } from './limits.js';
import type { TFileFormat } from './sniff-format.js';
import type { ExtractPool } from './worker-pool.js';

/** What the parser learned about one listed file, beyond the public attachment entry. */
export interface TFileFacts {
  attachment: TAttachment;
  format: TFileFormat;
  /** extracted document text (truncated to `maxTextChars`), null when none was read */
  text: string | null;
  /** the project-table reading of a spreadsheet, null for other files */
  table: TProjectTableResult | null;
  /** projects read from this file, each with `source` = the attachment path */
  projects: TProject[];
}

/** A forwarded message met inside the mail, for applicant/cluster detection. */
export interface TForwardedFacts {
  path: string;
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  body: string;
}

/** A file to list: a MIME attachment, an archive member or a forwarded message's attachment. */
export interface TFileInput {
  path: string;
  filename: string;
  data: Buffer;
  contentType?: string;
}

export interface TLogger {
  debug: (obj: object, msg?: string) => void;
  info: (obj: object, msg?: string) => void;
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
  child?: (bindings: object) => TLogger;
}

/** Shared state of one message's walk. */
export interface TWalkContext {
  limits: ParseLimits;
  profile: TCampaignProfile;
  pool: ExtractPool;
  budget: TUnpackBudget;
  /** message-level notes (inline images left out, forwarded messages opened…) */
  notes: string[];
  forwarded: TForwardedFacts[];
  logger?: TLogger;
}
