// Guards the parse-attempt marker (issue 12.8): an attempt whose process died mid-read is seen by
// the next attempt, one that ended (result or error) is not, and a later clean attempt after an
// interrupted one is not called interrupted again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginParseAttempt, endParseAttempt } from './parse-attempts.js';
import { openTestDb, type TestDb } from './testing/test-db.js';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb('pglite');
});
afterAll(() => t.cleanup());

const sha = 'd'.repeat(64);

describe('parse attempts', () => {
  it('tells an interrupted attempt from one that ended', async () => {
    await t.db.query('insert into raw_messages (sha256, bytes) values ($1, 1)', [sha]);
    expect(await beginParseAttempt(t.db, sha)).toEqual({ interrupted: false, interruptions: 0 });
    await endParseAttempt(t.db, sha);
    expect(await beginParseAttempt(t.db, sha)).toEqual({ interrupted: false, interruptions: 0 });
    // no endParseAttempt: the process died while reading
    expect(await beginParseAttempt(t.db, sha)).toEqual({ interrupted: true, interruptions: 1 });
    await endParseAttempt(t.db, sha);
    expect(await beginParseAttempt(t.db, sha)).toEqual({ interrupted: false, interruptions: 1 });
  });
});
