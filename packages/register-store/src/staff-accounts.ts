import type { Db, Queryable } from './db.js';

/**
 * The `users` and `sessions` tables (migration 004) and `login_failures`
 * (migration 011), owned here: their SQL and row types live in this module
 * only. Password hashing and cookie tokens are the dashboard's business; this
 * store keeps hashes and token hashes, never a password or a live token.
 */
export const ROLES = ['viewer', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface StaffUser {
  id: number;
  username: string;
  role: Role;
}

export interface StaffUserWithHash extends StaffUser {
  passwordHash: string;
  disabled: boolean;
}

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** Creates the user, or replaces password hash and role of an existing one; a changed password ends its sessions. */
export async function upsertUser(
  q: Queryable,
  input: { username: string; passwordHash: string; role: Role },
): Promise<StaffUser> {
  const rows = await q.query<{ id: number; username: string; role: Role }>(
    `insert into users (username, password_hash, role) values ($1, $2, $3)
     on conflict (username) do update set password_hash = excluded.password_hash, role = excluded.role,
       disabled = false, updated_at = now()
     returning id, username, role`,
    [input.username, input.passwordHash, input.role],
  );
  const r = rows[0]!;
  await q.query('delete from sessions where user_id = $1', [r.id]);
  return { id: r.id, username: r.username, role: r.role };
}

export async function findUserForLogin(q: Queryable, username: string): Promise<StaffUserWithHash | null> {
  const rows = await q.query<{ id: number; username: string; role: Role; password_hash: string; disabled: boolean }>(
    'select id, username, role, password_hash, disabled from users where username = $1',
    [username],
  );
  const u = rows[0];
  return u
    ? { id: u.id, username: u.username, role: u.role, passwordHash: u.password_hash, disabled: u.disabled }
    : null;
}

/** A new session row; expired rows are removed on the way (keeps the table small without a scheduler). */
export async function insertSession(
  q: Queryable,
  s: { tokenHash: string; userId: number; expiresAt: Date },
): Promise<void> {
  await q.query('insert into sessions (token_hash, user_id, expires_at) values ($1, $2, $3)', [
    s.tokenHash,
    s.userId,
    s.expiresAt,
  ]);
  await q.query('delete from sessions where expires_at < now()');
}

/** The live session's user: not expired, account not disabled. */
export async function findSessionUser(q: Queryable, tokenHash: string): Promise<StaffUser | null> {
  const rows = await q.query<{ id: number; username: string; role: Role }>(
    `select u.id, u.username, u.role from sessions s join users u on u.id = s.user_id
     where s.token_hash = $1 and s.expires_at > now() and not u.disabled`,
    [tokenHash],
  );
  const r = rows[0];
  return r ? { id: r.id, username: r.username, role: r.role } : null;
}

export async function deleteSessionByHash(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('delete from sessions where token_hash = $1', [tokenHash]);
}

/** Failed logins of one account name (known or not: the table never says which names exist). */
export interface LoginFailureState {
  failures: number;
  lastFailedAt: Date | null;
  lockedUntil: Date | null;
}

export async function getLoginFailures(q: Queryable, username: string): Promise<LoginFailureState> {
  const rows = await q.query<{ failures: number; last_failed_at: Date | null; locked_until: Date | null }>(
    'select failures, last_failed_at, locked_until from login_failures where username = $1',
    [username],
  );
  const r = rows[0];
  return r
    ? { failures: r.failures, lastFailedAt: r.last_failed_at, lockedUntil: r.locked_until }
    : { failures: 0, lastFailedAt: null, lockedUntil: null };
}

/**
 * Read-modify-write of one name's failure state under its row lock, so
 * parallel guesses cannot each see the same count and slip past the lockout.
 */
export async function updateLoginFailures(
  db: Db,
  username: string,
  next: (prev: LoginFailureState) => LoginFailureState,
): Promise<LoginFailureState> {
  return db.tx(async (q) => {
    await q.query('insert into login_failures (username) values ($1) on conflict (username) do nothing', [username]);
    const rows = await q.query<{ failures: number; last_failed_at: Date | null; locked_until: Date | null }>(
      'select failures, last_failed_at, locked_until from login_failures where username = $1 for update',
      [username],
    );
    const r = rows[0]!;
    const state = next({ failures: r.failures, lastFailedAt: r.last_failed_at, lockedUntil: r.locked_until });
    await q.query(
      'update login_failures set failures = $2, last_failed_at = $3, locked_until = $4 where username = $1',
      [username, state.failures, state.lastFailedAt, state.lockedUntil],
    );
    return state;
  });
}

export async function clearLoginFailures(q: Queryable, username: string): Promise<void> {
  await q.query('delete from login_failures where username = $1', [username]);
}
