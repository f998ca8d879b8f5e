// Guards issue 11 on the dashboard's HTTP side: a reviewer's correction is
// recorded and shown with the reading beside it; a viewer's is refused (403),
// so is one without a CSRF token; a reason over the limit or an amount that is
// not a number comes back on the form, open, with a Chinese message and what
// was typed; a merged application's receipt number redirects; the 回执
// preview says what a resend would say while the stored reply stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import { silentLogger } from '@intake/logger';
import {
  exportRegisterJson,
  getApplication,
  getOverviewStats,
  listMissingApplicants,
  migrate,
  openDb,
  type Db,
} from '@intake/register-store';
import { createDashboard, type Dashboard } from './create-dashboard.js';
import { demoFile, demoMessage, registerDemoMessage, seedDemoRegister } from './testing/demo-register.js';
import { injectLogin, type InjectedSession } from './testing/inject-login.js';
import { addUser } from './users.js';
import { formId } from './views/correction-forms.js';
import { renderStaticRegister } from './views/static-register.js';

const profile = loadCampaignProfile();
const directory = buildApplicantDirectory(profile);
let db: Db;
let dash: Dashboard;
let ids: number[];
let reviewer: InjectedSession;
let viewer: InjectedSession;
const previews: string[] = [];

beforeAll(async () => {
  db = await openDb({ memory: true });
  await migrate(db);
  ids = await seedDemoRegister(db, profile);
  await addUser(db, { username: 'viewer', password: 'viewer-pass-1', role: 'viewer' });
  await addUser(db, { username: 'chen', password: 'chen-pass-2020', role: 'reviewer' });
  dash = await createDashboard({
    db,
    profile,
    directory,
    logger: silentLogger,
    sessionSecret: 'c'.repeat(40),
    loginRateLimit: { max: 1000, timeWindowMs: 60_000 },
    triggers: {
      reprocess: async () => undefined,
      resendAck: async () => undefined,
      async previewAck(sha) {
        previews.push(sha);
        const app = await getApplication(
          db,
          (await db.query<{ receipt_no: string }>('select receipt_no from messages where sha256 = $1', [sha]))[0]!
            .receipt_no,
        );
        return { to: 'jlgjk@jilin.example', subject: '回执', text: `项目数：${app?.evaluation?.metrics.projectCount}` };
      },
    },
  });
  await dash.app.ready();
  reviewer = await injectLogin(dash.app, 'chen', 'chen-pass-2020');
  viewer = await injectLogin(dash.app, 'viewer', 'viewer-pass-1');
}, 120_000);

afterAll(async () => {
  await dash?.close();
  await db?.close();
});

const form = (s: InjectedSession, fields: Record<string, string>, withCsrf = true) =>
  new URLSearchParams({ ...(withCsrf ? { _csrf: s.csrf } : {}), ...fields }).toString();

async function post(s: InjectedSession, url: string, fields: Record<string, string>, withCsrf = true) {
  return dash.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: form(s, fields, withCsrf),
  });
}

async function firstProject(appId: number) {
  const app = (await getApplication(db, appId))!;
  const p = app.projects[0]!;
  return {
    app,
    p,
    fields: {
      kind: 'project',
      form: 'fix-project-x',
      messageSha256: p.messageSha256!,
      refKey: p.refKey!,
      name: p.name,
      owner: p.owner ?? '',
      location: p.location ?? '',
      period: p.period ?? '',
    },
  };
}

describe('corrections on the dashboard', () => {
  it('GIVEN a reviewer WHEN they correct an amount THEN the page shows it with the reading, and the audit log records it', async () => {
    const { p, fields } = await firstProject(ids[1]!);
    const r = await post(reviewer, `/applications/${ids[1]}/corrections`, {
      ...fields,
      totalInvestment: '12000',
      reason: '以盖章原件为准',
    });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/applications/${ids[1]}?done=correction#corrections`);
    const page = await dash.app.inject({
      method: 'GET',
      url: String(r.headers.location),
      headers: { cookie: reviewer.cookie, accept: 'text/html' },
    });
    expect(page.body).toContain('校正已保存');
    expect(page.body).toContain(`原读取值：${p.totalInvestment}`);
    expect(page.body).toContain('以盖章原件为准');
    expect(page.body).toContain('12,000');
    const audit = await db.query<{ actor: string }>(`select actor from audit_log where action = 'correction'`);
    expect(audit.map((a) => a.actor)).toEqual(['chen']);
  });

  it('GIVEN a correction THEN the static HTML register marks the cells it moved', async () => {
    const page = renderStaticRegister({
      export: await exportRegisterJson(db, profile, directory),
      stats: await getOverviewStats(db, profile),
      missingApplicants: await listMissingApplicants(db, directory),
      profile,
    });
    expect(page).toMatch(/<td class="num corrected" title="项目表有人工校正（见“重点项目”与“校正记录”）">/);
    expect(page).not.toMatch(/<script/i);
  });

  it('GIVEN rows the reader left out of the table THEN the page lists them beside it, with why', async () => {
    const id = await registerDemoMessage(
      db,
      profile,
      demoMessage(
        {
          from: '通化市发改委 <th@example.org>',
          subject: '通化市医药产业集群申报',
          applicant: { code: '220500', name: '通化市' },
          cluster: '通化市医药产业集群',
          attachments: [demoFile('附件2.xlsx', 'spreadsheet', 'electronic', ['project-table'], Buffer.from('th'))],
          projects: [
            {
              name: '通化项目1',
              owner: '某公司',
              location: null,
              totalInvestment: 5000,
              period: null,
              row: 6,
              sheet: 'Sheet1',
            },
          ],
          evidence: [
            {
              field: 'skippedRow',
              value: 'section',
              text: '一、医药制造类',
              source: '附件2.xlsx',
              range: 'Sheet1!A5:H5',
              reason: '分组标题行，不是项目',
            },
          ],
        },
        '2020-05-13T02:00:00Z',
      ),
    );
    const page = await dash.app.inject({
      method: 'GET',
      url: `/applications/${id}`,
      headers: { cookie: viewer.cookie, accept: 'text/html' },
    });
    expect(page.body).toContain('读取时未计入的行（1）');
    expect(page.body).toContain(
      '<td>一、医药制造类</td><td>分组标题行，不是项目</td><td class="sub">Sheet1!A5:H5</td>',
    );
  });

  it('GIVEN a viewer THEN they see corrections but get no forms, and a forged request is refused 403', async () => {
    const page = await dash.app.inject({
      method: 'GET',
      url: `/applications/${ids[1]}`,
      headers: { cookie: viewer.cookie, accept: 'text/html' },
    });
    expect(page.body).toContain('以盖章原件为准');
    expect(page.body).not.toContain('/corrections#');
    const { fields } = await firstProject(ids[1]!);
    const r = await post(viewer, `/applications/${ids[1]}/corrections`, {
      ...fields,
      totalInvestment: '1',
      reason: '伪造',
    });
    expect(r.statusCode).toBe(403);
    const n = await db.query<{ n: number }>('select count(*)::int as n from corrections');
    expect(n[0]?.n).toBe(1);
  });

  it('GIVEN no CSRF token THEN the correction is refused', async () => {
    const { fields } = await firstProject(ids[1]!);
    const r = await post(
      reviewer,
      `/applications/${ids[1]}/corrections`,
      { ...fields, totalInvestment: '2', reason: 'x' },
      false,
    );
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('表单已过期或来源无效');
    expect((await db.query<{ n: number }>('select count(*)::int as n from corrections'))[0]?.n).toBe(1);
  });

  it('GIVEN a too-long reason or an amount that is not a number THEN the form comes back open with a clear message', async () => {
    const { fields, p } = await firstProject(ids[2]!);
    const id = formId('project', p.messageSha256!, p.refKey!);
    const long = await post(reviewer, `/applications/${ids[2]}/corrections`, {
      ...fields,
      form: id,
      totalInvestment: '9999',
      reason: '长'.repeat(201),
    });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('校正理由不能超过200个字');
    const nan = await post(reviewer, `/applications/${ids[2]}/corrections`, {
      ...fields,
      form: id,
      totalInvestment: '三千万',
      reason: '核对',
    });
    expect(nan.statusCode).toBe(400);
    expect(nan.body).toContain('总投资（万元）须为数字，例如 3500 或 3500.5，不知道时留空');
    // the message sits in its form, which is open, and what was typed is kept
    expect(nan.body).toMatch(
      /<details class="fix" id="fix-project-[0-9a-f]+" open>|<div class="notice error" role="alert">总投资/,
    );
    expect(nan.body).toContain('value="三千万"');
    expect((await db.query<{ n: number }>('select count(*)::int as n from corrections'))[0]?.n).toBe(1);
  });

  it('GIVEN a correction THEN the stored 回执 is unchanged and the preview shows what a resend would say', async () => {
    const sha = (await getApplication(db, ids[1]!))!.messages[0]!.sha256;
    const page = await dash.app.inject({
      method: 'GET',
      url: `/messages/${sha}/ack-preview`,
      headers: { cookie: viewer.cookie, accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('尚未发送');
    expect(page.body).toContain('项目数：8');
    expect(page.body).not.toContain('按此内容重发回执');
    const asReviewer = await dash.app.inject({
      method: 'GET',
      url: `/messages/${sha}/ack-preview`,
      headers: { cookie: reviewer.cookie, accept: 'text/html' },
    });
    expect(asReviewer.body).toContain('按此内容重发回执');
    expect(previews).toEqual([sha, sha]);
  });

  it('GIVEN two applications of one unit merged THEN the retired receipt number redirects to the merged one', async () => {
    // the unattributed demo mail is 长春市's after all: merge it into 长春市's application
    const stray = (await getApplication(db, ids[3]!))!;
    const into = (await getApplication(db, ids[0]!))!;
    const r = await post(reviewer, `/applications/${stray.id}/merge`, {
      intoReceiptNo: into.receiptNo,
      reason: '同一单位补发',
      form: 'fix-merge',
    });
    expect(r.statusCode).toBe(303);
    const old = await dash.app.inject({
      method: 'GET',
      url: `/applications/${stray.receiptNo}`,
      headers: { cookie: viewer.cookie, accept: 'text/html' },
    });
    expect(old.statusCode).toBe(302);
    expect(old.headers.location).toBe(`/applications/${into.id}?from=${stray.receiptNo}`);
    const landed = await dash.app.inject({
      method: 'GET',
      url: String(old.headers.location),
      headers: { cookie: viewer.cookie, accept: 'text/html' },
    });
    expect(landed.body).toContain(`受理编号 ${stray.receiptNo} 已并入本申报`);
    const listed = await dash.app.inject({
      method: 'GET',
      url: `/api/applications?q=${stray.receiptNo}`,
      headers: { cookie: viewer.cookie },
    });
    expect((JSON.parse(listed.body) as { rows: Array<{ receiptNo: string }> }).rows.map((x) => x.receiptNo)).toEqual([
      into.receiptNo,
    ]);
    const refused = await post(reviewer, `/applications/${ids[2]}/merge`, {
      intoReceiptNo: into.receiptNo,
      reason: '试',
      form: 'fix-merge',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('只能合并同一申报单位的两份申报');
  });
});
