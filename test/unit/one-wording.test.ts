// Guards: the same role or copy type worded differently in the 回执, the dashboard and the
// exports (附件2 had three wordings, and one reply showed two of them). An applicant who reads
// a wording in the reply must find it on the register a clerk reads out to them.
import { composeAck, type TAckContextInput } from '@intake/ack-mailer';
import {
  COPY_LABELS,
  ROLE_LABELS,
  buildApplicantDirectory,
  loadCampaignProfile,
  type TAttachment,
  type TCopyType,
  type TDocumentRole,
} from '@intake/domain';
import { addUser, createDashboard, type Dashboard } from '@intake/dashboard';
import { injectLogin } from '@intake/dashboard/testing';
import { silentLogger } from '@intake/logger';
import { attachmentSummary, exportRegisterJson, mainHeaders, type Db } from '@intake/register-store';
import {
  attachment,
  completeMessage,
  openTestDb,
  registerAndValidate,
  registerInput,
  type TestDb,
} from '@intake/register-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const profile = loadCampaignProfile();
const directory = buildApplicantDirectory(profile);

/** One attachment of every role in each copy type a reader can decide. */
const CASES: Array<{ path: string; role: TDocumentRole; copy: TCopyType }> = [
  { path: '请示扫描.pdf', role: 'formal-document', copy: 'scan' },
  { path: '附件1申报材料.docx', role: 'materials', copy: 'electronic' },
  { path: '附件2项目汇总表.xlsx', role: 'project-table', copy: 'electronic' },
  { path: '附件2照片.jpg', role: 'project-table', copy: 'unknown' },
];
const ATTACHMENTS: TAttachment[] = CASES.map((c) =>
  attachment(c.path, { roles: [c.role], copy: c.copy, kind: c.path.endsWith('.jpg') ? 'image' : 'pdf' }),
);

// the wordings that used to coexist; none may come back anywhere
const RETIRED = [/(?<!重点)项目汇总表（附件2）/, /申报文件（请示）/, /副本类型不明/, /[，、]未知[；，]/];

function expectOneWording(surface: string, text: string): void {
  for (const c of CASES) {
    expect(text, `${surface}: ${c.role}`).toContain(ROLE_LABELS[c.role]);
    expect(text, `${surface}: ${c.copy}`).toContain(COPY_LABELS[c.copy]);
  }
  for (const re of RETIRED) expect(text, `${surface}: ${String(re)}`).not.toMatch(re);
}

let t: TestDb;
let db: Db;
let dash: Dashboard;
let applicationId: number;

beforeAll(async () => {
  t = await openTestDb('pglite');
  db = t.db;
  const r = await registerAndValidate(db, registerInput(completeMessage({ attachments: ATTACHMENTS }), profile));
  applicationId = r.applicationId;
  await addUser(db, { username: 'clerk', password: 'clerk-pass-1', role: 'viewer' });
  dash = await createDashboard({
    db,
    profile,
    directory,
    logger: silentLogger,
    sessionSecret: 'w'.repeat(40),
    loginRateLimit: { max: 100, timeWindowMs: 60_000 },
  });
  await dash.app.ready();
});

afterAll(async () => {
  await dash?.close();
  await t?.cleanup();
});

describe('one wording for each role and copy type', () => {
  it('in the 回执 (text and HTML parts)', () => {
    const ctx: TAckContextInput = {
      sourceSha256: 'c'.repeat(64),
      receiptNo: '2020-0001-1',
      applicationReceiptNo: '2020-0001',
      original: {
        messageId: '<w@changchun.example.cn>',
        subject: '长春市生物医药产业集群申报材料',
        from: '长春市发改委 <fgw@changchun.example.cn>',
        replyTo: null,
        references: [],
      },
      receivedAt: '2020-05-10T02:00:00Z',
      attachments: CASES.map((c) => ({ filename: c.path, path: c.path, kind: 'pdf', copy: c.copy, roles: [c.role] })),
      application: {
        applicantName: '长春市',
        cluster: '长春市生物医药产业集群',
        copies: { scan: true, electronic: true },
        documents: { formalDocument: true, materials: true, projectTable: true },
        metrics: {
          totalOutput2019: 80,
          largeEnterprises: 7,
          projectCount: 12,
          largeProjects: 12,
          totalInvestment: 60000,
        },
        flags: [],
        messageCount: 1,
        late: false,
      },
      deadline: profile.deadline,
      timezone: profile.timezone,
      contact: profile.ack.contact,
      submitTo: 'intake@jldrc.example.cn',
    };
    const ack = composeAck(ctx, { from: 'intake@jldrc.example.cn', timezone: profile.timezone });
    expectOneWording('ack text', ack.text);
    expectOneWording('ack html', ack.html);
  });

  it('on the dashboard application page', async () => {
    const s = await injectLogin(dash.app, 'clerk', 'clerk-pass-1');
    const page = await dash.app.inject({
      method: 'GET',
      url: `/applications/${applicationId}`,
      headers: { cookie: s.cookie, accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expectOneWording('dashboard', page.body);
  });

  it('in the register exports (column headers and the per-mail attachment list)', async () => {
    const exp = await exportRegisterJson(db, profile, directory);
    const headers = mainHeaders(profile).join(' ');
    for (const role of Object.values(ROLE_LABELS)) expect(headers).toContain(role);
    const summaries = exp.applications.flatMap((a) => a.messages.map(attachmentSummary)).join('\n');
    expectOneWording('export', summaries);
  });
});
