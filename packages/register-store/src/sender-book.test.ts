// Guards issue 12.1 in the register: a mail from someone@freemail.example naming 长春市 became
// that application's current formal document (it would go into the experts' zip). Now the first
// on-time mail proposes its address, a stranger's mail joins but is flagged UNCONFIRMED_SENDER and
// never replaces the confirmed sender's document, and a staff decision re-evaluates the flag.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCampaignProfile } from '@intake/domain';
import { getApplication } from './applications.js';
import { getMessageBySha } from './message-lookup.js';
import { revalidateApplications } from './revalidate-applications.js';
import { decideSender, listSenderBook } from './sender-book.js';
import { completeMessage, parsedMessage, registerAndValidate, registerInput, scanFormal } from './testing/factories.js';
import { openTestDb, type TestDb } from './testing/test-db.js';

const profile = loadCampaignProfile();
const OWN = '长春市发改委 <fgw@changchun.gov.cn>';
const STRANGER = '某人 <someone@freemail.example>';

describe('the address book on pglite', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb('pglite', {});
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
  }, 60_000);
  beforeEach(async () => {
    await t.reset();
  });

  const strangerMail = () =>
    parsedMessage({
      from: STRANGER,
      subject: '补充盖章扫描件——长春市生物医药产业集群',
      attachments: [scanFormal('盖章请示（新）.pdf')],
      receivedAt: '2020-05-12T02:00:00.000Z',
      metrics: { ...parsedMessage().metrics, totalOutput2019: 999 },
    });

  it('GIVEN the office’s first mail and a stranger’s resend THEN the stranger joins, flagged, and the office’s formal document stays current', async () => {
    const own = await registerAndValidate(t.db, registerInput(completeMessage({ from: OWN }), profile));
    let app = (await getApplication(t.db, own.applicationId))!;
    expect(app.flags.map((f) => f.code)).toEqual([]);
    expect(app.messages[0]?.senderStatus).toBe('proposed');

    const stranger = await registerAndValidate(t.db, registerInput(strangerMail(), profile));
    expect(stranger.applicationId).toBe(own.applicationId);
    app = (await getApplication(t.db, own.applicationId))!;
    expect(app.flags.map((f) => f.code)).toEqual(['UNCONFIRMED_SENDER']);
    expect(app.flags[0]?.detail).toContain('someone@freemail.example');
    expect(app.messages.map((m) => m.senderStatus)).toEqual(['proposed', 'unconfirmed']);
    expect(app.messages[1]?.flags.map((f) => f.code)).toEqual(['UNCONFIRMED_SENDER']);
    expect(app.evaluation?.currentByRole['formal-document']?.path).toBe('请示扫描.pdf');
    expect(app.evaluation?.metrics.totalOutput2019).toBe(80);
    const stored = await getMessageBySha(t.db, app.messages[1]!.sha256);
    expect(stored?.senderStatus).toBe('unconfirmed');

    // staff confirm the address: the flag clears and the newer document becomes current
    const confirmed = await decideSender(
      t.db,
      profile,
      { applicantCode: '220100', address: 'SomeOne@freemail.example', decision: 'confirmed' },
      'chen',
    );
    expect(confirmed.affectedApplicationIds).toEqual([own.applicationId]);
    await revalidateApplications(t.db, confirmed.affectedApplicationIds, profile);
    app = (await getApplication(t.db, own.applicationId))!;
    expect(app.flags.map((f) => f.code)).toEqual([]);
    expect(app.evaluation?.currentByRole['formal-document']?.path).toBe('盖章请示（新）.pdf');

    // and rejected: flagged again, with the rejection in the detail
    await decideSender(
      t.db,
      profile,
      { applicantCode: '220100', address: 'someone@freemail.example', decision: 'rejected' },
      'chen',
    );
    await revalidateApplications(t.db, [own.applicationId], profile);
    app = (await getApplication(t.db, own.applicationId))!;
    expect(app.flags.map((f) => f.code)).toEqual(['UNCONFIRMED_SENDER']);
    expect(app.flags[0]?.detail).toMatch(/已被工作人员否认/);
    expect(app.evaluation?.currentByRole['formal-document']?.path).toBe('请示扫描.pdf');

    const book = await listSenderBook(t.db, profile);
    // what needs a decision first: unconfirmed, then proposed, then rejected and confirmed
    expect(book.map((l) => [l.address, l.status, l.source, l.messageCount, l.decidedBy])).toEqual([
      ['fgw@changchun.gov.cn', 'proposed', 'first-mail', 1, null],
      ['someone@freemail.example', 'rejected', 'staff', 1, 'chen'],
    ]);
  });

  it('GIVEN a stranger who writes first after the deadline THEN nothing is proposed and the mail is flagged', async () => {
    const late = await registerAndValidate(
      t.db,
      registerInput(completeMessage({ from: STRANGER, receivedAt: '2020-05-16T02:00:00.000Z' }), profile),
    );
    const app = (await getApplication(t.db, late.applicationId))!;
    expect(app.flags.map((f) => f.code)).toContain('UNCONFIRMED_SENDER');
    expect(app.messages[0]?.senderStatus).toBe('unconfirmed');
  });

  it('GIVEN profile senders for the applicant THEN only they are confirmed, and no first mail proposes another address', async () => {
    const withSenders = { ...profile, senders: [{ address: '@changchun.gov.cn', applicantCode: '220100' }] };
    const first = await registerAndValidate(t.db, registerInput(strangerMail(), withSenders));
    const own = await registerAndValidate(t.db, registerInput(completeMessage({ from: OWN }), withSenders));
    expect(own.applicationId).toBe(first.applicationId);
    const app = (await getApplication(t.db, own.applicationId))!;
    expect(app.messages.map((m) => [m.fromAddress, m.senderStatus])).toEqual([
      ['fgw@changchun.gov.cn', 'confirmed'],
      ['someone@freemail.example', 'unconfirmed'],
    ]);
    expect(app.evaluation?.currentByRole['formal-document']?.path).toBe('请示扫描.pdf');
  });

  it('refuses a decision that is not well-formed', async () => {
    await expect(
      decideSender(t.db, profile, { applicantCode: '220100', address: 'not an address', decision: 'confirmed' }, 'x'),
    ).rejects.toThrow('邮箱地址无效');
    await expect(
      decideSender(t.db, profile, { applicantCode: '220100', address: 'a@b.cn', decision: 'maybe' }, 'x'),
    ).rejects.toThrow('请选择确认或否认');
  });
});
