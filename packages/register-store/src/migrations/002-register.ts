/**
 * The intake register: applications (one per applicant unit and cluster), the
 * distinct messages that make them up, their attachments and key projects,
 * staff review and an audit trail. Runs on PostgreSQL 15 and PGlite (18).
 *
 * Message identity (one row per DISTINCT message):
 *  - the same raw bytes (sha256) are the same message, whatever path delivered them;
 *  - the same Message-ID from the same sender address is the same message too,
 *    even with other bytes (a client re-sending one mail through another route
 *    re-stamps headers): `identity_key` is "mid:<Message-ID>|<address>" then,
 *    "sha:<sha256>" when either is missing. Other byte variants are kept in
 *    `other_sha256` so reprocessing and the ledger can find them.
 */
export const M002_REGISTER = {
  id: 2,
  name: 'register',
  sql: `
create table receipt_counters (
  -- e.g. 'application:jilin-2020-sei-clusters:2020'
  scope text primary key,
  last_value integer not null
);

create table applications (
  id bigserial primary key,
  -- 2020-0007: what staff quote on the phone, stable once assigned
  receipt_no text not null unique,
  campaign_id text not null,
  -- campaign|applicant code|normalized cluster, or unknown:<sha256>
  group_key text not null unique,
  applicant_code text,
  applicant_name text,
  cluster text,
  cluster_key text,
  field text,
  first_received_at timestamptz,
  last_received_at timestamptz,
  -- the whole ApplicationEvaluation of @intake/validation-rules
  evaluation jsonb,
  -- columns copied out of evaluation so the dashboard filters on indexes, not jsonb
  flag_codes text[] not null default '{}',
  has_problems boolean not null default false,
  is_late boolean not null default false,
  has_scan boolean not null default false,
  has_electronic boolean not null default false,
  has_formal_document boolean not null default false,
  has_materials boolean not null default false,
  has_project_table boolean not null default false,
  project_count integer,
  large_projects integer,
  large_enterprises integer,
  total_output numeric,
  total_investment numeric,
  message_count integer not null default 0,
  -- per-application sequence behind the messages' receipt numbers (2020-0007-2)
  last_message_seq integer not null default 0,
  review_status text not null default 'received'
    check (review_status in ('received', 'preliminary-passed', 'preliminary-failed', 'expert-review', 'selected', 'rejected')),
  review_note text,
  validated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index applications_flag_codes on applications using gin (flag_codes);
create index applications_review_status on applications (review_status);
create index applications_applicant on applications (applicant_code, last_received_at desc);
create index applications_field on applications (field);
create index applications_first_received on applications (first_received_at desc, id desc);
create index applications_last_received on applications (last_received_at desc, id desc);
create index applications_problems on applications (has_problems);

create table messages (
  id bigserial primary key,
  application_id bigint not null references applications(id),
  -- the application's number + its sequence at first registration, kept when staff move the message
  receipt_no text not null unique,
  sha256 text not null unique,
  other_sha256 text[] not null default '{}',
  identity_key text not null unique,
  message_id text,
  from_header text not null,
  from_address text,
  subject text not null,
  -- the EARLIEST server receipt time over its deliveries
  received_at timestamptz not null,
  received_at_source text not null,
  applicant_code text,
  cluster_key text,
  -- the full TParsedMessage
  parsed jsonb not null,
  parser_version text not null,
  flag_codes text[] not null default '{}',
  late boolean not null default false,
  assigned_manually boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index messages_application on messages (application_id, received_at);
create index messages_received_at on messages (received_at);
create index messages_message_id on messages (message_id);
create index messages_other_sha on messages using gin (other_sha256);

create table attachments (
  id bigserial primary key,
  message_id bigint not null references messages(id) on delete cascade,
  path text not null,
  filename text not null,
  sha256 text not null,
  bytes bigint not null,
  kind text not null,
  copy text not null,
  roles text[] not null default '{}',
  error text,
  unique (message_id, path)
);
create index attachments_sha on attachments (sha256);

create table projects (
  id bigserial primary key,
  application_id bigint not null references applications(id) on delete cascade,
  message_id bigint not null references messages(id) on delete cascade,
  name text not null,
  owner text,
  location text,
  total_investment numeric,
  period text,
  sheet text not null,
  "row" integer not null,
  source text,
  -- normalized name + owner (projectKey of @intake/validation-rules) for DUPLICATE_PROJECT
  project_key text not null,
  -- true for the rows of the application's current project table
  current boolean not null default false
);
create index projects_application on projects (application_id);
create index projects_message on projects (message_id);
create index projects_current_key on projects (project_key) where current;

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  -- no foreign keys: the history outlives a message moved away or an emptied application
  application_id bigint,
  message_id bigint,
  details jsonb not null default '{}'
);
create index audit_log_application on audit_log (application_id, at);
`,
} as const;
