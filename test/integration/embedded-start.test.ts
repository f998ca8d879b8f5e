// Guards issue 2 §3: `intake start` with DATABASE_URL and REDIS_URL unset runs
// on the embedded defaults — PGlite under DATA_DIR and a private redis-server
// it starts and stops itself — and a submission becomes a register row.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '@intake/fixture-generator';
import { spawnIntake } from '../helpers/cli-process.js';
import { appendMessage } from '../helpers/mailbox.js';
import { REPO_DIR } from '../helpers/servers.js';
import { uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

describe('intake start on its embedded defaults', () => {
  it('registers a submission with PGlite and a private redis-server, and stops them on SIGTERM', async (ctx) => {
    if (!(await portFree(6379))) ctx.skip(); // someone's Redis on the default port: the embedded path would (rightly) use it
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-embedded-'));
    const user = `${uniqueName('embedded')}@desk.test`;
    const corpus = await generateCorpus();
    const c = corpus.cases.find((x) => x.expected.ack === 'reply')!;
    await appendMessage({ user, raw: c.raw, internalDate: c.internalDate });
    const env = {
      IMAP_URL: `imap://${encodeURIComponent(user)}:${encodeURIComponent(process.env.TEST_MAIL_PASSWORD ?? '')}@127.0.0.1:${process.env.TEST_IMAP_PORT}/INBOX`,
      DATA_DIR: dataDir,
      DASHBOARD_PORT: String(20000 + Math.floor(Math.random() * 20000)),
    };
    const p = spawnIntake(['start'], env, path.join(dataDir, 'start.log'));
    try {
      await waitFor(
        () => /"code":"ack\.done"/.test(fs.existsSync(p.logFile) ? fs.readFileSync(p.logFile, 'utf8') : ''),
        {
          timeoutMs: 120_000,
          intervalMs: 250,
          message: `the message processed and its reply stored (log ${p.logFile})`,
        },
      );
      expect(await portFree(6379)).toBe(false);
    } finally {
      p.kill('SIGTERM');
    }
    const exit = await p.exited;
    expect(exit.code).toBe(0);
    await waitFor(() => portFree(6379), { timeoutMs: 10_000, message: 'the private redis-server stopped' });
    const out = spawnSync(
      process.execPath,
      [path.join(REPO_DIR, 'services/cli/bin/intake.js'), 'register', 'export', '--format', 'json'],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      },
    );
    expect(out.status, out.stderr).toBe(0);
    const reg = JSON.parse(out.stdout) as {
      applications: Array<{ applicant: { code: string } | null; messages: Array<{ ack: { status: string } | null }> }>;
    };
    expect(reg.applications).toHaveLength(1);
    expect(reg.applications[0]!.applicant?.code).toBe(c.expected.applicant?.code);
    expect(reg.applications[0]!.messages[0]!.ack?.status).toBe('stored');
    expect(fs.existsSync(path.join(dataDir, 'register'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'redis'))).toBe(true);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
