// Redis connections, configured the way BullMQ's production guide asks.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * - `command`: request-path use (rate limits, caches, queue producers). Fails fast when Redis is
 *   down (no offline queue, one retry), so a request never hangs on it; the caller falls back.
 * - `worker`: BullMQ workers and blocking commands. Waits for Redis to return, forever.
 * - `subscriber`: pub/sub listening (the live queue). Like a worker: it waits, and subscribes again.
 */
export type RedisRole = 'command' | 'worker' | 'subscriber';

export function createRedis(url: string, role: RedisRole, log: Logger): Redis {
  const options: RedisOptions =
    role === 'worker' || role === 'subscriber'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000 };
  const redis = new Redis(url, {
    ...options,
    lazyConnect: false,
    // Reconnect with a capped backoff; errors are logged at most once per outage.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  let down = false;
  redis.on('error', (err) => {
    if (!down) log.warn({ err: err.message, role }, 'redis unavailable');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info({ role }, 'redis reconnected');
    down = false;
  });
  return redis;
}

/**
 * Waits (at most `timeoutMs`) for a new connection to be ready, so rate limits count in Redis from
 * the first request. Redis being down is not fatal: request-path users fall back until it returns.
 */
export async function waitUntilReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}
