import type { Logger } from '@intake/logger';

const MAX_HOLD_BACKOFF_MS = 5_000;

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
      const delay = Math.min(250 * 2 ** Math.min(i, 5), MAX_HOLD_BACKOFF_MS);
      log.warn({ code: 'redis.hold', err, retryInMs: delay }, 'cannot enqueue (Redis unavailable?): holding');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
