import { describe, expect, it } from 'vitest';
import { busyCores, sampleCpu } from './cpu-busy.js';

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
