import { describe, expect, it } from 'vitest';
import { median, percentile, ratio, round } from './stats.js';

describe('percentile', () => {
  it('uses the nearest rank, so p99 of few samples is the largest', () => {
    const v = [5, 1, 4, 2, 3];
    expect(percentile(v, 50)).toBe(3);
    expect(percentile(v, 95)).toBe(5);
    expect(percentile(v, 99)).toBe(5);
    expect(percentile(v, 0)).toBe(1);
    expect(median([10, 20, 30, 40])).toBe(20);
  });

  it('is null without samples, and ratios with a missing side are null', () => {
    expect(percentile([], 50)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(2, 0)).toBeNull();
    expect(ratio(3, 2)).toBe(1.5);
    expect(round(Number.NaN)).toBeNull();
    expect(round(1.23456, 2)).toBe(1.23);
  });
});
