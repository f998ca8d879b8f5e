// Guards: three hand-rolled retry curves, none tested, and one (the IMAP reconnect) that did not
// wait at all; every retry loop now takes its wait from this one curve.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const fixed = (r: number) => () => r;

describe('backoffDelay', () => {
  it.each([
    // attempt, random → wait (base 500, cap 30000, jitter 0.5: between half the step and the step)
    [1, 0, 250],
    [1, 0.999999, 500],
    [2, 0, 500],
    [3, 0.5, 1500],
    [6, 0, 8000],
    [7, 0, 15000],
    [7, 0.999999, 30000],
    [8, 0, 15000],
    [50, 0.5, 22500],
    [10_000, 0, 15000],
  ])('attempt %i with random %d waits %i ms', (attempt, r, ms) => {
    expect(backoffDelay({ attempt, baseMs: 500, maxMs: 30_000, random: fixed(r) })).toBe(ms);
  });

  it('without jitter is the plain capped doubling', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((attempt) =>
      backoffDelay({ attempt, baseMs: 200, maxMs: 5_000, jitter: 0, random: fixed(0.7) }),
    );
    expect(waits).toEqual([200, 400, 800, 1600, 3200, 5000]);
  });

  it('with full jitter may wait anywhere from 0 to the step', () => {
    expect(backoffDelay({ attempt: 3, baseMs: 100, maxMs: 1_000, jitter: 1, random: fixed(0) })).toBe(0);
    expect(backoffDelay({ attempt: 3, baseMs: 100, maxMs: 1_000, jitter: 1, random: fixed(0.25) })).toBe(100);
  });

  it('treats attempt 0, negative and NaN as the first retry', () => {
    for (const attempt of [0, -3, Number.NaN])
      expect(backoffDelay({ attempt, baseMs: 1_000, maxMs: 60_000, jitter: 0 })).toBe(1_000);
  });

  it('never exceeds the cap and never goes below zero, whatever random() returns', () => {
    for (const r of [-1, 0, 0.3, 1, 2])
      for (const attempt of [1, 5, 40]) {
        const ms = backoffDelay({ attempt, baseMs: 1_000, maxMs: 8_000, random: fixed(r) });
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(8_000);
      }
  });

  it('a cap below the base is raised to the base', () => {
    expect(backoffDelay({ attempt: 4, baseMs: 1_000, maxMs: 10, jitter: 0 })).toBe(1_000);
  });
});
