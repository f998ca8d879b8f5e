import { describe, expect, it } from 'vitest';
import { loadCampaignProfile, type TParsedMessage } from '@intake/domain';
import type { Db } from './db.js';
import { getApplication } from './applications.js';
import { listAuditLog } from './audit-log.js';
import { registerMessage } from './register-message.js';
import { reassignMessage, setReviewStatus } from './review.js';
import { validateApplication } from './validate-application.js';
import { completeMessage, project, projects, registerAndValidate, registerInput } from './testing/factories.js';
import { TEST_ENGINES, useTestDb } from './testing/register-suite.js';

const profile = loadCampaignProfile();

const registered = (db: Db, parsed: TParsedMessage) => registerAndValidate(db, registerInput(parsed, profile));

describe.each(TEST_ENGINES)('validation, review and reassignment on %s', (engine) => {
  const t = useTestDb(engine);

  it('GIVEN two applications listing one project THEN both get DUPLICATE_PROJECT, via the peer list, without ping-pong', async () => {
    const shared = project('长春生物医药产业园（一期）', { owner: '长春生物有限公司' });
    const a = await registered(t.db, completeMessage({ projects: [...projects('长春', 11), shared] }));
    const b = await registerMessage(
      t.db,
      registerInput(
        completeMessage({
          applicant: { code: '220200', name: '吉林市' },
          cluster: '吉林市生物医药产业集群',
          from: 'j <j@jl.gov.cn>',
          projects: [
            ...projects('吉林', 11),
            { ...shared, name: '长春生物医药产业园(一期)项目', owner: '长春生物股份有限公司' },
          ],
        }),
        profile,
      ),
    );
    const vb = await validateApplication(t.db, b.applicationId, profile);
    expect(vb.evaluation?.flags.map((f) => f.code)).toContain('DUPLICATE_PROJECT');
    expect(vb.peersToRevalidate).toEqual([a.applicationId]);
    const va = await validateApplication(t.db, a.applicationId, profile);
    expect(va.changed).toBe(true);
    expect(va.evaluation?.flags.find((f) => f.code === 'DUPLICATE_PROJECT')?.detail).toContain(b.applicationReceiptNo);
    // a's own project keys did not change: nobody else needs revalidating
    expect(va.peersToRevalidate).toEqual([]);
    const again = await validateApplication(t.db, a.applicationId, profile);
    expect(again).toMatchObject({ changed: false, peersToRevalidate: [] });
  });

  it('GIVEN a corrected project table THEN only the latest table counts and a removed duplicate frees the peer', async () => {
    const shared = project('共同项目');
    const a = await registered(t.db, completeMessage({ projects: [...projects('长春', 11), shared] }));
    const b = await registered(
      t.db,
      completeMessage({
        applicant: { code: '220200', name: '吉林市' },
        cluster: '吉林市新材料产业集群',
        field: '新材料',
        projects: [...projects('吉林', 11), shared],
      }),
    );
    await validateApplication(t.db, a.applicationId, profile);
    const fix = await registerMessage(
      t.db,
      registerInput(
        completeMessage({
          applicant: { code: '220200', name: '吉林市' },
          cluster: '吉林市新材料产业集群',
          field: '新材料',
          subject: '更正',
          projects: projects('吉林', 12),
          receivedAt: '2020-05-12T00:00:00.000Z',
        }),
        profile,
      ),
    );
    expect(fix.applicationId).toBe(b.applicationId);
    const vb = await validateApplication(t.db, b.applicationId, profile);
    expect(vb.evaluation?.flags.map((f) => f.code)).not.toContain('DUPLICATE_PROJECT');
    expect(vb.evaluation?.metrics.projectCount).toBe(12);
    expect(vb.peersToRevalidate).toEqual([a.applicationId]);
    const va = await validateApplication(t.db, a.applicationId, profile);
    expect(va.evaluation?.flags.map((f) => f.code)).not.toContain('DUPLICATE_PROJECT');
  });

  it('GIVEN staff move an unattributed mail to an applicant THEN the empty application goes, the move is audit-logged and survives reprocessing', async () => {
    const main = await registered(t.db, completeMessage());
    const stray = completeMessage({ applicant: null, cluster: null, subject: '材料', from: 'someone <a@qq.com>' });
    const s = await registered(t.db, stray);
    const moved = await reassignMessage(
      t.db,
      s.messageRowId,
      { applicantCode: '220100', applicantName: '长春市', cluster: '生物医药产业集群' },
      'staff:wang',
      profile,
    );
    expect(moved.applicationId).toBe(main.applicationId);
    expect(moved.affectedApplicationIds).toContain(main.applicationId);
    expect(await getApplication(t.db, s.applicationId)).toBeNull();
    const app = await getApplication(t.db, main.applicationId);
    expect(app?.messages.map((m) => m.receiptNo)).toContain(s.messageReceiptNo);
    expect(app?.messages.find((m) => m.id === s.messageRowId)?.assignedManually).toBe(true);
    const log = await listAuditLog(t.db, main.applicationId);
    expect(log.some((e) => e.action === 'message-reassigned' && e.actor === 'staff:wang')).toBe(true);
    // reprocessing still finds no applicant in it, but it stays where staff put it
    const re = await registerMessage(t.db, registerInput(stray, profile, { parserVersion: 'p2' }));
    expect(re.applicationId).toBe(main.applicationId);
  });

  it('GIVEN a message moved to an explicit application THEN both applications are returned for revalidation', async () => {
    const a = await registered(t.db, completeMessage());
    const extra = await registered(t.db, completeMessage({ subject: '补充', receivedAt: '2020-05-11T00:00:00.000Z' }));
    const b = await registered(
      t.db,
      completeMessage({ applicant: { code: '220200', name: '吉林市' }, cluster: '吉林市新材料产业集群' }),
    );
    expect(extra.applicationId).toBe(a.applicationId);
    const moved = await reassignMessage(t.db, extra.messageRowId, { applicationId: b.applicationId }, 'staff', profile);
    expect(moved.affectedApplicationIds.sort()).toEqual([a.applicationId, b.applicationId].sort());
    expect((await getApplication(t.db, a.applicationId))?.messageCount).toBe(1);
    expect((await getApplication(t.db, b.applicationId))?.messageCount).toBe(2);
  });

  it('GIVEN a review decision THEN the status and note are stored and audit-logged; unknown statuses are refused', async () => {
    const a = await registered(t.db, completeMessage());
    await setReviewStatus(t.db, a.applicationId, 'preliminary-passed', '材料齐全', 'staff:liu');
    const app = await getApplication(t.db, a.applicationId);
    expect(app).toMatchObject({ reviewStatus: 'preliminary-passed', reviewNote: '材料齐全' });
    const log = await listAuditLog(t.db, a.applicationId);
    expect(log.at(-1)).toMatchObject({
      action: 'review-status',
      actor: 'staff:liu',
      details: { from: 'received', to: 'preliminary-passed' },
    });
    await expect(setReviewStatus(t.db, a.applicationId, 'approved' as never, null, 'x')).rejects.toThrow(
      /unknown review status/,
    );
    await expect(setReviewStatus(t.db, 999999, 'selected', null, 'x')).rejects.toThrow(/not found/);
  });
});
