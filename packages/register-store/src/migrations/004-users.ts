/**
 * Staff accounts and login sessions of the dashboard (@intake/dashboard).
 * Passwords are scrypt hashes with a per-user salt ("scrypt$N$r$p$salt$hash");
 * a session row holds only the sha256 of the cookie's random token, so a
 * leaked database does not hand out live sessions.
 */
export const M004_USERS = {
  id: 4,
  name: 'users',
  sql: `
create table users (
  id bigserial primary key,
  username text not null unique,
  password_hash text not null,
  role text not null check (role in ('viewer', 'reviewer', 'admin')),
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table sessions (
  token_hash text primary key,
  user_id bigint not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index sessions_user on sessions (user_id);
create index sessions_expires on sessions (expires_at);
`,
} as const;
