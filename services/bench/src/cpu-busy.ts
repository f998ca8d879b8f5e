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
