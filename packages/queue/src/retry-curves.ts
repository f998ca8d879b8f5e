import { backoffDelay } from '@intake/domain';

/** the backoff type our jobs carry; the pipeline's Worker resolves it with {@link jobBackoffStrategy} */
export const JOB_BACKOFF_TYPE = 'intake-capped';

/** job retries: 1 s, 2 s, 4 s … capped at 5 minutes, jittered so a burst of failures does not retry in step */
export const JOB_RETRY = { baseMs: 1_000, maxMs: 5 * 60_000 } as const;

/** ioredis reconnects: quickly after a restart, never hammering a dead server */
export const REDIS_RECONNECT = { baseMs: 200, maxMs: 5_000 } as const;

/** BullMQ `settings.backoffStrategy`: `attemptsMade` is 1 after the first failure */
export function jobBackoffStrategy(attemptsMade: number): number {
  return backoffDelay({ attempt: attemptsMade, ...JOB_RETRY });
}
