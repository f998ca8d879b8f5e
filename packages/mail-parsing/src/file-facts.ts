import type { TAttachment, TCampaignProfile, TEvidence, TProject } from '@intake/domain';
import type { UnpackBudget } from './archive-expand.js';
import type { ProjectTableResult } from './extraction-protocol.js';
import type { ParseLimits } from './limits.js';
import type { LeafOcr, ParseOcrOptions } from './ocr-reading.js';
import type { FileFormat } from './sniff-format.js';
import type { ExtractPool } from './worker-pool.js';

/** What the parser learned about one listed file, beyond the public attachment entry. */
export interface FileFacts {
  attachment: TAttachment;
  format: FileFormat;
  /** extracted document text (truncated to `maxTextChars`), null when none was read */
  text: string | null;
  /** the project-table reading of a spreadsheet, null for other files */
  table: ProjectTableResult | null;
  /** projects read from this file, each with `source` = the attachment path */
  projects: TProject[];
  /** how the file's project table was read (table, unit, skipped rows), `source` = the attachment path */
  evidence?: TEvidence[];
  /**
   * OCR of this file's pages without a text layer: per page its number, page
   * image sha256, text, confidence and lines with boxes (see @intake/ocr
   * README); pages left unread with the reason; pages still queued (phase 1).
   */
  ocr?: LeafOcr;
}

/** A forwarded message met inside the mail, for applicant/cluster detection. */
export interface ForwardedFacts {
  path: string;
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  body: string;
}

/** A file to list: a MIME attachment, an archive member or a forwarded message's attachment. */
export interface FileInput {
  path: string;
  filename: string;
  data: Buffer;
  contentType?: string;
}

export interface ParserLogger {
  debug: (obj: object, msg?: string) => void;
  info: (obj: object, msg?: string) => void;
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
  child?: (bindings: object) => ParserLogger;
}

/** Shared state of one message's walk. */
export interface WalkContext {
  limits: ParseLimits;
  profile: TCampaignProfile;
  pool: ExtractPool;
  budget: UnpackBudget;
  /** message-level notes (inline images left out, forwarded messages opened…) */
  notes: string[];
  forwarded: ForwardedFacts[];
  logger?: ParserLogger;
  /** absent: OCR off (pages without a text layer are not read) */
  ocr?: ParseOcrOptions;
  /** OCR pages used so far in this message, against limits.maxOcrPages */
  ocrBudget: { used: number };
  /** what reading this message's files has cost so far, against the limits' message budget */
  work: MessageWork;
}

/** The per-message work budget as it is spent (bytes handed to readers, PDF pages read, the deadline). */
export interface MessageWork {
  bytes: number;
  pages: number;
  /** Date.now() past which no reader starts, and none runs */
  deadline: number;
  /** a PDF/OFD reader of this message is running (the next waits: it must see the pages read) */
  pagedInFlight?: boolean;
  /** set: no file of this message is read or unpacked, each is listed with this reason (a poison mail) */
  unreadReason?: string;
}
