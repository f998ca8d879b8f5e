// Guards issue 6 against the running pipeline: `intake start` (poller,
// workers, dashboard) on real Dovecot, Redis and PostgreSQL; a staff member
// logs in, and a submission APPENDed to the mailbox appears in the register
// table without a reload, with its application page showing the attachments,
// the flags and the reply; the xlsx download equals the CLI export.
// Also issue 12.1 and 12.3 through the same running pipeline: a stranger's mail naming 长春市
// joins its application but is flagged UNCONFIRMED_SENDER, does not replace the office's formal
// document, and its 回执 (in the stranger's own mailbox) reveals nothing about the application;
// a reviewer confirming the address on the dashboard clears the flag; a sender-added
// `Authentication-Results: dkim=pass` does not cancel our receiving server's dkim=fail.
//
// Issue 10 §5/§7: an electronic 请示 and, in a second mail, its sealed scan whose date differs —
// once OCR phase 2 has read the scan, the application shows the 请示's facts, the pair with the
// difference highlighted, SCAN_ELECTRONIC_MISMATCH, and the OCR text over the page image.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { type Browser } from 'playwright-core';
import { launchChromium, screenshotPath, waitForDashboard } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import {
  CORPUS_AUTHSERV_ID,
  composeRawMail,
  encodeWords,
  generateCorpus,
  makeRequestTextPdf,
  makeScanPdf,
  makeSealedRequestScanPdf,
  SEALED_REQUEST,
  type Corpus,
} from '@intake/fixture-generator';
import { createIsolatedDb } from '../helpers/isolated-db.js';
import { spawnIntake, type CliProcess } from '../helpers/cli-process.js';
import { appendMessage, listMessages, waitForMessages } from '../helpers/mailbox.js';
import { REPO_DIR } from '../helpers/servers.js';
import { uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';
import { simpleParser } from 'mailparser';

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
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:26379',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: uniqueName('dash').replace(/[^A-Za-z0-9_-]/g, ''),
    DASHBOARD_PORT: String(port),
    SMTP_URL: `smtp://127.0.0.1:${process.env.TEST_SMTP_PORT}`,
    ACK_FROM: user,
    AUTHSERV_ID: CORPUS_AUTHSERV_ID,
    // OCR runs (the pairing test needs its scan read), but no reply waits for it: the corpus's
    // scans are drawn blocks without words, and the replies are what the sender tests read
    OCR_REPLY_WAIT_MS: '0',
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

  it('pairs a scan sent later with the electronic 请示, shows the difference and the OCR text over the page', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${base}/login`);
    await page.fill('#username', 'chen');
    await page.fill('#password', 'chen-pass-2020');
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
    const mail = (subject: string, filename: string, content: Buffer) =>
      new MailComposer({
        from: '长春市发改委 <office@fgw.changchun.gov.cn>',
        to: user,
        subject,
        text: '请查收。',
        attachments: [{ filename, content, contentType: 'application/pdf' }],
      })
        .compile()
        .build();
    const subject = '长春市生物医药产业集群申报材料';
    const electronic = await makeRequestTextPdf({ ...SEALED_REQUEST, date: '2020年5月15日' });
    await appendMessage({
      user,
      raw: await mail(subject, '请示.pdf', electronic),
      internalDate: new Date('2020-05-12T02:00:00Z'),
    });
    await appendMessage({
      user,
      raw: await mail(`${subject}（补充扫描件）`, '扫描件.pdf', await makeSealedRequestScanPdf({ pages: 1 })),
      internalDate: new Date('2020-05-12T03:00:00Z'),
    });
    // the pair exists only after OCR phase 2 read the scan and the application was validated again
    const app = await waitFor(
      async () => {
        const rows = await isolated.db.query<{ id: string; flag_codes: string[] }>(
          `select id, flag_codes from applications where applicant_code = '220100'`,
        );
        return rows.find((r) => r.flag_codes.includes('SCAN_ELECTRONIC_MISMATCH')) ?? null;
      },
      { timeoutMs: 240_000, intervalMs: 500, message: 'scan read by OCR and paired with the electronic copy' },
    );
    await page.goto(`${base}/applications/${app.id}`);
    const facts = await page.locator('#document-facts').innerText();
    expect(facts).toContain('长发改高技〔2020〕86号');
    expect(facts).toContain('长春市发展和改革委员会');
    expect(facts).toContain('2020-05-12');
    expect(facts).toContain('2020-05-15');
    expect(facts).toContain('见红色印章');
    expect(await page.locator('body').innerText()).toContain('扫描版与电子版不一致');

    await Promise.all([page.waitForURL(/\/pairs\/0$/), page.locator('#copy-pairs a').first().click()]);
    expect(await page.locator('.pair-verdict').innerText()).toContain('成文日期：扫描版2020-05-12，电子版2020-05-15');
    const diffRows = await page.locator('table.pair-facts tr.diff th').allInnerTexts();
    expect(diffRows).toEqual(['成文日期']);
    expect(await page.locator('ol.pair-lines li.diff').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('pair.png'), fullPage: true });

    await page.goto(`${base}/applications/${app.id}`);
    await Promise.all([page.waitForURL(/\/ocr\//), page.locator('.words a', { hasText: '第1页' }).first().click()]);
    const text = await page.locator('.ocr-text').innerText();
    expect(text).toContain(SEALED_REQUEST.title);
    const overlay = page.locator('svg.ocr-page .ocr-lines');
    expect(await overlay.isVisible()).toBe(true);
    expect(await page.locator('svg.ocr-page .ocr-lines text').count()).toBeGreaterThan(5);
    // the page image is served and drawn under the lines
    const src = await page.locator('svg.ocr-page image').getAttribute('href');
    const img = await page.request.get(`${base}${src}`);
    expect(img.headers()['content-type']).toBe('image/png');
    await page.screenshot({ path: screenshotPath('ocr-page.png') });
    await page.locator('#ocr-toggle').uncheck();
    expect(await overlay.isVisible()).toBe(false);
  });
});

const count = async (sql: string, params: unknown[] = []) =>
  (await isolated.db.query<{ n: number }>(sql, params))[0]?.n ?? 0;

/** A mail written by someone outside the office, in the style of a real resend. */
async function strangerMail(o: {
  from: string;
  subject: string;
  messageId: string;
  date: Date;
  headers?: Array<[string, string]>;
  /** the file name of a sealed scan to attach, or none */
  scan: string | null;
}) {
  return composeRawMail({
    from: o.from,
    subject: encodeWords(o.subject, 'UTF-8'),
    date: o.date,
    messageId: o.messageId,
    boundary: `b-${o.messageId.replace(/[^a-z0-9]/gi, '')}`,
    text: '您好，补充报送盖章扫描件，请查收。',
    charset: 'UTF-8',
    files: o.scan
      ? [
          {
            filename: o.scan,
            content: await makeScanPdf({ pages: ['formal', 'formal'], seed: 9121 }),
            contentType: 'application/pdf',
            kind: 'pdf',
            copy: 'scan',
            roles: ['formal-document'],
          },
        ]
      : [],
    filenameStyle: 'rfc2231-utf8',
    ...(o.headers ? { extraHeaders: o.headers } : {}),
  });
}

describe('who may file for whom, on the running pipeline (issue 12.1, 12.3)', () => {
  it('a stranger’s mail naming an office’s cluster joins, flagged, replaces nothing, gets a receipt that reveals nothing; confirming clears it', async () => {
    // 敦化市: an applicant no other test in this file writes for (the pairing test writes for 长春市,
    // and the first mail of an applicant proposes its address)
    const office = corpus.cases.find((x) => x.id === '09-dunhua-medicine-complete')!;
    const code = office.expected.applicant!.code;
    const cluster = office.expected.cluster!;
    const scanName = `关于申报${cluster}的请示（盖章扫描件）.pdf`;
    await appendMessage({ user, raw: office.raw, internalDate: office.internalDate });
    await waitFor(
      async () =>
        (await count(
          `select count(*)::int as n from messages m join applications a on a.id = m.application_id
           where a.applicant_code = $1 and a.validated_at is not null`,
          [code],
        )) === 1,
      { timeoutMs: 60_000, message: 'the office’s mail registered and validated' },
    );
    const [own] = await isolated.db.query<{ id: number; application_id: number; sha256: string; receipt_no: string }>(
      `select m.id, m.application_id, m.sha256, a.receipt_no from messages m join applications a on a.id = m.application_id
       where a.applicant_code = $1`,
      [code],
    );

    const stranger = `${uniqueName('someone')}@freemail.test`;
    await appendMessage({
      user,
      raw: await strangerMail({
        from: `=?UTF-8?B?${Buffer.from('王科长').toString('base64')}?= <${stranger}>`,
        subject: `补充盖章扫描件——${cluster}`,
        messageId: `<${uniqueName('s')}@freemail.test>`,
        date: new Date('2020-05-13T01:00:00Z'),
        scan: scanName,
      }),
      internalDate: new Date('2020-05-13T01:00:05Z'),
    });
    // the real server said dkim=fail; the sender wrote a dkim=pass of its own into the mail
    const forgedFrom = `${uniqueName('spoof')}@fgw.jilin.test`;
    await appendMessage({
      user,
      raw: await strangerMail({
        from: `<${forgedFrom}>`,
        subject: '吉林市碳纤维产业集群申报材料',
        messageId: `<${uniqueName('f')}@fgw.jilin.test>`,
        date: new Date('2020-05-13T02:00:00Z'),
        headers: [
          ['Authentication-Results', 'mx.freemail.test; dkim=pass header.d=fgw.jilin.test; spf=pass'],
          [
            'Authentication-Results',
            `${CORPUS_AUTHSERV_ID}; dkim=fail (signature did not verify) header.d=fgw.jilin.test`,
          ],
        ],
        scan: null,
      }),
      internalDate: new Date('2020-05-13T02:00:05Z'),
    });

    const [reply] = await waitForMessages({ user: stranger, timeoutMs: 60_000 });
    await waitFor(async () => (await count(`select count(*)::int as n from acks where status = 'skipped'`)) >= 1, {
      timeoutMs: 60_000,
      message: 'the forged mail was answered with nothing',
    });
    const [msg] = await isolated.db.query<{ application_id: number; sender_status: string }>(
      `select application_id, sender_status from messages where from_address = $1`,
      [stranger],
    );
    expect(msg?.application_id).toBe(own!.application_id);
    expect(msg?.sender_status).toBe('unconfirmed');
    const [app] = await isolated.db.query<{ flag_codes: string[]; formal: string | null }>(
      `select flag_codes, evaluation->'currentByRole'->'formal-document'->>'messageKey' as formal from applications where id = $1`,
      [own!.application_id],
    );
    expect(app?.flag_codes).toContain('UNCONFIRMED_SENDER');
    expect(app?.formal).toBe(own!.sha256);

    // the stranger's 回执: receipt of that mail, nothing about the office's application
    const parsed = await simpleParser(reply!.raw);
    const text = `${parsed.subject ?? ''}\n${parsed.text ?? ''}\n${String(parsed.html)}`;
    expect(text).toContain('已收到您的邮件');
    expect(text).toContain(scanName);
    for (const secret of [own!.receipt_no, '受理编号', '缺少', '亿元', '项目', '截止', office.from])
      expect(text, secret).not.toContain(secret);
    const withoutOwnWords = text.replaceAll(`补充盖章扫描件——${cluster}`, '').replaceAll(scanName, '');
    expect(withoutOwnWords).not.toContain(cluster);
    expect(withoutOwnWords).not.toContain('敦化');
    expect((await listMessages({ user: stranger })).length).toBe(1);

    // the forged dkim=pass is ignored: our server's dkim=fail stands
    const [forged] = await isolated.db.query<{ flag_codes: string[]; ignored: number }>(
      `select flag_codes, (parsed->'authentication'->>'ignoredHeaders')::int as ignored from messages where from_address = $1`,
      [forgedFrom],
    );
    expect(forged?.flag_codes).toContain('UNVERIFIED_SENDER');
    expect(forged?.ignored).toBe(1);
    expect(await listMessages({ user: forgedFrom })).toHaveLength(0);

    // a reviewer confirms the address on the application page
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${base}/login`);
    await page.fill('#username', 'chen');
    await page.fill('#password', 'chen-pass-2020');
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
    await page.goto(`${base}/applications/${own!.application_id}`);
    const line = page.locator('div.sender', { hasText: stranger });
    await expect.poll(() => line.innerText()).toContain('未确认');
    await Promise.all([
      page.waitForURL(/done=sender-confirmed/),
      line
        .locator('form', { has: page.locator('input[name=decision][value=confirmed]') })
        .locator('button')
        .click(),
    ]);
    await expect.poll(() => page.locator('div.sender', { hasText: stranger }).innerText()).toContain('已确认');
    const [after] = await isolated.db.query<{ flag_codes: string[] }>(
      'select flag_codes from applications where id = $1',
      [own!.application_id],
    );
    expect(after?.flag_codes).not.toContain('UNCONFIRMED_SENDER');
    expect(
      await count(`select count(*)::int as n from audit_log where action = 'sender-confirmed' and actor = 'chen'`),
    ).toBe(1);
  });
});
