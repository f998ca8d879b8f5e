/**
 * The one retry curve of the desk: capped exponential backoff with jitter.
 * Every retry loop (IMAP reconnect, holding for Redis, Redis reconnect, job
 * retries, the dashboard's login lockout) asks this function how long to wait,
 * so they all ramp, cap and spread the same way and the curve is tested once.
 */
export interface BackoffOptions {
  /** 1 for the first retry after the first failure; values below 1 count as 1 */
  attempt: number;
  /** the wait before the first retry, before jitter */
  baseMs: number;
  /** the ceiling, before jitter: the curve never waits longer than this */
  maxMs: number;
  /**
   * share of the wait that is random: the wait is `cap × (1 − jitter + jitter × random())`,
   * so with 0.5 it lies between half the capped step and the full step @defaultValue 0.5
   */
  jitter?: number;
  /** a number in [0, 1) — tests pass a fixed one @defaultValue Math.random */
  random?: () => number;
}

/** The wait in whole milliseconds before retry number `attempt`. */
export function backoffDelay(o: BackoffOptions): number {
  const attempt = Number.isFinite(o.attempt) ? Math.max(1, Math.floor(o.attempt)) : 1;
  const baseMs = Math.max(0, o.baseMs);
  const maxMs = Math.max(baseMs, o.maxMs);
  const jitter = Math.min(1, Math.max(0, o.jitter ?? 0.5));
  // 2 ** 1023 is the largest finite power; past the cap the exponent no longer matters
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 1023));
  const r = Math.min(1, Math.max(0, (o.random ?? Math.random)()));
  return Math.round(step * (1 - jitter + jitter * r));
}
