/**
 * The `acks` outbox (migrations 003 and 010): one row per reply we owe. This
 * package owns the table — its migration, every statement on it and this row
 * type; @intake/ack-mailer drives the rows through `./ack-outbox`.
 */
export type AckStatus = 'composed' | 'sending' | 'sent' | 'failed' | 'stored' | 'skipped';

export interface AckRow {
  id: number;
  source_sha256: string;
  /**
   * the source mail as its sender knows it (the register's message identity:
   * Message-ID + sender, else a hash of From/Date/Subject/body); null for reminders
   */
  identity_key: string | null;
  kind: string;
  application_id: number | null;
  from_address: string | null;
  to_address: string | null;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  our_message_id: string | null;
  in_reply_to: string | null;
  references_list: string[];
  headers: Record<string, string>;
  status: AckStatus;
  skip_reason: string | null;
  skip_detail: string | null;
  attempts: number;
  last_error: string | null;
  /** retries that took over an attempt which died while sending (it may have been accepted) */
  unknown_outcome_resends: number;
  smtp_response: string | null;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Statuses after which nothing more happens to a row: a retry returns it as it is. */
export const FINAL_STATUSES: ReadonlySet<AckStatus> = new Set<AckStatus>(['sent', 'skipped', 'stored', 'failed']);

/** The composed reply as stored: exactly what a retry sends again. */
export interface AckContent {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  inReplyTo: string | null;
  references: string[];
  messageId: string;
}
