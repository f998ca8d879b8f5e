import { describe, expect, it, vi } from 'vitest';
import { loadCampaignProfile, type TParsedMessage } from '@intake/domain';
import { projectKey } from '@intake/validation-rules';
import { LOCK_PROJECT_KEY, lockProjectKeys } from './application-groups.js';
import type { Db } from './db.js';
import { registerMessage, type RegisterMessageResult } from './register-message.js';
import { revalidateApplications } from './revalidate-applications.js';
import { peersHandedOn, validateApplication } from './validate-application.js';
import { completeMessage, project, projects, registerInput } from './testing/factories.js';
import { TEST_ENGINES, useTestDb } from './testing/register-suite.js';

const profile = loadCampaignProfile();
const shared = project('白山硅藻土深加工项目', { owner: '白山硅藻土股份有限公司' });

const register = (db: Db, parsed: TParsedMessage): Promise<RegisterMessageResult> =>
  registerMessage(db, registerInput(parsed, profile));

/** Two applicants whose tables both list `shared`; registered, not yet validated. */
async function twoSharingApplications(db: Db): Promise<[RegisterMessageResult, RegisterMessageResult]> {
  const a = await register(db, completeMessage({ projects: [...projects('长春', 11), shared] }));
  const b = await register(
    db,
    completeMessage({
      applicant: { code: '220600', name: '白山市' },
      cluster: '白山市硅藻土新材料产业集群',
      field: '新材料',
      from: 'bs <fgw@baishan.gov.cn>',
      projects: [...projects('白山', 11), shared],
    }),
  );
  return [a, b];
}

const codes = (r: Awaited<ReturnType<typeof validateApplication>>): string[] =>
  (r.evaluation?.flags ?? []).map((f) => f.code);

describe.each(TEST_ENGINES)('DUPLICATE_PROJECT peers on %s', (engine) => {
  const t = useTestDb(engine);

  it('keeps reporting a peer until it is handed on, so a crash between commit and queueing loses nothing', async () => {
    const [a, b] = await twoSharingApplications(t.db);
    expect((await validateApplication(t.db, a.applicationId, profile)).peersToRevalidate).toEqual([]);
    const first = await validateApplication(t.db, b.applicationId, profile);
    expect(codes(first)).toContain('DUPLICATE_PROJECT');
    expect(first.peersToRevalidate).toEqual([a.applicationId]);
    // the worker died here: b's keys are stored, so the retry sees no change of its own, but still names a
    const retry = await validateApplication(t.db, b.applicationId, profile);
    expect(retry.peersToRevalidate).toEqual([a.applicationId]);
    await peersHandedOn(t.db, b.applicationId, retry.peersToRevalidate);
    expect((await validateApplication(t.db, b.applicationId, profile)).peersToRevalidate).toEqual([]);
  });

  it('hands on only the peers it was given: one stored meanwhile stays', async () => {
    const [a, b] = await twoSharingApplications(t.db);
    await validateApplication(t.db, a.applicationId, profile);
    const r = await validateApplication(t.db, b.applicationId, profile);
    await peersHandedOn(t.db, b.applicationId, [a.applicationId + 1000]);
    expect((await validateApplication(t.db, b.applicationId, profile)).peersToRevalidate).toEqual(r.peersToRevalidate);
  });

  it('revalidateApplications flags both and leaves nothing pending', async () => {
    const [a, b] = await twoSharingApplications(t.db);
    await revalidateApplications(t.db, [a.applicationId, b.applicationId], profile);
    for (const id of [a.applicationId, b.applicationId]) {
      const r = await validateApplication(t.db, id, profile);
      expect(codes(r), `application ${id}`).toContain('DUPLICATE_PROJECT');
      expect(r.peersToRevalidate).toEqual([]);
    }
  });
});

// two connections at once: PGlite has one
describe.skipIf(!TEST_ENGINES.includes('postgres'))('DUPLICATE_PROJECT under concurrent validation', () => {
  const t = useTestDb('postgres', { poolSize: 3 });

  it('a validation that gains a key another is storing waits for it, then flags itself and names it', async () => {
    const [a, b] = await twoSharingApplications(t.db);
    // a's validation, paused after taking the key lock and storing its key, before COMMIT
    let commitA!: () => void;
    const commit = new Promise<void>((resolve) => (commitA = resolve));
    let storedA!: () => void;
    const stored = new Promise<void>((resolve) => (storedA = resolve));
    const validatingA = t.db.tx(async (q) => {
      await lockProjectKeys(q, [projectKey(shared)]);
      await q.query('insert into application_projects (application_id, project_key) values ($1, $2)', [
        a.applicationId,
        projectKey(shared),
      ]);
      storedA();
      await commit;
    });
    await stored;
    let finishedB = false;
    const validatingB = validateApplication(t.db, b.applicationId, profile).finally(() => (finishedB = true));
    try {
      // without the key lock b finishes now, blind to a's uncommitted row, and neither would be flagged
      await vi.waitFor(
        async () => {
          if (finishedB) return;
          const rows = await t.db.query<{ n: number }>(
            // advisory locks are per database, not per test schema: count waiters for this file's key only
            `select count(*)::int as n from pg_locks
             where locktype = 'advisory' and not granted and classid = $1 and objid = hashtext($2)::oid`,
            [LOCK_PROJECT_KEY, projectKey(shared)],
          );
          expect(rows[0]?.n).toBe(1);
        },
        { timeout: 60_000, interval: 20 },
      );
      expect(finishedB, 'b waited for the key a holds').toBe(false);
    } finally {
      commitA();
      await validatingA;
    }
    const vb = await validatingB;
    expect(codes(vb)).toContain('DUPLICATE_PROJECT');
    expect(vb.peersToRevalidate).toEqual([a.applicationId]);
  });
});
