/**
 * Per-account login lockout of the dashboard (owned with users and sessions
 * by staff-accounts.ts). Keyed by the name typed, whether or not such a user
 * exists: a lockout must not tell a guesser which names are real.
 */
export const M011_LOGIN_FAILURES = {
  id: 11,
  name: 'login-failures',
  sql: `
create table login_failures (
  username text primary key,
  failures integer not null default 0,
  last_failed_at timestamptz,
  locked_until timestamptz
);
`,
} as const;
