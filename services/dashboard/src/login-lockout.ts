import { backoffDelay } from '@intake/domain';
import type { LoginFailureState } from '@intake/register-store';

/**
 * Per-account lockout after failed logins, with exponential backoff: the
 * `freeFailures`-th wrong password in a row locks the name for baseLockMs, and
 * each further one for baseLockMs · 2^k (capped; the desk's one retry curve,
 * without jitter so that the page can say how long). A lock is short on purpose:
 * anyone can type a staff member's name, so the lockout slows a guesser down
 * without letting a stranger keep an account shut. Counting starts again
 * after `forgetAfterMs` without a failure, or after a successful login.
 */
export interface LockoutPolicy {
  /** @defaultValue 5 */
  freeFailures: number;
  /** @defaultValue 30 s */
  baseLockMs: number;
  /** @defaultValue 15 min */
  maxLockMs: number;
  /** @defaultValue 24 h */
  forgetAfterMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  freeFailures: 5,
  baseLockMs: 30_000,
  maxLockMs: 15 * 60_000,
  forgetAfterMs: 24 * 3600_000,
};

/** The state after one more failed login at `now`. */
export function afterFailedLogin(prev: LoginFailureState, now: Date, p: LockoutPolicy): LoginFailureState {
  const stale = prev.lastFailedAt !== null && now.getTime() - new Date(prev.lastFailedAt).getTime() > p.forgetAfterMs;
  const failures = (stale ? 0 : prev.failures) + 1;
  const over = failures - p.freeFailures;
  const lockMs =
    over >= 0 ? backoffDelay({ attempt: over + 1, baseMs: p.baseLockMs, maxMs: p.maxLockMs, jitter: 0 }) : 0;
  return { failures, lastFailedAt: now, lockedUntil: lockMs > 0 ? new Date(now.getTime() + lockMs) : null };
}

/** Milliseconds the name stays locked from `now` (0 when it is not locked). */
export function lockRemainingMs(s: LoginFailureState, now: Date): number {
  return s.lockedUntil ? Math.max(0, new Date(s.lockedUntil).getTime() - now.getTime()) : 0;
}

/** The key a lockout is kept under: the name as typed, trimmed, NFC, lower case (Wang and wang are one account to a guesser). */
export function lockoutKey(username: string): string {
  return username.trim().normalize('NFC').toLowerCase();
}

/** "30 秒" / "2 分钟" for the login form. */
export function formatWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s} 秒` : `${Math.ceil(s / 60)} 分钟`;
}
