// Guards issue 12.1 on the dashboard: a stranger's mail naming 长春市 is shown as from an
// unconfirmed address; only a reviewer or admin confirms or rejects it (CSRF, validated form,
// audit log), and the decision re-evaluates UNCONFIRMED_SENDER at once. Issue 12.3: the page
// says when no trusted Authentication-Results exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import { silentLogger } from '@intake/logger';
import { getApplication, listAuditLog, migrate, openDb, type Db } from '@intake/register-store';
import { createDashboard, type Dashboard } from './create-dashboard.js';
import { demoMessages, registerDemoMessage, seedDemoRegister } from './testing/demo-register.js';
import { injectLogin, type InjectedSession } from './testing/inject-login.js';
import { addUser } from './users.js';

const profile = loadCampaignProfile();
let db: Db;
let dash: Dashboard;
let appId: number;
let reviewer: InjectedSession;
let viewer: InjectedSession;

beforeAll(async () => {
  db = await openDb({ memory: true });
  await migrate(db);
  appId = (await seedDemoRegister(db, profile))[0]!;
  const own = demoMessages()[0]!;
  const stranger = structuredClone(own);
  stranger.parsed.from = '某人 <someone@freemail.example>';
  stranger.parsed.subject = '补充盖章扫描件——长春市生物医药产业集群';
  stranger.parsed.attachments = own.parsed.attachments.slice(0, 1);
  stranger.parsed.authentication = { trusted: false, configured: false, results: [], ignoredHeaders: 1 };
  stranger.parsed.sha256 = 'f'.repeat(64);
  stranger.receivedAt = '2020-05-12T02:00:00Z';
  expect(await registerDemoMessage(db, profile, stranger)).toBe(appId);
  await addUser(db, { username: 'viewer', password: 'viewer-pass-1', role: 'viewer' });
  await addUser(db, { username: 'reviewer', password: 'reviewer-pass-1', role: 'reviewer' });
  dash = await createDashboard({
    db,
    profile,
    directory: buildApplicantDirectory(profile),
    logger: silentLogger,
    sessionSecret: 'x'.repeat(40),
    loginRateLimit: { max: 100, timeWindowMs: 60_000 },
  });
  await dash.app.ready();
  reviewer = await injectLogin(dash.app, 'reviewer', 'reviewer-pass-1');
  viewer = await injectLogin(dash.app, 'viewer', 'viewer-pass-1');
}, 120_000);

afterAll(async () => {
  await dash?.close();
  await db?.close();
});

const page = (s: InjectedSession, url: string) =>
  dash.app.inject({ method: 'GET', url, headers: { cookie: s.cookie, accept: 'text/html' } });
const decide = (s: InjectedSession, form: Record<string, string>) =>
  dash.app.inject({
    method: 'POST',
    url: '/senders/decide',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: s.csrf, ...form }).toString(),
  });
const flagCodes = async () => (await getApplication(db, appId))!.flags.map((f) => f.code);

describe('the address book on the dashboard', () => {
  it('shows the stranger’s address as unconfirmed, with no trusted authentication result', async () => {
    expect(await flagCodes()).toContain('UNCONFIRMED_SENDER');
    const r = await page(reviewer, `/applications/${appId}`);
    expect(r.body).toContain('发件邮箱 someone@freemail.example：<span class="status preliminary-failed">未确认');
    expect(r.body).toContain('发件邮箱 gjc@changchun.example：<span class="status expert-review">待确认');
    expect(r.body).toContain('收件服务器认证：无可信结果（未配置 AUTHSERV_ID');
    expect(r.body).toContain('action="/senders/decide"');
    // a viewer sees the state, not the forms
    expect((await page(viewer, `/applications/${appId}`)).body).not.toContain('action="/senders/decide"');
    const book = await page(viewer, '/senders');
    expect(book.statusCode).toBe(200);
    expect(book.body).toContain('someone@freemail.example');
  });

  it('refuses a viewer, a missing CSRF token and a malformed form', async () => {
    const form = { applicantCode: '220100', address: 'someone@freemail.example', decision: 'confirmed' };
    expect((await decide(viewer, form)).statusCode).toBe(403);
    const noCsrf = await dash.app.inject({
      method: 'POST',
      url: '/senders/decide',
      headers: { cookie: reviewer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await decide(reviewer, { ...form, address: '<script>' })).statusCode).toBe(400);
    expect((await decide(reviewer, { ...form, applicantCode: '999999' })).statusCode).toBe(400);
    expect((await decide(reviewer, { ...form, decision: 'maybe' })).statusCode).toBe(400);
    expect(await flagCodes()).toContain('UNCONFIRMED_SENDER');
  });

  it('clears the flag when a reviewer confirms the address, and audits it; rejecting flags it again', async () => {
    const ok = await decide(reviewer, {
      applicantCode: '220100',
      address: 'someone@freemail.example',
      decision: 'confirmed',
      next: `/applications/${appId}`,
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/applications/${appId}?done=sender-confirmed`);
    expect(await flagCodes()).not.toContain('UNCONFIRMED_SENDER');
    const audit = await listAuditLog(db, appId);
    expect(audit.filter((e) => e.action === 'sender-confirmed').map((e) => [e.actor, e.details.address])).toEqual([
      ['reviewer', 'someone@freemail.example'],
    ]);
    const after = await page(reviewer, `/applications/${appId}`);
    expect(after.body).toContain('发件邮箱 someone@freemail.example：<span class="status preliminary-passed">已确认');

    const no = await decide(reviewer, {
      applicantCode: '220100',
      address: 'someone@freemail.example',
      decision: 'rejected',
      next: 'https://evil.example/',
    });
    expect(no.headers.location).toBe('/senders?done=sender-rejected');
    expect(await flagCodes()).toContain('UNCONFIRMED_SENDER');
  });
});
