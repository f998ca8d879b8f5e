import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';

export interface WaitForOptions {
  /** @defaultValue 10_000 */
  timeoutMs?: number;
  /** @defaultValue 50 */
  intervalMs?: number;
  /** What we were waiting for; starts the timeout error message. */
  message?: string;
}

/**
 * Polls `fn` until it returns a truthy value and returns that value. A throw
 * counts as "not yet" (a server may be restarting), but the last error or value
 * is reported on timeout, so a wrong result is never mistaken for slowness.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, intervalMs = 50, message = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown };
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      const value = await fn();
      if (value) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) break;
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const detail =
    'error' in last
      ? `last error: ${last.error instanceof Error ? last.error.message : inspect(last.error)}`
      : `last value: ${inspect(last.value, { depth: 4, breakLength: Infinity })}`;
  throw new Error(`Timed out after ${timeoutMs} ms (${attempts} attempts) waiting for ${message}; ${detail}`, {
    cause: 'error' in last ? last.error : undefined,
  });
}
