import { describe, expect, it } from 'vitest';
import { loadCampaignProfile, type TParsedMessage } from '@intake/domain';
import { getApplication } from './applications.js';
import { registerMessage, type RegisterMessageInput } from './register-message.js';
import {
  registerAndValidate,
  completeMessage,
  parsedMessage,
  projectTable,
  projects,
  scanFormal,
  electronicMaterials,
  sha,
} from './testing/factories.js';
import { TEST_ENGINES, useTestDb } from './testing/register-suite.js';

const profile = loadCampaignProfile();

function input(parsed: TParsedMessage, over: Partial<RegisterMessageInput> = {}): RegisterMessageInput {
  return {
    parsed,
    sha256: sha(JSON.stringify(parsed)),
    receivedAt: new Date(parsed.receivedAt ?? '2020-05-10T02:00:00Z'),
    receivedAtSource: 'server',
    profile,
    parserVersion: 'p1',
    ...over,
  };
}

describe.each(TEST_ENGINES)('registerMessage on %s', (engine) => {
  const t = useTestDb(engine, { poolSize: 8 });

  it('GIVEN a first complete mail THEN it opens application 2020-0001 with message 2020-0001-1 and no problem flags', async () => {
    const r = await registerAndValidate(t.db, input(completeMessage()));
    expect(r).toMatchObject({ applicationReceiptNo: '2020-0001', messageReceiptNo: '2020-0001-1', created: true });
    const app = await getApplication(t.db, '2020-0001-1');
    expect(app?.id).toBe(r.applicationId);
    expect(app?.flags.map((f) => f.code)).toEqual([]);
    expect(app?.copies).toEqual({ scan: true, electronic: true });
    expect(app?.projects).toHaveLength(12);
    expect(app?.messages[0]?.attachments.map((a) => a.copy)).toEqual(['scan', 'electronic', 'electronic']);
  });

  // regression guard: a double delivery (two UIDs, or IMAP + import) must not count as a resend
  it('GIVEN the same bytes twice THEN one message, the earliest receipt time kept', async () => {
    const parsed = completeMessage();
    const first = await registerMessage(t.db, input(parsed, { receivedAt: new Date('2020-05-10T05:00:00Z') }));
    const again = await registerMessage(t.db, input(parsed, { receivedAt: new Date('2020-05-10T03:00:00Z') }));
    expect(again).toMatchObject({
      created: false,
      messageRowId: first.messageRowId,
      messageReceiptNo: first.messageReceiptNo,
    });
    const app = await getApplication(t.db, first.applicationId);
    expect(app?.messages).toHaveLength(1);
    expect(app?.messages[0]?.receivedAt.toISOString()).toBe('2020-05-10T03:00:00.000Z');
  });

  it('GIVEN the same Message-ID from the same sender with other bytes THEN it is the same message, kept as a variant', async () => {
    const parsed = completeMessage({ messageId: '<a1@changchun.gov.cn>' });
    const first = await registerMessage(t.db, input(parsed, { sha256: sha('variant-1') }));
    const again = await registerMessage(t.db, input(parsed, { sha256: sha('variant-2') }));
    expect(again.created).toBe(false);
    expect(again.messageRowId).toBe(first.messageRowId);
    const app = await getApplication(t.db, first.applicationId);
    expect(app?.messages[0]?.otherSha256).toEqual([sha('variant-2')]);
    // another sender reusing the Message-ID is another message
    const other = await registerMessage(
      t.db,
      input({ ...parsed, from: 'x <x@jl.gov.cn>' }, { sha256: sha('variant-3') }),
    );
    expect(other.created).toBe(true);
  });

  it('GIVEN a resend spelling the cluster differently and carrying the scan THEN it joins the application and clears MISSING_SCAN', async () => {
    const first = await registerAndValidate(
      t.db,
      input(
        parsedMessage({
          attachments: [electronicMaterials(), projectTable()],
          projects: projects('长春', 12),
        }),
      ),
    );
    let app = await getApplication(t.db, first.applicationId);
    expect(app?.flagCodes).toContain('MISSING_SCAN');
    const second = await registerAndValidate(
      t.db,
      input(
        parsedMessage({
          cluster: '“2020年长春生物医药集群”',
          subject: '补充扫描件',
          attachments: [scanFormal()],
          receivedAt: '2020-05-11T02:00:00.000Z',
        }),
      ),
    );
    expect(second.applicationId).toBe(first.applicationId);
    expect(second.messageReceiptNo).toBe('2020-0001-2');
    app = await getApplication(t.db, first.applicationId);
    expect(app?.flagCodes).not.toContain('MISSING_SCAN');
    expect(app?.flagCodes).not.toContain('MISSING_FORMAL_DOCUMENT');
    expect(app?.messageCount).toBe(2);
    expect(app?.lastReceivedAt?.toISOString()).toBe('2020-05-11T02:00:00.000Z');
  });

  // issue 9.4: the resend "补充盖章扫描件——长春市光电子产业集群" became an application of its own
  it('GIVEN a resend whose cluster name is contained in the application’s (or contains it) THEN it joins it', async () => {
    const optics = await registerMessage(
      t.db,
      input(completeMessage({ cluster: '长春市光电子信息产业集群', field: '光电子' })),
    );
    const bio = await registerMessage(t.db, input(completeMessage({ receivedAt: '2020-05-10T03:00:00.000Z' })));
    expect(bio.applicationId).not.toBe(optics.applicationId);
    const shorter = await registerMessage(
      t.db,
      input(
        parsedMessage({
          from: '王科长 <wang.kezhang@freemail.example>',
          subject: '补充盖章扫描件——长春市光电子产业集群',
          cluster: '长春市光电子产业集群',
          attachments: [scanFormal('盖章扫描件.pdf')],
          receivedAt: '2020-05-11T02:00:00.000Z',
        }),
      ),
    );
    expect(shorter.applicationId).toBe(optics.applicationId);
    const longer = await registerMessage(
      t.db,
      input(
        parsedMessage({
          cluster: '长春市生物医药及医疗器械产业集群',
          attachments: [scanFormal('扫描3.pdf')],
          receivedAt: '2020-05-12T02:00:00.000Z',
        }),
      ),
    );
    expect(longer.applicationId).toBe(bio.applicationId);
    // one character in common is not a containment worth joining on
    const other = await registerMessage(
      t.db,
      input(parsedMessage({ cluster: '长春市光产业集群', attachments: [scanFormal('扫描4.pdf')] })),
    );
    expect([optics.applicationId, bio.applicationId]).not.toContain(other.applicationId);
  });

  it('GIVEN a mail without a cluster THEN it joins the applicant’s latest application; a new cluster opens another', async () => {
    const bio = await registerMessage(t.db, input(completeMessage()));
    const optics = await registerMessage(
      t.db,
      input(
        completeMessage({
          cluster: '长春市光电子产业集群',
          field: '光电子',
          receivedAt: '2020-05-12T02:00:00.000Z',
        }),
      ),
    );
    expect(optics.applicationId).not.toBe(bio.applicationId);
    expect(optics.applicationReceiptNo).toBe('2020-0002');
    const scans = await registerMessage(
      t.db,
      input(
        parsedMessage({
          cluster: null,
          subject: '扫描件',
          attachments: [scanFormal('扫描2.pdf')],
          receivedAt: '2020-05-13T02:00:00.000Z',
        }),
      ),
    );
    expect(scans.applicationId).toBe(optics.applicationId);
  });

  it('GIVEN a first mail without a cluster THEN the applicant’s next mail naming one adopts that application', async () => {
    const bare = await registerMessage(t.db, input(parsedMessage({ cluster: null, attachments: [scanFormal()] })));
    const named = await registerMessage(t.db, input(completeMessage({ receivedAt: '2020-05-11T02:00:00.000Z' })));
    expect(named.applicationId).toBe(bare.applicationId);
    const app = await getApplication(t.db, bare.applicationId);
    expect(app?.cluster).toBe('长春市生物医药产业集群');
  });

  it('GIVEN no recognisable applicant THEN the mail is an application of its own with UNKNOWN_APPLICANT', async () => {
    const a = await registerAndValidate(t.db, input(completeMessage({ applicant: null, cluster: null })));
    const b = await registerAndValidate(
      t.db,
      input(completeMessage({ applicant: null, cluster: null, subject: '另一封' })),
    );
    expect(a.applicationId).not.toBe(b.applicationId);
    const app = await getApplication(t.db, a.applicationId);
    expect(app?.applicant).toBeNull();
    expect(app?.flagCodes).toContain('UNKNOWN_APPLICANT');
  });

  it('GIVEN a mail received after the deadline THEN the application is LATE and the message marked late', async () => {
    const r = await registerAndValidate(t.db, input(completeMessage({ receivedAt: '2020-05-15T16:30:00.000Z' })));
    const app = await getApplication(t.db, r.applicationId);
    expect(app?.late).toBe(true);
    expect(app?.flagCodes).toContain('LATE');
    expect(app?.messages[0]?.late).toBe(true);
  });

  it('GIVEN a reprocess with a new parser version THEN the parsed data is replaced and the message regrouped', async () => {
    const parsed = completeMessage({ applicant: null, cluster: null });
    const i = input(parsed);
    const first = await registerAndValidate(t.db, i);
    const re = await registerAndValidate(t.db, { ...i, parsed: completeMessage(), parserVersion: 'p2' });
    expect(re.created).toBe(false);
    expect(re.messageReceiptNo).toBe(first.messageReceiptNo);
    expect(re.applicationId).not.toBe(first.applicationId);
    expect(await getApplication(t.db, first.applicationId)).toBeNull();
    const app = await getApplication(t.db, re.applicationId);
    expect(app?.applicant?.code).toBe('220100');
    expect(app?.messages[0]?.parserVersion).toBe('p2');
    expect(app?.flagCodes).not.toContain('UNKNOWN_APPLICANT');
  });

  // regression guard: two workers registering two mails of one application at once must not split it
  it('GIVEN many mails of one application registered in parallel THEN exactly one application with unique receipt numbers', async () => {
    const n = 24;
    const results = await Promise.all(
      Array.from({ length: n }, (_, k) =>
        registerMessage(
          t.db,
          input(
            parsedMessage({
              subject: `第${k}封`,
              cluster: k % 2 ? '长春市生物医药产业集群' : '生物医药产业集群',
              attachments: [scanFormal(`s${k}.pdf`)],
              receivedAt: new Date(Date.UTC(2020, 4, 10, 0, k)).toISOString(),
            }),
          ),
        ),
      ),
    );
    expect(new Set(results.map((r) => r.applicationId)).size).toBe(1);
    expect(new Set(results.map((r) => r.messageReceiptNo)).size).toBe(n);
    const app = await getApplication(t.db, results[0]!.applicationId);
    expect(app?.messageCount).toBe(n);
    expect(app?.messages.map((m) => m.receiptNo).sort()).toEqual(
      Array.from({ length: n }, (_, k) => `2020-0001-${k + 1}`).sort(),
    );
  });

  it('GIVEN parallel mails of many applicants and duplicate deliveries THEN receipt numbers stay unique and nothing is lost', async () => {
    const codes = [
      ['220100', '长春市'],
      ['220200', '吉林市'],
      ['220300', '四平市'],
      ['220400', '辽源市'],
    ] as const;
    const inputs = codes.flatMap(([code, name], c) =>
      Array.from({ length: 5 }, (_, k) =>
        input(
          parsedMessage({
            applicant: { code, name },
            cluster: `${name}新材料产业集群`,
            subject: `${name}-${k}`,
            receivedAt: new Date(Date.UTC(2020, 4, 10, c, k)).toISOString(),
          }),
        ),
      ),
    );
    const results = await Promise.all([...inputs, ...inputs.slice(0, 6)].map((i) => registerMessage(t.db, i)));
    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(inputs.length);
    expect(new Set(results.map((r) => r.applicationReceiptNo)).size).toBe(codes.length);
    expect(new Set(created.map((r) => r.messageReceiptNo)).size).toBe(inputs.length);
    const count = await t.db.query<{ n: number }>('select count(*)::int as n from messages');
    expect(Number(count[0]?.n)).toBe(inputs.length);
  });
});
