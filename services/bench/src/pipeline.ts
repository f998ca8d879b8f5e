import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { emptyMailboxLater, imapUrl } from './imap.js';
import {
  createIsolatedDb,
  createQueuePrefix,
  makeTempDir,
  uniqueName,
  type Cleanup,
  type IsolatedDb,
} from './resources.js';
import { REPO_DIR, type ServerEnv } from './servers.js';
import { waitUntil } from './stats.js';

const INTAKE = path.join(REPO_DIR, 'services/cli/bin/intake.js');

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<void>;
  /** resolves once the log shows `code` (e.g. imap.connected, worker.started) */
  waitForLog(code: string, timeoutMs?: number): Promise<void>;
}

/** A desk of its own: fresh mailbox, schema, queue prefix and DATA_DIR, and the env the `intake` processes get. */
export interface Desk {
  user: string;
  iso: IsolatedDb;
  env: Record<string, string>;
  dir: string;
  procs: ServiceProcess[];
  spawn(cmd: 'poller' | 'worker'): ServiceProcess;
}

export async function createDesk(
  env: ServerEnv,
  cleanup: Cleanup,
  opts: { smtp: boolean; concurrency: number; ocr?: boolean; parseThreads?: number },
): Promise<Desk> {
  const user = `${uniqueName('desk')}@desk.test`;
  emptyMailboxLater(env, cleanup, user);
  const iso = await createIsolatedDb(env.databaseUrl, cleanup);
  const prefix = createQueuePrefix(env.redisUrl, cleanup);
  const dir = makeTempDir(cleanup, 'desk');
  const deskEnv: Record<string, string> = {
    IMAP_URL: imapUrl(env, user),
    REDIS_URL: env.redisUrl,
    DATABASE_URL: iso.url,
    DATA_DIR: path.join(dir, 'data'),
    QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: String(opts.concurrency),
    ...(opts.parseThreads ? { PARSE_THREADS: String(opts.parseThreads) } : {}),
    ACK_FROM: user,
    LOG_LEVEL: 'info',
    // OCR only where a section measures it: elsewhere a scan's OCR phase would hold replies back
    // (OCR_REPLY_WAIT_MS) and load the CPU, and the other figures would no longer compare with earlier runs
    ...(opts.ocr ? {} : { OCR_MAX_PAGES: '0' }),
    ...(opts.smtp ? { SMTP_URL: `smtp://${env.smtpHost}:${env.smtpPort}` } : {}),
  };
  const procs: ServiceProcess[] = [];
  // processes are stopped before the schema and queues they use are dropped (cleanup runs in reverse)
  cleanup.add(`desk processes of ${user}`, async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }, 20_000);
    await Promise.all(procs.map((p) => p.exited));
    clearTimeout(timer);
  });
  let n = 0;
  return {
    user,
    iso,
    env: deskEnv,
    dir,
    procs,
    spawn(cmd) {
      const p = spawnIntake(cmd, deskEnv, path.join(dir, 'logs', `${cmd}-${n++}.log`), dir);
      procs.push(p);
      return p;
    },
  };
}

function spawnIntake(cmd: string, env: Record<string, string>, logFile: string, cwd: string): ServiceProcess {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  // a clean environment: only the desk's settings plus PATH/HOME, so no .env or shell setting leaks in
  const child = spawn(process.execPath, [INTAKE, cmd], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name: cmd,
    child,
    logFile,
    exited,
    async waitForLog(code, timeoutMs = 60_000) {
      await waitUntil(
        () => {
          if (child.exitCode !== null)
            throw new Error(
              `intake ${cmd} exited (${child.exitCode}) before logging ${code}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`,
            );
          return fs.readFileSync(logFile, 'utf8').includes(`"code":"${code}"`);
        },
        { timeoutMs, intervalMs: 20, what: `intake ${cmd} to log ${code}` },
      );
    },
  };
}

/** Peak resident set of a live process (Linux VmHWM), MB; null when it is gone or /proc is absent. */
export function peakRssMB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    // the process exited before we looked: no figure rather than a wrong one
    return null;
  }
}
