import { createHash, randomBytes } from 'node:crypto';
import {
  deleteSessionByHash,
  findSessionUser,
  insertSession,
  type Queryable,
  type StaffUser,
} from '@intake/register-store';

/**
 * Sessions are rows keyed by the sha256 of a random cookie token (the table
 * and its SQL belong to @intake/register-store); logging out deletes the row.
 */
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
  await insertSession(db, { tokenHash: hashToken(token), userId, expiresAt });
  return { token, expiresAt };
}

export async function loadSession(db: Queryable, token: string): Promise<StaffUser | null> {
  return findSessionUser(db, hashToken(token));
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await deleteSessionByHash(db, hashToken(token));
}
