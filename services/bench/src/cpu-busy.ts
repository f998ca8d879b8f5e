import fs from 'node:fs';

/**
 * How many of the machine's cores were busy over an interval, from /proc/stat
 * (all processes: ours, PostgreSQL, Redis, Dovecot, and anything else running).
 * A second worker can only scale into the cores the first one left idle, so the
 * speedup figures carry this beside them. Null where /proc/stat is absent.
 */
export interface CpuSample {
  busy: number;
  total: number;
}

export function sampleCpu(): CpuSample | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal …
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    // not Linux: the figure is reported as not measured
    return null;
  }
}

/** Average busy cores between two samples taken `elapsedMs` apart (clock ticks are USER_HZ, 100 a second). */
export function busyCores(from: CpuSample | null, to: CpuSample | null, elapsedMs: number): number | null {
  if (!from || !to || elapsedMs <= 0) return null;
  return Math.round(((to.busy - from.busy) / 100 / (elapsedMs / 1000)) * 100) / 100;
}

/** CPU ticks (user + system, USER_HZ) of every process at one moment, by pid, with its command name. */
export type ProcessSample = Map<number, { comm: string; ticks: number }>;

export function sampleProcesses(): ProcessSample | null {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const out: ProcessSample = new Map();
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // the command sits in parentheses and may itself hold spaces or ")"; the fields follow the last ")"
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      out.set(Number(pid), {
        comm: stat.slice(stat.indexOf('(') + 1, close),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // gone between the listing and the read: it used nothing we could still count
    }
  }
  return out;
}

/** Dovecot's processes by command name (its master, logins, mail and auth processes). */
const DOVECOT = new Set(['dovecot', 'imap', 'imap-login', 'lmtp', 'auth', 'anvil', 'log', 'config', 'stats']);

/**
 * CPU milliseconds per message of each part of the machine between two samples: our processes by
 * pid (`ours`: pid → name), the servers by command name, everything else as `other`. A process
 * born in between counts from zero; one that ended before `to` is missing, so sample `to` while
 * the processes of interest still run.
 */
export function cpuMsPerMessage(
  from: ProcessSample | null,
  to: ProcessSample | null,
  ours: ReadonlyMap<number, string>,
  messages: number,
): Record<string, number> | null {
  if (!from || !to || messages <= 0) return null;
  const ms: Record<string, number> = {};
  for (const [pid, now] of to) {
    const used = now.ticks - (from.get(pid)?.ticks ?? 0);
    if (used <= 0) continue;
    const part =
      ours.get(pid) ??
      (now.comm === 'postgres'
        ? 'postgres'
        : now.comm === 'redis-server'
          ? 'redis'
          : DOVECOT.has(now.comm)
            ? 'dovecot'
            : 'other');
    ms[part] = (ms[part] ?? 0) + used * 10;
  }
  return Object.fromEntries(
    Object.entries(ms)
      .sort((a, b) => b[1] - a[1])
      .map(([part, total]) => [part, Math.round((total / messages) * 10) / 10]),
  );
}
