/**
 * What the poller last knew about each mailbox it reads (issue 12.11): connected,
 * or retrying since when, with the last error and the next attempt. Written by
 * the poller on each transition (mailbox-state.ts owns the SQL); read by the
 * dashboard's health page and `/healthz`. One row per mailbox, overwritten.
 */
export const M009_MAILBOX_STATE = {
  id: 9,
  name: 'mailbox-state',
  sql: `
create table mailbox_state (
  mailbox text primary key,
  state text not null check (state in ('connected', 'retrying', 'stopped')),
  since timestamptz not null,
  attempts integer not null default 0,
  last_error text,
  last_error_at timestamptz,
  next_attempt_at timestamptz,
  updated_at timestamptz not null default now()
);
`,
} as const;
