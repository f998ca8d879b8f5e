/**
 * The staff dashboard in a real headless Chromium against a register seeded
 * through @intake/register-store (in-memory PGlite). Guards: login bypass on
 * any route, filters/search not narrowing, review changes by viewers, stored
 * XSS through subjects and file names, the xlsx download drifting from the
 * CLI exporter, and the table not updating live.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SCREENSHOT_DIR, launchChromium } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import { silentLogger } from '@intake/logger';
import { exportRegisterXlsx, migrate, openDb, type Db } from '@intake/register-store';
import { addUser, createDashboard, type Dashboard } from '@intake/dashboard';
import {
  demoAttachmentLoader,
  demoFile,
  demoMessage,
  registerDemoMessage,
  seedDemoRegister,
} from '@intake/dashboard/testing';

const profile = loadCampaignProfile();
const directory = buildApplicantDirectory(profile);
const SHOTS = SCREENSHOT_DIR;
const PASSWORDS = { reviewer: 'reviewer-pass-1', viewer: 'viewer-pass-1', admin: 'admin-pass-12' } as const;

let db: Db;
let dash: Dashboard;
let base: string;
let browser: Browser;
let ids: number[];

async function newSession(user: keyof typeof PASSWORDS): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  const page = await ctx.newPage();
  page.on('dialog', (d) => {
    throw new Error(`a dialog fired: ${d.message()}`);
  });
  await page.goto(`${base}/`);
  expect(page.url()).toContain('/login');
  await page.fill('#username', user);
  await page.fill('#password', PASSWORDS[user]);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
  return { ctx, page };
}

async function rowCount(page: Page): Promise<number> {
  return page.locator('tbody[data-live] tr:not(:has(td.empty))').count();
}

beforeAll(async () => {
  db = await openDb({ memory: true });
  await migrate(db);
  ids = await seedDemoRegister(db, profile);
  for (const role of ['reviewer', 'viewer', 'admin'] as const)
    await addUser(db, { username: role, password: PASSWORDS[role], role });
  dash = await createDashboard({
    db,
    profile,
    directory,
    logger: silentLogger,
    sessionSecret: 'integration-test-secret-0123456789abcdef',
    loadAttachment: demoAttachmentLoader(db),
    smtpConfigured: false,
  });
  base = await dash.listen(0, '127.0.0.1');
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await db?.close();
});

describe('dashboard in a browser', () => {
  it('shows the overview with counts, deadline and missing applicants', async () => {
    const { ctx, page } = await newSession('reviewer');
    const received = page.locator('.kpi .card', { hasText: '已收申报' }).locator('.n');
    expect(await received.innerText()).toBe('4');
    expect(await page.locator('.kpi .card', { hasText: '逾期报送' }).locator('.n').innerText()).toBe('1');
    expect(await page.locator('.kpi .deadline').innerText()).toContain('已截止');
    expect(await page.locator('.missing-groups').innerText()).toContain('四平市');
    expect(await page.locator('.chart svg').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'overview.png'), fullPage: true });
    await ctx.close();
  });

  it('filters the register by flag and narrows it by search', async () => {
    const { ctx, page } = await newSession('viewer');
    await page.goto(`${base}/applications`);
    expect(await rowCount(page)).toBe(4);
    await page.screenshot({ path: path.join(SHOTS, 'register.png') });
    await page.selectOption('select[name=flag]', 'FEW_LARGE_PROJECTS');
    await Promise.all([page.waitForURL(/flag=FEW_LARGE_PROJECTS/), page.click('form.filters button[type=submit]')]);
    expect(await rowCount(page)).toBe(1);
    expect(await page.locator('tbody[data-live]').innerText()).toContain('吉林市');
    await page.goto(`${base}/applications`);
    await page.fill('input[name=q]', '长春');
    await Promise.all([page.waitForURL(/q=/), page.click('form.filters button[type=submit]')]);
    expect(await rowCount(page)).toBe(1);
    expect(await page.locator('tbody[data-live]').innerText()).toContain('长春市生物医药产业集群');
    await ctx.close();
  });

  it('shows an application with attachments, projects and flags with evidence', async () => {
    const { ctx, page } = await newSession('reviewer');
    await page.goto(`${base}/applications/${ids[1]}`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('重点项目汇总表.xlsx');
    expect(text).toContain('吉林项目8');
    expect(text).toContain('3000万元以上项目不足10个');
    expect(text).toContain('2019年集群总产值达到41.2亿元。');
    expect(text).toContain('Sheet1 第4行');
    await page.screenshot({ path: path.join(SHOTS, 'application.png'), fullPage: true });
    await page.goto(`${base}/applications/${ids[0]}`);
    const dl = page.locator('a', { hasText: '下载原件' }).first();
    const href = await dl.getAttribute('href');
    const res = await page.request.get(`${base}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(res.headers()['content-disposition']).toMatch(/^attachment; filename=".+"; filename\*=UTF-8''/);
    await ctx.close();
  });

  it('lets a reviewer change the review status with a note, shown in the audit log', async () => {
    const { ctx, page } = await newSession('reviewer');
    await page.goto(`${base}/applications/${ids[0]}`);
    await page.selectOption('#review-status', 'expert-review');
    await page.fill('textarea[name=note]', '材料齐全，提交专家评审');
    await Promise.all([page.waitForURL(/done=review/), page.click('.review-form button[type=submit]')]);
    const audit = await page.locator('table.audit').innerText();
    expect(audit).toContain('reviewer');
    expect(audit).toContain('进入专家评审');
    expect(audit).toContain('材料齐全，提交专家评审');
    await ctx.close();
  });

  it('gives a viewer no review form, and a forged POST gets 403', async () => {
    const { ctx, page } = await newSession('viewer');
    await page.goto(`${base}/applications/${ids[2]}`);
    expect(await page.locator('.review-form').count()).toBe(0);
    const token = await page.locator('input[name=_csrf]').first().inputValue();
    const res = await page.request.post(`${base}/applications/${ids[2]}/review`, {
      form: { _csrf: token, status: 'selected', note: 'forged' },
    });
    expect(res.status()).toBe(403);
    const rows = await db.query<{ review_status: string }>('select review_status from applications where id = $1', [
      ids[2],
    ]);
    expect(rows[0]!.review_status).toBe('received');
    await ctx.close();
  });

  it('downloads the register as xlsx matching the exporter', async () => {
    const { ctx, page } = await newSession('viewer');
    await page.goto(`${base}/downloads`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href="/export/register.xlsx"]'),
    ]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dash-')), 'register.xlsx');
    await download.saveAs(file);
    const got = new ExcelJS.Workbook();
    await got.xlsx.readFile(file);
    const want = new ExcelJS.Workbook();
    await want.xlsx.load((await exportRegisterXlsx(db, profile, directory)) as unknown as ArrayBuffer);
    const values = (wb: ExcelJS.Workbook): unknown[][] => {
      const ws = wb.worksheets[0]!;
      const out: unknown[][] = [];
      ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    expect(got.worksheets.map((w) => w.name)).toEqual(want.worksheets.map((w) => w.name));
    expect(values(got)).toEqual(values(want));
    expect(values(got).length).toBeGreaterThan(4);
    await ctx.close();
  });

  it('refuses every route without a session: login redirect for pages, 401 otherwise', async () => {
    const sha = (await db.query<{ sha256: string }>('select sha256 from messages limit 1'))[0]!.sha256;
    const pages = ['/', '/applications', `/applications/${ids[0]}`, '/downloads', '/admin/queues'];
    const apis = [
      '/api/version',
      '/api/applications',
      '/events',
      '/applications/rows',
      `/files/${sha}?path=x`,
      `/preview/${sha}?path=x`,
      '/export/register.xlsx',
      '/export/register.csv',
      '/export/register.json',
      `/applications/${ids[0]}/documents.zip`,
    ];
    for (const p of pages) {
      const r = await fetch(`${base}${p}`, { redirect: 'manual', headers: { accept: 'text/html' } });
      expect(r.status, p).toBe(302);
      expect(r.headers.get('location'), p).toMatch(/^\/login\?next=/);
    }
    for (const p of apis) {
      const r = await fetch(`${base}${p}`, { redirect: 'manual' });
      expect(r.status, p).toBe(401);
      await r.body?.cancel();
    }
    for (const p of [
      `/applications/${ids[0]}/review`,
      '/messages/1/reassign',
      `/applications/${ids[0]}/reprocess`,
      `/messages/${sha}/resend-reply`,
      '/logout',
      '/admin/queues/x/jobs/1/retry',
    ]) {
      const r = await fetch(`${base}${p}`, {
        method: 'POST',
        redirect: 'manual',
        body: 'status=selected',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(r.status, p).toBe(401);
    }
  });

  it('renders <script> in a subject and a file name as text', async () => {
    const { ctx, page } = await newSession('admin');
    await page.goto(`${base}/applications?q=${encodeURIComponent('script')}`);
    expect(await rowCount(page)).toBe(1);
    await page.locator('tbody[data-live] a').first().click();
    await page.waitForURL(/\/applications\/\d+$/);
    const main = page.locator('main');
    expect(await main.innerText()).toContain('<script>alert("subject")</script>申报材料');
    expect(await main.innerText()).toContain('<script>alert("file")</script>.pdf');
    expect(await page.locator('main script').count()).toBe(0);
    await ctx.close();
  });

  it('shows a new application without a reload', async () => {
    const { ctx, page } = await newSession('viewer');
    await page.goto(`${base}/applications`);
    expect(await rowCount(page)).toBe(4);
    await registerDemoMessage(
      db,
      profile,
      demoMessage(
        {
          from: '白山市发改委 <bs@example.org>',
          subject: '白山市矿泉水产业集群申报',
          applicant: { code: '220600', name: '白山市' },
          cluster: '白山市矿泉水产业集群',
          field: null,
          attachments: [demoFile('白山市申报材料.pdf', 'pdf', 'scan', ['materials'], Buffer.from('%PDF-1.4 bs'))],
        },
        '2020-05-13T03:00:00Z',
      ),
    );
    await page.locator('tbody[data-live] tr', { hasText: '白山市' }).waitFor({ timeout: 30_000 });
    expect(await rowCount(page)).toBe(5);
    expect(await page.locator('.pager [data-total]').innerText()).toBe('5');
    await ctx.close();
  });
});
