import { describe, expect, it } from 'vitest';
import { busyCores, cpuMsPerMessage, sampleCpu, sampleProcesses } from './cpu-busy.js';

describe('busyCores', () => {
  it('turns clock ticks (100 a second) over the elapsed time into busy cores', () => {
    // 150 busy ticks in 1 s: one and a half cores
    expect(busyCores({ busy: 1000, total: 5000 }, { busy: 1150, total: 5200 }, 1000)).toBe(1.5);
    // 50 ticks in 2 s
    expect(busyCores({ busy: 0, total: 0 }, { busy: 50, total: 400 }, 2000)).toBe(0.25);
  });

  it('is null without both samples or without elapsed time', () => {
    expect(busyCores(null, { busy: 1, total: 1 }, 1000)).toBeNull();
    expect(busyCores({ busy: 1, total: 1 }, { busy: 2, total: 2 }, 0)).toBeNull();
  });

  it('reads this machine’s counters (Linux, as the bench runs), which only grow', () => {
    const a = sampleCpu();
    const b = sampleCpu();
    expect(a).not.toBeNull();
    expect(b!.busy).toBeGreaterThanOrEqual(a!.busy);
    expect(b!.total).toBeGreaterThanOrEqual(a!.total);
  });
});

describe('cpuMsPerMessage', () => {
  const sample = (entries: Array<[number, string, number]>) =>
    new Map(entries.map(([pid, comm, ticks]) => [pid, { comm, ticks }]));

  it('splits the CPU between our processes, the servers and the rest, per message', () => {
    const from = sample([
      [10, 'node', 100],
      [20, 'postgres', 50],
      [30, 'redis-server', 5],
      [40, 'imap', 1],
      [50, 'kworker/0:1', 0],
    ]);
    // pid 11 (the poller) and 21 (a PostgreSQL backend) were born in between; 40 ended; 30 used nothing
    const to = sample([
      [10, 'node', 300],
      [11, 'node', 40],
      [20, 'postgres', 70],
      [21, 'postgres', 20],
      [30, 'redis-server', 5],
      [50, 'kworker/0:1', 4],
    ]);
    const ours = new Map([
      [10, 'worker'],
      [11, 'poller'],
    ]);
    // ticks are 10 ms: worker 200 ticks = 2000 ms over 100 messages = 20 ms each
    expect(cpuMsPerMessage(from, to, ours, 100)).toEqual({ worker: 20, poller: 4, postgres: 4, other: 0.4 });
  });

  it('is null without samples or messages', () => {
    expect(cpuMsPerMessage(null, new Map(), new Map(), 10)).toBeNull();
    expect(cpuMsPerMessage(new Map(), new Map(), new Map(), 0)).toBeNull();
  });

  it('finds this process among the samples of this machine', () => {
    const s = sampleProcesses();
    expect(s?.get(process.pid)?.comm).toMatch(/node|vitest/);
  });
});
