// Guards the `intake` command as users' scripts use it (CONTRACT.md): import
// → worker → register export (json/csv/xlsx), reprocess without replying,
// reply preview/resend/reminders, parse, and readable configuration errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZParsedMessage } from '@intake/domain';
import { writeCorpus, type Corpus } from '@intake/fixture-generator';
import { createIsolatedDb } from '../helpers/isolated-db.js';
import { spawnIntake, type CliProcess } from '../helpers/cli-process.js';
import { listMessages } from '../helpers/mailbox.js';
import { REPO_DIR } from '../helpers/servers.js';
import { uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';

const BIN = path.join(REPO_DIR, 'services/cli/bin/intake.js');
let isolated: Awaited<ReturnType<typeof createIsolatedDb>>;
let dir: string;
let corpus: Corpus;
let env: Record<string, string>;
let worker: CliProcess | null = null;

function intake(args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'warn', ...env, ...extraEnv },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const countAcks = async () =>
  Number((await isolated.db.query<{ n: number }>('select count(*)::int as n from acks'))[0]?.n);

beforeAll(async () => {
  isolated = await createIsolatedDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-cli-'));
  corpus = await writeCorpus(path.join(dir, 'corpus'));
  env = {
    DATABASE_URL: isolated.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:26379',
    DATA_DIR: path.join(dir, 'data'),
    QUEUE_PREFIX: uniqueName('cli').replace(/[^A-Za-z0-9_-]/g, ''),
    ACK_FROM: `${uniqueName('desk')}@desk.test`,
    SMTP_URL: `smtp://127.0.0.1:${process.env.TEST_SMTP_PORT}`,
    // the corpus's scans are drawn blocks without words: OCR'ing them on import and reprocess only
    // costs minutes here; OCR through the CLI is tested in ocr-two-phase.test.ts and the unit tests
    OCR_MAX_PAGES: '0',
  };
  const imported = intake(['import', path.join(dir, 'corpus')]);
  expect(imported.code, imported.stderr).toBe(0);
  expect(imported.stdout).toMatch(/imported \d+ message\(s\) from \d+ file\(s\)/);
  worker = spawnIntake(['worker'], env, path.join(dir, 'worker.log'));
  const distinct = new Set(corpus.cases.map((c) => c.raw.toString('base64'))).size;
  await waitFor(
    async () => {
      const [m] = await isolated.db.query<{ n: number }>('select count(*)::int as n from messages');
      const [a] = await isolated.db.query<{ n: number }>(
        `select count(*)::int as n from acks where status in ('sent','skipped','stored','failed')`,
      );
      return Number(m?.n) === distinct && Number(a?.n) >= distinct;
    },
    { timeoutMs: 180_000, intervalMs: 250, message: 'imported corpus processed' },
  );
}, 240_000);

afterAll(async () => {
  worker?.kill('SIGTERM');
  const exit = await worker?.exited;
  await isolated.drop();
  fs.rmSync(dir, { recursive: true, force: true });
  expect(exit?.code).toBe(0);
});

describe('intake CLI', () => {
  it('imports with the receipt time taken from the mail and exports the register as json, csv and xlsx', async () => {
    const json = intake(['register', 'export', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const reg = JSON.parse(json.stdout) as {
      campaign: string;
      applications: Array<{ receiptNo: string; messages: unknown[] }>;
      missingApplicants: unknown[];
    };
    expect(reg.campaign).toBe('jilin-2020-sei-clusters');
    expect(reg.applications.length).toBe(corpus.scenario.applications.length);
    expect(reg.applications.every((a) => /^2020-\d{4}$/.test(a.receiptNo))).toBe(true);
    expect(reg.missingApplicants.length).toBeGreaterThan(0);
    const ledger = await isolated.db.query<{ received_at_source: string }>(
      'select received_at_source from mail_ledger',
    );
    expect(new Set(ledger.map((l) => l.received_at_source))).toEqual(new Set(['date-header']));

    const csv = intake(['register', 'export', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.charCodeAt(0)).toBe(0xfeff);
    expect(csv.stdout.trim().split('\n')).toHaveLength(reg.applications.length + 1);

    const out = path.join(dir, 'register.xlsx');
    expect(intake(['register', 'export', '--format', 'xlsx', '--out', out]).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const main = wb.worksheets[0]!;
    expect(main.getRow(1).values).toContain('受理编号');
    expect(main.rowCount).toBe(reg.applications.length + 1);
  });

  it('reprocess re-reads archived mail, changes nothing that was right and sends no reply', async () => {
    const before = intake(['register', 'export', '--format', 'json']).stdout;
    const acks = await countAcks();
    const r = intake(['reprocess', '--all']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/queued|reprocess/);
    const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), generatedAt: null });
    const after = intake(['register', 'export', '--format', 'json']).stdout;
    expect(strip(after)).toBe(strip(before));
    expect(await countAcks()).toBe(acks);
  });

  it('previews and resends a reply, and lists reminders without sending in a dry run', async () => {
    const reg = JSON.parse(intake(['register', 'export', '--format', 'json']).stdout) as {
      applications: Array<{ receiptNo: string; applicant: { code: string } | null; messages: Array<{ from: string }> }>;
    };
    const changchun = reg.applications.find((a) => a.applicant?.code === '220100')!;
    const preview = intake(['ack', 'preview', changchun.receiptNo]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('受理编号');
    expect(preview.stdout).toMatch(/^To: gaojichu@fgw\.changchun\.test/m);
    const before = (await listMessages({ user: 'gaojichu@fgw.changchun.test' })).length;
    const resend = intake(['ack', 'resend', changchun.receiptNo]);
    expect(resend.code, resend.stderr).toBe(0);
    expect(resend.stdout).toMatch(/resend-1 to gaojichu@fgw\.changchun\.test: sent/);
    await waitFor(async () => (await listMessages({ user: 'gaojichu@fgw.changchun.test' })).length === before + 1, {
      timeoutMs: 20_000,
      message: 'resent reply delivered',
    });
    const remind = intake(['ack', 'remind', '--dry-run']);
    expect(remind.code, remind.stderr).toBe(0);
    expect(remind.stdout).toMatch(/dry-run/);
    expect(remind.stdout).toMatch(/no known address for \d+ unit/);
  });

  it('parse prints one schema-valid JSON line per file, exit 0, and exit 1 for a file it cannot read', () => {
    const file = path.join(dir, 'corpus', `${corpus.cases[0]!.id}.eml`);
    const r = intake(['parse', file, '--received-at', '2020-05-16T00:00:00+08:00']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = ZParsedMessage.parse(JSON.parse(lines[0]!));
    expect(parsed.flags.map((f) => f.code)).toContain('LATE');
    const missing = intake(['parse', path.join(dir, 'nope.eml')]);
    expect(missing.code).toBe(1);
    expect((JSON.parse(missing.stdout.trim()) as { error: string }).error).toMatch(/cannot read/);
  });

  it('refuses bad configuration with one readable line per problem, and the poller without IMAP_URL', () => {
    const bad = intake(['worker'], {
      DASHBOARD_PORT: 'abc',
      LOG_LEVEL: 'loud',
      SMTP_URL: 'smtp://127.0.0.1:1',
      ACK_FROM: '',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/DASHBOARD_PORT: /);
    expect(bad.stderr).toMatch(/LOG_LEVEL: /);
    expect(bad.stderr).toMatch(/ACK_FROM: is required when SMTP_URL is set/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const poller = intake(['poller']);
    expect(poller.code).not.toBe(0);
    expect(poller.stderr).toMatch(/IMAP_URL is not set/);
    expect(poller.stderr).not.toMatch(/\n\s+at /);
  });
});
