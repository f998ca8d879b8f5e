import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_DIR } from './servers.js';

/** The real `intake` command as a child process (the built dist), for kill -9 and multi-process tests. */
export interface CliProcess {
  child: ChildProcess;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

export function spawnIntake(args: string[], env: Record<string, string>, logFile: string): CliProcess {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  // a clean environment: only what the test passes plus PATH/HOME, so the developer's .env or shell cannot leak in
  const child = spawn(process.execPath, [path.join(REPO_DIR, 'services/cli/bin/intake.js'), ...args], {
    cwd: path.dirname(logFile),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    logFile,
    exited,
    kill: (signal = 'SIGTERM') => {
      child.kill(signal);
    },
  };
}
