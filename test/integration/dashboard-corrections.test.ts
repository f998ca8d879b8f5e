// Guards issue 11 end to end: `intake start` (poller, workers, dashboard) on
// real Dovecot, Redis and PostgreSQL, three mails APPENDed to the mailbox, and
// staff in a headless Chromium. A reviewer corrects a misread project amount
// and marks a section row "not a project": the count, the total and
// FEW_LARGE_PROJECTS follow at once; the register export shows the corrected
// values with the readings and a 校正记录 sheet; `intake reprocess` keeps both
// corrections; a copy type corrected to scan clears MISSING_SCAN; a project
// corrected to equal another application's raises DUPLICATE_PROJECT on both;
// a viewer's correction is refused (403), so is one without a CSRF token; a
// reason over the limit or a non-numeric amount comes back on the form; a
// merged application's receipt number still leads to it; the sent 回执 is not
// changed by a correction, and its preview shows what a resend would say.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { launchChromium, screenshotPath, waitForDashboard } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZRegisterExport } from '@intake/register-store';
import { createIsolatedDb } from '../helpers/isolated-db.js';
import { spawnIntake, type CliProcess } from '../helpers/cli-process.js';
import {
  CC_MISREAD,
  CC_REAL,
  CC_SECTION,
  JL_SHARED,
  changchunMail,
  changchunSecondMail,
  jilinMail,
} from '../helpers/correction-mails.js';
import { appendMessage } from '../helpers/mailbox.js';
import { REPO_DIR } from '../helpers/servers.js';
import { uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';

const BIN = path.join(REPO_DIR, 'services/cli/bin/intake.js');
let isolated: Awaited<ReturnType<typeof createIsolatedDb>>;
let dataDir: string;
let env: Record<string, string>;
let start: CliProcess;
let browser: Browser;
let base: string;
const apps: Record<'cc' | 'jl' | 'cc2', { id: number; receiptNo: string }> = {} as never;

const run = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });

async function appByCluster(cluster: string): Promise<{ id: number; receiptNo: string }> {
  const rows = await isolated.db.query<{ id: number; receipt_no: string }>(
    'select id, receipt_no from applications where cluster = $1 and validated_at is not null',
    [cluster],
  );
  if (!rows[0]) throw new Error(`no validated application for ${cluster} yet`);
  return { id: rows[0].id, receiptNo: rows[0].receipt_no };
}

beforeAll(async () => {
  isolated = await createIsolatedDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-fix-'));
  const user = `${uniqueName('fix')}@desk.test`;
  const port = 20000 + Math.floor(Math.random() * 20000);
  base = `http://127.0.0.1:${port}`;
  env = {
    IMAP_URL: `imap://${encodeURIComponent(user)}:${encodeURIComponent(process.env.TEST_MAIL_PASSWORD ?? '')}@127.0.0.1:${process.env.TEST_IMAP_PORT}/INBOX`,
    DATABASE_URL: isolated.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:26379',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: uniqueName('fix').replace(/[^A-Za-z0-9_-]/g, ''),
    DASHBOARD_PORT: String(port),
  };
  expect(run(['user', 'add', 'chen', '--role', 'reviewer', '--password', 'chen-pass-2020']).status).toBe(0);
  expect(run(['user', 'add', 'li', '--role', 'viewer', '--password', 'li-pass-2020']).status).toBe(0);
  start = spawnIntake(['start'], env, path.join(dataDir, 'start.log'));
  for (const m of [await changchunMail(), await jilinMail(), await changchunSecondMail()])
    await appendMessage({ user, raw: m.raw, internalDate: m.internalDate });
  apps.cc = await waitFor(() => appByCluster('长春市生物医药产业集群'), {
    timeoutMs: 90_000,
    message: '长春 registered',
  });
  apps.jl = await waitFor(() => appByCluster('吉林市化工新材料产业集群'), {
    timeoutMs: 90_000,
    message: '吉林 registered',
  });
  apps.cc2 = await waitFor(() => appByCluster('长春市医药健康产业集群'), { timeoutMs: 90_000, message: 'second 长春' });
  // every mail has its stored 回执 (no SMTP_URL: composed and kept)
  await waitFor(
    async () => (await isolated.db.query<{ n: number }>('select count(*)::int as n from acks'))[0]?.n === 3,
    { timeoutMs: 60_000, message: 'three replies composed' },
  );
  await waitForDashboard(base);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  start?.kill('SIGTERM');
  const exit = await start?.exited;
  await isolated?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  expect(exit?.code).toBe(0);
});

async function session(username: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN', acceptDownloads: true })).newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return page;
}

/** The project row whose name cell is exactly `name`. */
function projectRow(page: Page, name: string): Locator {
  return page.locator('table.projects > tbody > tr', {
    has: page.locator('td:nth-child(2)', { hasText: new RegExp(`^${name.replace(/[()（）]/g, '.')}`) }),
  });
}

async function submitFix(page: Page, scope: Locator, fill: (form: Locator) => Promise<void>): Promise<void> {
  await scope.locator('details.fix > summary').first().click();
  const form = scope.locator('details.fix[open] form').first();
  await fill(form);
  await submitAndLoad(page, form.locator('button[type=submit]'));
}

/** Click and wait for the next document's load (the current one has loaded already, so waitForLoadState would not wait). */
async function submitAndLoad(page: Page, button: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('load'), button.click()]);
}

const figure = async (page: Page, label: string) =>
  (await page.locator('table.figures tr', { hasText: label }).locator('td.num').first().innerText())
    .split('（')[0]!
    .trim();
const flags = async (page: Page) => page.locator('section.panel', { hasText: '问题标记' }).first().innerText();

describe('staff correct the register on the running pipeline', () => {
  it('corrects a misread amount and a section row: counts, total and FEW_LARGE_PROJECTS follow; exports show it; reprocess keeps it', async () => {
    const page = await session('chen', 'chen-pass-2020');
    await page.goto(`${base}/applications/${apps.cc.id}`);
    expect(await figure(page, '重点项目（个）')).toBe('11');
    expect(await figure(page, '3000万元以上项目（个）')).toBe('10');
    expect(await flags(page)).not.toContain('3000万元以上项目不足10个');
    const storedAck = (
      await isolated.db.query<{ text_body: string }>(`select text_body from acks where application_id = $1`, [
        apps.cc.id,
      ])
    )[0]!.text_body;
    expect(storedAck).toContain('重点项目 11个');

    await submitFix(page, projectRow(page, CC_SECTION), async (form) => {
      await form.locator('input[name=notProject]').check();
      await form.locator('input[name=reason]').fill('分类标题行，金额为该类5个项目的小计');
    });
    expect(page.url()).toContain('done=correction');
    expect(await figure(page, '重点项目（个）')).toBe('10');
    expect(await figure(page, '3000万元以上项目（个）')).toBe('9');
    expect(await figure(page, '项目总投资（万元）')).toBe('51,400');
    expect(await flags(page)).toContain('3000万元以上项目不足10个');
    expect(await page.locator('table.excluded').innerText()).toContain('分类标题行');

    await submitFix(page, projectRow(page, CC_MISREAD), async (form) => {
      await form.locator('input[name=totalInvestment]').fill('28000');
      await form.locator('input[name=reason]').fill('盖章原件为28000万元，电子表漏一位');
    });
    expect(await figure(page, '3000万元以上项目（个）')).toBe('10');
    expect(await figure(page, '项目总投资（万元）')).toBe('76,600');
    expect(await flags(page)).not.toContain('3000万元以上项目不足10个');
    const row = await projectRow(page, CC_MISREAD).innerText();
    expect(row).toContain('28,000');
    expect(row).toContain('原读取值：2800');
    await page.screenshot({ path: screenshotPath('corrections.png'), fullPage: true });

    // the 回执 already composed stays as it was; the preview shows what a resend would say now
    const sha = (
      await isolated.db.query<{ sha256: string }>('select sha256 from messages where application_id = $1', [apps.cc.id])
    )[0]!.sha256;
    expect(
      (
        await isolated.db.query<{ text_body: string }>(`select text_body from acks where application_id = $1`, [
          apps.cc.id,
        ])
      )[0]!.text_body,
    ).toBe(storedAck);
    await page.goto(`${base}/messages/${sha}/ack-preview`);
    expect(await page.locator('pre.ack-preview').innerText()).toContain('重点项目 10个');

    // the register export: effective values, readings beside them, the 校正记录 sheet
    const resp = await page.request.get(`${base}/export/register.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await resp.body()) as unknown as ArrayBuffer);
    const main = wb.getWorksheet('申报登记表')!;
    const mainRow = main.getRow(main.getColumn(1).values.findIndex((v) => v === apps.cc.receiptNo));
    expect([mainRow.getCell(13).value, mainRow.getCell(14).value]).toEqual([10, 10]);
    expect(mainRow.getCell(17).value).not.toContain('3000万元以上项目不足10个');
    const proj = wb.getWorksheet('重点项目')!;
    const projRows: ExcelJS.Row[] = [];
    proj.eachRow((r) => projRows.push(r));
    const fixed = projRows.find((r) => r.getCell(4).value === CC_MISREAD)!;
    expect(fixed.getCell(7).value).toBe(28000);
    expect(fixed.getCell(7).note as string).toContain('原读取值：2800');
    expect(projRows.some((r) => r.getCell(4).text.startsWith('生物医药产业化重点项目'))).toBe(false);
    const log = wb.getWorksheet('校正记录')!;
    const logText = log
      .getSheetValues()
      .map((r) => JSON.stringify(r))
      .join('\n');
    expect(logText).toContain('分类标题行，金额为该类5个项目的小计');
    expect(logText).toContain('盖章原件为28000万元，电子表漏一位');
    const json = ZRegisterExport.parse(await (await page.request.get(`${base}/export/register.json`)).json());
    const cc = json.applications.find((a) => a.receiptNo === apps.cc.receiptNo)!;
    expect(cc.projects.find((p) => p.name === CC_MISREAD)).toMatchObject({
      totalInvestment: 28000,
      corrected: true,
      original: { totalInvestment: 2800 },
      corrections: [{ by: 'chen', reason: '盖章原件为28000万元，电子表漏一位' }],
    });
    expect(cc.excludedProjects.map((p) => p.corrections?.[0]?.reason)).toEqual(['分类标题行，金额为该类5个项目的小计']);

    // `intake reprocess` re-reads the mail with the current code and keeps both corrections
    const rep = run(['reprocess', apps.cc.receiptNo]);
    expect(rep.status, rep.stderr).toBe(0);
    await page.goto(`${base}/applications/${apps.cc.id}`);
    expect(await figure(page, '重点项目（个）')).toBe('10');
    expect(await figure(page, '项目总投资（万元）')).toBe('76,600');
    expect(await page.locator('table.corrections').innerText()).not.toContain('已撤销');
    expect(await page.locator('table.audit').innerText()).toContain('重新解析');
    expect((await page.locator('table.corrections tbody tr').allInnerTexts()).every((t) => t.includes('生效'))).toBe(
      true,
    );
  });

  it('clears MISSING_SCAN when staff correct a copy type, and raises DUPLICATE_PROJECT on both applications', async () => {
    const page = await session('chen', 'chen-pass-2020');
    await page.goto(`${base}/applications/${apps.jl.id}`);
    expect(await flags(page)).toContain('缺少扫描版');
    const request = page.locator('.att', { hasText: '关于申报吉林市化工新材料产业集群的请示.pdf' });
    await submitFix(page, request, async (form) => {
      await form.locator('select[name=copy]').selectOption('scan');
      await form.locator('input[name=reason]').fill('盖章请示，扫描软件导出为矢量PDF');
    });
    expect(await flags(page)).not.toContain('缺少扫描版');
    expect(await request.innerText()).toContain('扫描版');

    await page.goto(`${base}/applications/${apps.cc.id}`);
    await submitFix(page, projectRow(page, CC_REAL[0]!), async (form) => {
      await form.locator('input[name=name]').fill(JL_SHARED.name);
      await form.locator('input[name=owner]').fill(JL_SHARED.owner);
      await form.locator('input[name=reason]').fill('与吉林市所报为同一项目');
    });
    expect(await flags(page)).toContain('项目与其他申报重复');
    await page.goto(`${base}/applications/${apps.jl.id}`);
    expect(await flags(page)).toContain('项目与其他申报重复');
    expect(await flags(page)).toContain(apps.cc.receiptNo);
  });

  it('refuses a viewer (403) and a request without a CSRF token; puts a long reason or a non-number back on the form', async () => {
    const viewer = await session('li', 'li-pass-2020');
    await viewer.goto(`${base}/applications/${apps.cc.id}`);
    expect(await viewer.locator('table.corrections').innerText()).toContain('盖章原件为28000万元');
    expect(await viewer.locator('details.fix').count()).toBe(0);
    const token = await viewer.locator('input[name=_csrf]').first().inputValue();
    const asViewer = await viewer.request.post(`${base}/applications/${apps.cc.id}/corrections`, {
      form: { _csrf: token, kind: 'totalOutput2019', value: '1', reason: '伪造' },
    });
    expect(asViewer.status()).toBe(403);

    const page = await session('chen', 'chen-pass-2020');
    const noToken = await page.request.post(`${base}/applications/${apps.cc.id}/corrections`, {
      form: { kind: 'totalOutput2019', value: '1', reason: '无令牌' },
    });
    expect(noToken.status()).toBe(403);

    await page.goto(`${base}/applications/${apps.cc.id}`);
    const row = projectRow(page, CC_REAL[1]!);
    await submitFix(page, row, async (form) => {
      await form.locator('input[name=totalInvestment]').fill('9000');
      await form.locator('input[name=reason]').fill('长'.repeat(201));
    });
    const open = projectRow(page, CC_REAL[1]!).locator('details.fix[open]');
    expect(await open.locator('[role=alert]').innerText()).toBe('校正理由不能超过200个字');
    await open.locator('input[name=reason]').fill('核对原件');
    await open.locator('input[name=totalInvestment]').fill('九千');
    await submitAndLoad(page, open.locator('button[type=submit]'));
    const again = projectRow(page, CC_REAL[1]!).locator('details.fix[open]');
    expect(await again.locator('[role=alert]').innerText()).toBe(
      '总投资（万元）须为数字，例如 3500 或 3500.5，不知道时留空',
    );
    expect(await again.locator('input[name=totalInvestment]').inputValue()).toBe('九千');
    const n = await isolated.db.query<{ n: number }>('select count(*)::int as n from corrections');
    // two from the first test, the copy type, and the duplicate's name and owner: nothing from this one
    expect(n[0]?.n).toBe(5);
  });

  it('merges two applications of one applicant and keeps both receipt numbers reachable', async () => {
    const page = await session('chen', 'chen-pass-2020');
    await page.goto(`${base}/applications/${apps.cc2.id}`);
    await page.locator('#fix-merge > summary').click();
    await page.fill('#fix-merge input[name=intoReceiptNo]', apps.cc.receiptNo);
    await page.fill('#fix-merge input[name=reason]', '医药健康即生物医药集群，同一申报');
    await Promise.all([page.waitForURL(/done=merge/), page.click('#fix-merge button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe(`/applications/${apps.cc.id}`);
    await page.goto(`${base}/applications/${apps.cc2.receiptNo}`);
    expect(new URL(page.url()).pathname).toBe(`/applications/${apps.cc.id}`);
    expect(await page.locator('.notice').first().innerText()).toContain(`受理编号 ${apps.cc2.receiptNo} 已并入本申报`);
    expect(await page.locator('.timeline > li').count()).toBe(2);
    // corrections made before the merge still stand
    expect(await figure(page, '项目总投资（万元）')).toBe('76,600');
    await page.goto(`${base}/applications?q=${apps.cc2.receiptNo}`);
    expect(await page.locator('tbody[data-live]').innerText()).toContain(apps.cc.receiptNo);
  });
});
