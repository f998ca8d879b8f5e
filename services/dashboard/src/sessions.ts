import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '@intake/register-store';
import type { StaffUser, Role } from './users.js';

/** Sessions are rows keyed by the sha256 of a random cookie token; logging out deletes the row. */
export const SESSION_TTL_MS = 12 * 3600 * 1000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Queryable,
  userId: number,
  ttlMs = SESSION_TTL_MS,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.query('insert into sessions (token_hash, user_id, expires_at) values ($1, $2, $3)', [
    hashToken(token),
    userId,
    expiresAt,
  ]);
  // opportunistic clean-up keeps the table small without a scheduler
  await db.query('delete from sessions where expires_at < now()');
  return { token, expiresAt };
}

export async function loadSession(db: Queryable, token: string): Promise<StaffUser | null> {
  const rows = await db.query<{ id: number; username: string; role: Role }>(
    `select u.id, u.username, u.role from sessions s join users u on u.id = s.user_id
     where s.token_hash = $1 and s.expires_at > now() and not u.disabled`,
    [hashToken(token)],
  );
  const r = rows[0];
  return r ? { id: r.id, username: r.username, role: r.role } : null;
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [hashToken(token)]);
}
