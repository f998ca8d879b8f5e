import { backoffDelay } from '@intake/domain';
import type { Logger } from '@intake/logger';

/** retries of a held enqueue: 250 ms doubling to 5 s, jittered */
export const REDIS_HOLD_BACKOFF = { baseMs: 250, maxMs: 5_000 } as const;

/**
 * While Redis is down the poller holds: it retries the enqueue with capped
 * backoff instead of dropping the message or moving the checkpoint past it.
 * Gives up (false) only when shutdown begins; the message is then re-read on
 * the next start because the checkpoint did not move.
 */
export async function waitForRedis(
  deps: { isStopping: () => boolean },
  log: Logger,
  attempt: () => Promise<void>,
): Promise<boolean> {
  for (let i = 0; ; i++) {
    try {
      await attempt();
      if (i > 0) log.info({ code: 'redis.resumed', attempts: i + 1 }, 'Redis is back: enqueued');
      return true;
    } catch (err) {
      if (deps.isStopping()) return false;
      const delay = backoffDelay({ attempt: i + 1, ...REDIS_HOLD_BACKOFF });
      log.warn({ code: 'redis.hold', err, retryInMs: delay }, 'cannot enqueue (Redis unavailable?): holding');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
