// Guards issue 9.5–9.7 in the register: an auto-reply or a "收到，谢谢" moved
// lastReceivedAt and made the application LATE, an auto-reply alone made an
// application "missing" everything, and a mail without a Message-ID delivered
// twice with other trace lines counted twice. Also the reconciliation's reads.
import { describe, expect, it } from 'vitest';
import { emptyMailHeaders, loadCampaignProfile, type TMailClass } from '@intake/domain';
import { getApplication } from './applications.js';
import { findReferencedApplication } from './correspondence.js';
import { listStaleLedger, listUnansweredMessages } from './reconcile-reads.js';
import { recordSkip } from './acks/ack-outbox.js';
import { completeMessage, parsedMessage, registerAndValidate, registerInput, sha } from './testing/factories.js';
import { TEST_ENGINES, useTestDb } from './testing/register-suite.js';

const profile = loadCampaignProfile();
const cls = (kind: TMailClass['kind'], refersTo: string[] = []): TMailClass => ({
  kind,
  reason: 'test',
  detail: '测试',
  refersTo,
});

describe.each(TEST_ENGINES)('correspondence in the register on %s', (engine) => {
  const t = useTestDb(engine);

  it('GIVEN a submission and, after the deadline, a thanks naming it THEN listed with it, receipt times and flags unchanged', async () => {
    const sub = await registerAndValidate(t.db, registerInput(completeMessage({ messageId: '<s1@cc.cn>' }), profile));
    const before = await getApplication(t.db, sub.applicationId);
    expect(await findReferencedApplication(t.db, ['<unknown@x>', '<s1@cc.cn>'])).toMatchObject({
      applicationId: sub.applicationId,
      via: 'message',
    });
    const thanks = parsedMessage({
      messageId: '<t1@cc.cn>',
      subject: '收到，谢谢',
      applicant: null,
      cluster: null,
      field: null,
      receivedAt: '2020-05-20T02:00:00.000Z',
      mailClass: cls('reply', ['<s1@cc.cn>']),
    });
    const r = await registerAndValidate(t.db, registerInput(thanks, profile, { joinApplicationId: sub.applicationId }));
    expect(r.applicationId).toBe(sub.applicationId);
    const after = await getApplication(t.db, sub.applicationId);
    expect(after?.messages).toHaveLength(2);
    expect(after?.firstReceivedAt?.toISOString()).toBe(before?.firstReceivedAt?.toISOString());
    expect(after?.lastReceivedAt?.toISOString()).toBe('2020-05-10T02:00:00.000Z');
    expect(after?.flags.map((f) => f.code)).toEqual([]);
    expect(after?.late).toBe(false);
    // a thanks is not something to thread onto: a reply to it finds nothing
    expect(await findReferencedApplication(t.db, ['<t1@cc.cn>'])).toBeNull();
  });

  it('GIVEN an auto-reply nobody can place THEN an application of its own that misses nothing', async () => {
    const ooo = parsedMessage({
      subject: '自动回复：外出',
      applicant: null,
      cluster: null,
      field: null,
      receivedAt: '2020-05-20T02:00:00.000Z',
      mailClass: cls('auto-reply'),
    });
    const r = await registerAndValidate(t.db, registerInput(ooo, profile));
    const app = await getApplication(t.db, r.applicationId);
    const codes = app?.flags.map((f) => f.code) ?? [];
    expect(codes.filter((c) => c.startsWith('MISSING_') || c === 'LATE')).toEqual([]);
    expect(app?.lastReceivedAt?.toISOString()).toBe('2020-05-20T02:00:00.000Z');
  });

  it('GIVEN a mail without Message-ID delivered twice with other bytes THEN one message (From, Date, Subject, body)', async () => {
    const p = completeMessage({
      headers: { ...emptyMailHeaders(), dateHeader: 'Tue, 12 May 2020 10:00:00 +0800' },
      bodyExcerpt: '报送材料',
    });
    const a = await registerAndValidate(t.db, registerInput(p, profile, { sha256: sha('delivery-1') }));
    const b = await registerAndValidate(t.db, registerInput(p, profile, { sha256: sha('delivery-2') }));
    expect(b).toMatchObject({ created: false, messageRowId: a.messageRowId });
    const other = { ...p, headers: { ...p.headers!, dateHeader: 'Tue, 12 May 2020 11:00:00 +0800' } };
    const c = await registerAndValidate(t.db, registerInput(other, profile, { sha256: sha('delivery-3') }));
    expect(c.created).toBe(true);
  });

  it('GIVEN messages without a reply decided and ledger rows pending THEN the reconciliation lists them', async () => {
    const a = await registerAndValidate(t.db, registerInput(completeMessage({ messageId: '<a@cc.cn>' }), profile));
    const pm = completeMessage({ messageId: '<b@cc.cn>', subject: '长春市生物医药产业集群补充材料' });
    const b = await registerAndValidate(t.db, registerInput(pm, profile));
    const shaA = (
      await t.db.query<{ sha256: string }>('select sha256 from messages where id = $1', [a.messageRowId])
    )[0]!.sha256;
    await recordSkip(t.db, { sourceSha256: shaA, kind: 'ack', reason: 'list', detail: '邮件列表' });
    const unanswered = await listUnansweredMessages(t.db, { staleMs: 0, maxAgeMs: 3_600_000 });
    expect(unanswered.map((m) => m.applicationId)).toEqual([b.applicationId]);
    expect(await listUnansweredMessages(t.db, { staleMs: 3_600_000, maxAgeMs: 7_200_000 })).toEqual([]);
    await t.db.query(`insert into raw_messages (sha256, bytes) values ($1, 1)`, [shaA]);
    await t.db.query(
      `insert into mail_ledger (origin, mailbox, uid_validity, uid, sha256, received_at, received_at_source, status, job_id)
       values ('imap', 'INBOX', 1, 1, $1, now(), 'server', 'queued', 'msg-x'),
              ('imap', 'INBOX', 1, 2, $1, now(), 'server', 'queued', 'msg-x')`,
      [shaA],
    );
    expect(await listStaleLedger(t.db, { staleMs: 0 })).toEqual([{ sha256: shaA, jobId: 'msg-x', status: 'queued' }]);
    expect(await listStaleLedger(t.db, { staleMs: 3_600_000 })).toEqual([]);
  });
});
