import { Redis, type RedisOptions } from 'ioredis';

/**
 * BullMQ workers need `maxRetriesPerRequest: null` (a blocking command must
 * wait out a Redis restart instead of failing the worker); producers keep a
 * finite retry, so a command fails after a few reconnect attempts and the
 * poller notices the outage and holds.
 */
export function createRedis(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    // capped backoff: reconnect quickly after a restart, never hammer a dead server
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 5), 5_000),
    lazyConnect: false,
    ...extra,
  });
}
