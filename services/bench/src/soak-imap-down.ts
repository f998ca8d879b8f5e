/**
 * `node services/bench/dist/soak-imap-down.js [--minutes 10]` — issue 12.11's soak: `intake poller`
 * on its defaults against a Dovecot that is stopped for the whole window. Prints one JSON line:
 * reconnect attempts (the mailbox state's count), poller log lines (all, and warn or worse), its CPU
 * time and peak RSS, and whether it reconnected once Dovecot came back. Not part of CI (it takes
 * the whole window); run it once by hand.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { listMailboxStates } from '@intake/register-store';
import { createDesk, peakRssMB } from './pipeline.js';
import { progress } from './progress.js';
import { Cleanup } from './resources.js';
import { REPO_DIR, releaseServers, startServers } from './servers.js';
import { waitUntil } from './stats.js';

function ctl(action: 'start' | 'stop', server: 'imap'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(REPO_DIR, 'scripts/servers/ctl.sh'), action, server], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ctl.sh ${action} ${server}: exit ${code}`)),
    );
  });
}

function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // /proc/<pid>/stat fields 14 and 15: user and system time in clock ticks (100 per second on Linux)
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    // the process is gone: no figure
    return null;
  }
}

async function main(argv: string[]): Promise<void> {
  const i = argv.indexOf('--minutes');
  const minutes = i >= 0 ? Number(argv[i + 1]) : 10;
  const cleanup = new Cleanup();
  const env = await startServers();
  try {
    const desk = await createDesk(env, cleanup, { smtp: false, concurrency: 1 });
    progress('soak: stopping Dovecot, starting `intake poller` on its defaults');
    await ctl('stop', 'imap');
    const poller = desk.spawn('poller');
    const t0 = Date.now();
    await waitUntil(() => Date.now() - t0 >= minutes * 60_000 || poller.child.exitCode !== null, {
      timeoutMs: minutes * 60_000 + 60_000,
      intervalMs: 1_000,
      what: `${minutes} minutes`,
    });
    const lines = fs
      .readFileSync(poller.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; code?: string });
    const [state] = await listMailboxStates(desk.iso.db);
    const cpu = cpuSeconds(poller.child.pid);
    const rss = peakRssMB(poller.child.pid);
    progress('soak: starting Dovecot again; waiting for the poller to reconnect');
    await ctl('start', 'imap');
    let reconnected = true;
    try {
      await poller.waitForLog('imap.connected', 120_000);
    } catch {
      // reported below as reconnected: false
      reconnected = false;
    }
    const report = {
      minutes,
      attempts: state?.attempts ?? null,
      stateWhileDown: state?.state ?? null,
      lastError: state?.lastError ?? null,
      logLines: lines.length,
      warnLines: lines.filter((l) => l.level >= 40).length,
      reconnectLines: lines.filter((l) => l.code === 'imap.reconnecting').length,
      pollerCpuSeconds: cpu,
      pollerPeakRssMB: rss,
      reconnected,
    };
    process.stdout.write(JSON.stringify(report) + '\n');
  } finally {
    await ctl('start', 'imap').catch((err: unknown) => progress(`soak: could not start Dovecot again: ${String(err)}`));
    await cleanup.runAll();
    await releaseServers();
  }
}

main(process.argv).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
