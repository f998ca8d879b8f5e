// Guards issue 6 against the running pipeline: `intake start` (poller,
// workers, dashboard) on real Dovecot, Redis and PostgreSQL; a staff member
// logs in, and a submission APPENDed to the mailbox appears in the register
// table without a reload, with its application page showing the attachments,
// the flags and the reply; the xlsx download equals the CLI export.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { type Browser } from 'playwright-core';
import { launchChromium, waitForDashboard } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus, type Corpus } from '@intake/fixture-generator';
import { createIsolatedDb } from '../helpers/isolated-db.js';
import { spawnIntake, type CliProcess } from '../helpers/cli-process.js';
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
let corpus: Corpus;
let user: string;

const run = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });

beforeAll(async () => {
  corpus = await generateCorpus();
  isolated = await createIsolatedDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-dash-'));
  user = `${uniqueName('dash')}@desk.test`;
  const port = 20000 + Math.floor(Math.random() * 20000);
  base = `http://127.0.0.1:${port}`;
  env = {
    IMAP_URL: `imap://${encodeURIComponent(user)}:${encodeURIComponent(process.env.TEST_MAIL_PASSWORD ?? '')}@127.0.0.1:${process.env.TEST_IMAP_PORT}/INBOX`,
    DATABASE_URL: isolated.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:56379',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: uniqueName('dash').replace(/[^A-Za-z0-9_-]/g, ''),
    DASHBOARD_PORT: String(port),
    SMTP_URL: `smtp://127.0.0.1:${process.env.TEST_SMTP_PORT}`,
    ACK_FROM: user,
  };
  expect(run(['user', 'add', 'chen', '--role', 'reviewer', '--password', 'chen-pass-2020']).status).toBe(0);
  start = spawnIntake(['start'], env, path.join(dataDir, 'start.log'));
  await waitForDashboard(base);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  start?.kill('SIGTERM');
  const exit = await start?.exited;
  await isolated?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  expect(exit?.code).toBe(0);
});

describe('dashboard on the running pipeline', () => {
  it('shows a newly arrived submission live, with its attachments, flags and reply', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN', acceptDownloads: true })).newPage();
    await page.goto(`${base}/applications`);
    await page.fill('#username', 'chen');
    await page.fill('#password', 'chen-pass-2020');
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
    await page.goto(`${base}/applications`);
    const rows = () => page.locator('tbody[data-live] tr:not(:has(td.empty))').count();
    expect(await rows()).toBe(0);

    const c = corpus.cases.find((x) => x.id.includes('gongzhuling') && x.id.includes('electronic-only'))!;
    await appendMessage({ user, raw: c.raw, internalDate: c.internalDate });
    await waitFor(async () => (await rows()) === 1, {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: 'the new row shows up without a reload',
    });
    const row = page.locator('tbody[data-live] tr').first();
    await expect.poll(() => row.innerText(), { timeout: 60_000 }).toContain('公主岭市');
    await expect.poll(() => row.innerText(), { timeout: 60_000 }).toContain('缺少扫描版');

    // the reply is recorded before we open the page
    await waitFor(
      async () =>
        Number(
          (await isolated.db.query<{ n: number }>(`select count(*)::int as n from acks where status = 'sent'`))[0]?.n,
        ) === 1,
      { timeoutMs: 60_000, message: 'reply sent' },
    );
    await Promise.all([page.waitForURL(/\/applications\/\d+/), row.locator('a').first().click()]);
    const body = await page.locator('body').innerText();
    for (const a of c.expected.attachments) expect(body).toContain(a.path.split('/').pop());
    expect(body).toContain('缺少扫描版');
    expect(body).toMatch(/受理编号/);

    // the browser session's download of the register, as staff click it on /downloads
    const resp = await page.request.get(`${base}/export/register.xlsx`);
    expect(resp.ok()).toBe(true);
    expect(resp.headers()['content-disposition']).toMatch(/attachment/);
    const file = path.join(dataDir, 'dash.xlsx');
    fs.writeFileSync(file, await resp.body());
    const cliFile = path.join(dataDir, 'cli.xlsx');
    expect(run(['register', 'export', '--format', 'xlsx', '--out', cliFile]).status).toBe(0);
    const read = async (f: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(f);
      return wb.worksheets.map((ws) => ws.getSheetValues().map((r) => JSON.stringify(r)));
    };
    expect(await read(file)).toEqual(await read(cliFile));
  });
});
