/**
 * Parse attempts of a message (issue 12.8): a row is marked when a worker
 * starts reading the message and cleared when the reading ends, however it
 * ends in that process. A mark found at the start of an attempt means the
 * previous one died mid-read (the worker process crashed or was OOM-killed):
 * the message is then read in a sandboxed child, and registered unread as
 * poison if that crashes too, instead of being retried into a crash loop.
 */
export const M012_PARSE_ATTEMPTS = {
  id: 12,
  name: 'parse-attempts',
  sql: `
create table parse_attempts (
  sha256 text primary key references raw_messages(sha256),
  started_at timestamptz,
  interrupted integer not null default 0,
  updated_at timestamptz not null default now()
);
`,
} as const;
