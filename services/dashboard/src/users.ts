import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Queryable } from '@intake/register-store';

export const ROLES = ['viewer', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface StaffUser {
  id: number;
  username: string;
  role: Role;
}

/** scrypt cost: N=2^15 takes ~50 ms here — slow for guessing, fine for a login. */
const SCRYPT = { N: 32768, r: 8, p: 1, keyLen: 64 } as const;

function scrypt(password: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(
      password.normalize('NFC'),
      salt,
      keyLen,
      { ...opts, maxmem: 128 * opts.N! * (opts.r ?? 8) * 2 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** "scrypt$N$r$p$salt(b64)$hash(b64)": parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const actual = await scrypt(password, salt, expected.length, { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password: verifying unknown usernames against it costs the same time as a real check. */
let dummyHash: Promise<string> | null = null;

export interface AddUserInput {
  username: string;
  password: string;
  role: Role;
}

/** Creates the user, or replaces password and role of an existing one (the CLI's `intake user add`). */
export async function addUser(db: Queryable, input: AddUserInput): Promise<StaffUser> {
  const username = input.username.trim();
  if (!/^[\p{L}\p{N}._@-]{1,64}$/u.test(username)) throw new Error('用户名只能包含字母、数字和 . _ @ -，最长64个字符');
  if (input.password.length < 8) throw new Error('密码至少8个字符');
  if (!ROLES.includes(input.role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
  const hash = await hashPassword(input.password);
  const rows = await db.query<{ id: number; username: string; role: Role }>(
    `insert into users (username, password_hash, role) values ($1, $2, $3)
     on conflict (username) do update set password_hash = excluded.password_hash, role = excluded.role,
       disabled = false, updated_at = now()
     returning id, username, role`,
    [username, hash, input.role],
  );
  const r = rows[0]!;
  // a changed password ends the user's existing sessions
  await db.query('delete from sessions where user_id = $1', [r.id]);
  return { id: r.id, username: r.username, role: r.role };
}

/** The user when the password matches; null otherwise (same work either way). */
export async function authenticate(db: Queryable, username: string, password: string): Promise<StaffUser | null> {
  const rows = await db.query<{ id: number; username: string; role: Role; password_hash: string; disabled: boolean }>(
    'select id, username, role, password_hash, disabled from users where username = $1',
    [username.trim()],
  );
  const u = rows[0];
  if (!u) {
    dummyHash ??= hashPassword(randomBytes(12).toString('hex'));
    await verifyPassword(password, await dummyHash);
    return null;
  }
  const ok = await verifyPassword(password, u.password_hash);
  return ok && !u.disabled ? { id: u.id, username: u.username, role: u.role } : null;
}

export function canReview(user: StaffUser | null | undefined): boolean {
  return user?.role === 'reviewer' || user?.role === 'admin';
}

export function isAdmin(user: StaffUser | null | undefined): boolean {
  return user?.role === 'admin';
}
