// Guards issue 13's one owner for users and sessions (the SQL lives here, not
// in the dashboard): a session of a disabled or re-passworded account ends, an
// expired one is gone, and the lockout counter cannot be raced past: parallel
// failed logins of one name each count (row lock), on both engines.
import { describe, expect, it } from 'vitest';
import {
  clearLoginFailures,
  findSessionUser,
  findUserForLogin,
  getLoginFailures,
  insertSession,
  updateLoginFailures,
  upsertUser,
} from './staff-accounts.js';
import { TEST_ENGINES, useTestDb } from './testing/register-suite.js';

describe.each(TEST_ENGINES)('staff accounts on %s', (engine) => {
  const t = useTestDb(engine, {
    poolSize: 6,
    reset: (db) => db.exec('truncate users, sessions, login_failures restart identity cascade'),
  });

  it('GIVEN a session THEN it finds its user until the password changes or it expires', async () => {
    const u = await upsertUser(t.db, { username: 'wang', passwordHash: 'h1', role: 'reviewer' });
    expect(await findUserForLogin(t.db, 'wang')).toMatchObject({ id: u.id, passwordHash: 'h1', disabled: false });
    await insertSession(t.db, { tokenHash: 'a', userId: u.id, expiresAt: new Date(Date.now() + 60_000) });
    await insertSession(t.db, { tokenHash: 'old', userId: u.id, expiresAt: new Date(Date.now() - 1000) });
    expect(await findSessionUser(t.db, 'a')).toEqual({ id: u.id, username: 'wang', role: 'reviewer' });
    expect(await findSessionUser(t.db, 'old')).toBeNull();
    const rows = await t.db.query<{ token_hash: string }>('select token_hash from sessions');
    expect(rows.map((r) => r.token_hash)).toEqual(['a']);
    await upsertUser(t.db, { username: 'wang', passwordHash: 'h2', role: 'admin' });
    expect(await findSessionUser(t.db, 'a')).toBeNull();
  });

  it('GIVEN parallel failed logins of one name THEN every one is counted', async () => {
    const bump = () =>
      updateLoginFailures(t.db, 'wang', (prev) => ({ ...prev, failures: prev.failures + 1, lastFailedAt: new Date() }));
    await Promise.all(Array.from({ length: 8 }, bump));
    expect((await getLoginFailures(t.db, 'wang')).failures).toBe(8);
    expect((await getLoginFailures(t.db, 'li')).failures).toBe(0);
    await clearLoginFailures(t.db, 'wang');
    expect(await getLoginFailures(t.db, 'wang')).toEqual({ failures: 0, lastFailedAt: null, lockedUntil: null });
  });
});
