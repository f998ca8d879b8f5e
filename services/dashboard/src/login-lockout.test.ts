// Guards: the lockout's curve (hand-computed: four free failures; the fifth locks for 30 s, doubling to 15 min)
// now comes from the desk's one retry curve; a guesser waits longer each time, never for ever.
import { describe, expect, it } from 'vitest';
import { afterFailedLogin, DEFAULT_LOCKOUT, lockoutKey, lockRemainingMs } from './login-lockout.js';

const T0 = new Date('2020-05-10T02:00:00Z');

function lockAfter(failures: number): number {
  let s = { failures: 0, lastFailedAt: null as Date | null, lockedUntil: null as Date | null };
  for (let i = 0; i < failures; i++) s = afterFailedLogin(s, T0, DEFAULT_LOCKOUT);
  return lockRemainingMs(s, T0);
}

describe('login lockout', () => {
  it.each([
    [1, 0],
    [4, 0],
    [5, 30_000],
    [6, 60_000],
    [7, 120_000],
    [9, 480_000],
    [10, 900_000],
    [40, 900_000],
  ])('after %i failures the name is locked for %i ms', (failures, ms) => {
    expect(lockAfter(failures)).toBe(ms);
  });

  it('forgets failures after a quiet day', () => {
    const old = { failures: 9, lastFailedAt: new Date(T0.getTime() - 25 * 3600_000), lockedUntil: null };
    expect(afterFailedLogin(old, T0, DEFAULT_LOCKOUT)).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it('keys Wang and wang alike', () => {
    expect(lockoutKey('  Wang ')).toBe(lockoutKey('wang'));
  });
});
