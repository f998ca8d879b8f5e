/**
 * Staff corrections of the register (issue 11), merged applications' receipt
 * numbers, and the effective project keys that DUPLICATE_PROJECT compares.
 *
 * A correction is a row of its own (who, when, field, old value, new value,
 * reason); what the pipeline read stays in messages.parsed and is never
 * overwritten. Its target is named by what a re-read reproduces:
 *  - scope 'application': a fact of the application (applicant, cluster,
 *    field, the 2019 figures), by application_id;
 *  - scope 'attachment': message_sha256 (messages.sha256, kept by
 *    `intake reprocess`) and target_key '<attachment sha256>|<path>';
 *  - scope 'project': message_sha256 and the row's provenance as target_key
 *    (source file, sheet, row), with project_key (normalized name + owner) to
 *    find the row again if a re-read moved it;
 *  - scope 'project-added': a row staff added, by application_id, target_key
 *    its own random key.
 * A newer correction of the same target and field supersedes the older one,
 * which is kept with removed_at set; staff may also remove one (with a reason).
 */
export const M006_CORRECTIONS = {
  id: 6,
  name: 'corrections',
  sql: `
create table corrections (
  id bigserial primary key,
  application_id bigint not null,
  scope text not null check (scope in ('application', 'attachment', 'project', 'project-added')),
  message_sha256 text,
  target_key text not null default '',
  project_key text,
  field text not null,
  old_value jsonb,
  new_value jsonb,
  reason text not null,
  actor text not null,
  created_at timestamptz not null default now(),
  removed_at timestamptz,
  removed_by text,
  removed_reason text
);
create unique index corrections_one_active on corrections
  ((coalesce(message_sha256, 'app:' || application_id::text)), scope, target_key, field) where removed_at is null;
create index corrections_application on corrections (application_id, created_at);
create index corrections_message on corrections (message_sha256) where message_sha256 is not null;

-- a receipt number whose application was merged into another (or emptied by moves) keeps leading there
create table application_aliases (
  receipt_no text primary key,
  application_id bigint not null references applications(id) on delete cascade,
  retired_at timestamptz not null default now(),
  reason text not null
);
create index application_aliases_target on application_aliases (application_id);

-- the normalized name + owner of each application's effective projects (corrections applied),
-- written by validateApplication: what DUPLICATE_PROJECT compares across applications
create table application_projects (
  application_id bigint not null references applications(id) on delete cascade,
  project_key text not null,
  primary key (application_id, project_key)
);
create index application_projects_key on application_projects (project_key);

insert into application_projects (application_id, project_key)
  select distinct application_id, project_key from projects where current
`,
} as const;
