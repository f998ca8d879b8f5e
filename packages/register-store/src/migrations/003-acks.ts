/**
 * The acknowledgment outbox (@intake/ack-mailer): one row per reply we owe,
 * keyed by the source message's raw sha256 and the kind of reply, so a retried
 * or concurrent job finds the row instead of sending twice. The composed reply
 * is stored whole, so a retry sends exactly the same bytes-to-be (same
 * Message-ID, subject, body) even if the templates or the register changed.
 */
export const M003_ACKS = {
  id: 3,
  name: 'acks',
  sql: `
create table acks (
  id bigserial primary key,
  -- the idempotency key together with kind
  source_sha256 text not null,
  -- 'ack' | 'resend-<n>' | 'reminder-<date>-<applicant code>'
  kind text not null,
  -- no foreign key: applications belong to another migration and a reply may precede its application row
  application_id bigint,
  from_address text,
  to_address text,
  subject text,
  text_body text,
  html_body text,
  our_message_id text,
  in_reply_to text,
  references_list text[] not null default '{}',
  headers jsonb not null default '{}',
  status text not null check (status in ('composed', 'sending', 'sent', 'failed', 'stored', 'skipped')),
  skip_reason text,
  skip_detail text,
  attempts integer not null default 0,
  last_error text,
  -- sends retried after an attempt died in 'sending' (the SMTP window: the first may have been accepted)
  unknown_outcome_resends integer not null default 0,
  smtp_response text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (source_sha256, kind)
);
create index acks_recent_sent on acks (to_address, sent_at) where status = 'sent';
create index acks_application on acks (application_id);
`,
} as const;
