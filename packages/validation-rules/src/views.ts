import type { TAttachment, TDocumentRole, TEvidence, TFlag, TMetrics, TProject } from '@intake/domain';
import type { CorrectionSet } from './corrections.js';

/** One registered message as the rules see it. */
export interface MessageView {
  /** the message's raw sha256 */
  key: string;
  receivedAt: Date;
  attachments: TAttachment[];
  projects: TProject[];
  metrics: TMetrics;
  evidence?: TEvidence[];
  /** flags the parser put on that message (UNVERIFIED_SENDER, UNREADABLE_ATTACHMENT) */
  messageFlags: TFlag[];
  /**
   * false: its sender address is not confirmed for the applicant (UNCONFIRMED_SENDER). Its documents
   * count, but never replace a confirmed sender's as the current version. @defaultValue true
   */
  senderConfirmed?: boolean;
}

export interface ApplicationView {
  applicant: { code: string; name: string } | null;
  cluster: string | null;
  field: string | null;
  messages: MessageView[];
  /** projects of this application also listed by other applications */
  duplicateProjects?: Array<{ name: string; owner: string | null; otherReceiptNos: string[] }>;
  /** staff corrections: the rules run on the effective values */
  corrections?: CorrectionSet;
  /** scan ↔ electronic pairs over all the application's messages (the register pairs across messages) */
  copyPairs?: CopyPairRef[];
}

/** One attachment of a scan ↔ electronic pair: which message, which file. */
export interface CopyPairSide {
  messageKey: string;
  path: string;
  sha256: string;
}

/** A scan and its electronic copy, as the evaluation keeps them (dashboard, export). */
export interface CopyPairRef {
  scan: CopyPairSide;
  electronic: CopyPairSide;
  similarity: number;
  differences: string[];
}

export interface ApplicationEvaluation {
  flags: TFlag[];
  copies: { scan: boolean; electronic: boolean };
  documents: { formalDocument: boolean; materials: boolean; projectTable: boolean };
  metrics: TMetrics;
  /** from the current (latest) project table */
  projects: TProject[];
  currentByRole: Record<TDocumentRole, { messageKey: string; path: string } | null>;
  /** messages that are late on their own (a late correction to an application complete in time) */
  lateMessageKeys: string[];
  late: boolean;
  /** scan ↔ electronic pairs across the application's messages, when the register paired them */
  copyPairs?: CopyPairRef[];
  /** what the pipeline read, before staff corrections; present when corrections changed the input */
  reading?: { metrics: TMetrics; flagCodes: string[] };
}
