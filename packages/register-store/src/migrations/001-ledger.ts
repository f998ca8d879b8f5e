/**
 * What the poller needs before anything is parsed: the raw archive's index,
 * the processed-mail ledger (one row per delivery: mailbox + UIDVALIDITY + UID,
 * or one per imported file) and the per-mailbox sync checkpoint.
 */
export const M001_LEDGER = {
  id: 1,
  name: 'ledger',
  sql: `
create table raw_messages (
  sha256 text primary key,
  bytes integer not null,
  -- only filled when RAW_STORE=postgres; the fs store keeps files under DATA_DIR/raw
  content bytea,
  stored_at timestamptz not null default now()
);

create table mail_ledger (
  id bigserial primary key,
  origin text not null check (origin in ('imap', 'import')),
  mailbox text not null,
  uid_validity bigint,
  uid bigint,
  -- imports: the file (and mbox offset) it came from
  source_ref text,
  sha256 text not null references raw_messages(sha256),
  message_id text,
  received_at timestamptz not null,
  received_at_source text not null,
  flags text[] not null default '{}',
  status text not null default 'archived' check (status in ('archived', 'queued', 'processing', 'done', 'failed')),
  error text,
  job_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index mail_ledger_imap_uid on mail_ledger (mailbox, uid_validity, uid) where origin = 'imap';
create unique index mail_ledger_import_ref on mail_ledger (source_ref) where origin = 'import';
create index mail_ledger_sha on mail_ledger (sha256);
create index mail_ledger_message_id on mail_ledger (message_id);

create table mailbox_sync_state (
  mailbox text primary key,
  uid_validity bigint not null,
  last_uid bigint not null,
  highest_modseq text,
  last_sync_at timestamptz,
  updated_at timestamptz not null default now()
);
`,
} as const;
