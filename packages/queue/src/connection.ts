import { Redis, type RedisOptions } from 'ioredis';
import { backoffDelay } from '@intake/domain';
import { REDIS_RECONNECT } from './retry-curves.js';

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
    retryStrategy: (times) => backoffDelay({ attempt: times, ...REDIS_RECONNECT }),
    lazyConnect: false,
    ...extra,
  });
}
