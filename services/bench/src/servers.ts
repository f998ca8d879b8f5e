import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCRIPTS = path.join(REPO_DIR, 'scripts/servers');

/** What scripts/servers/start.sh writes to `<servers dir>/env`. */
export interface ServerEnv {
  redisUrl: string;
  imapHost: string;
  imapPort: number;
  smtpHost: string;
  smtpPort: number;
  mailPassword: string;
  /** Dovecot's mail root (one maildir home per address): only `--large` seeds a backlog there */
  mailDir: string;
  databaseUrl: string;
}

/**
 * Runs a servers script with its output in a file, not a pipe: a daemon that
 * inherited a pipe would keep us waiting for EOF forever.
 */
async function runScript(script: string, args: string[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-bench-script-'));
  const file = path.join(dir, 'out.log');
  const fd = fs.openSync(file, 'w');
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn('bash', [path.join(SCRIPTS, script), ...args], { cwd: REPO_DIR, stdio: ['ignore', fd, fd] });
      child.once('error', reject);
      child.once('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
    });
    if (code !== 0)
      throw new Error(
        `scripts/servers/${script} ${args.join(' ')} failed (exit ${code}):\n${fs.readFileSync(file, 'utf8')}`,
      );
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function readEnvFile(): ServerEnv {
  const dir = process.env.INTAKE_SERVERS_DIR ?? path.join(REPO_DIR, '.servers');
  const kv: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(dir, 'env'), 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) kv[m[1]] = m[2];
  }
  const need = (k: string): string => {
    const v = kv[k];
    if (!v) throw new Error(`${dir}/env has no ${k}`);
    return v;
  };
  return {
    redisUrl: need('TEST_REDIS_URL'),
    imapHost: need('TEST_IMAP_HOST'),
    imapPort: Number(need('TEST_IMAP_PORT')),
    smtpHost: need('TEST_SMTP_HOST'),
    smtpPort: Number(need('TEST_SMTP_PORT')),
    mailPassword: need('TEST_MAIL_PASSWORD'),
    mailDir: need('TEST_MAIL_DIR'),
    databaseUrl: need('TEST_DATABASE_URL'),
  };
}

/** Starts the servers the bench needs under a lease of this process; returns their settings. */
export async function startServers(): Promise<ServerEnv> {
  await runScript('start.sh', ['--only', 'redis,imap,smtp,pg', '--lease-pid', String(process.pid)]);
  return readEnvFile();
}

/** Releases our lease: stops what we started, unless another live run still holds a lease. */
export async function releaseServers(): Promise<void> {
  await runScript('stop.sh', ['--only', 'redis,imap,smtp,pg', '--release-pid', String(process.pid)]);
}
