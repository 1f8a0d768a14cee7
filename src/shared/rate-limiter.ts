// Rate limiters shared by every API process: counted in Redis when it is configured, in process
// memory in embedded mode (one process). When Redis fails at request time the limiter falls back to
// an in-memory "insurance" limiter, so a Redis outage neither answers 500 nor hangs a request; limits
// are then per process until Redis returns.
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimiterOptions {
  /** Request-path Redis connection (fails fast), or null in embedded mode. */
  redis: Redis | null;
  /** Prefix of every key, e.g. "comments:flood". */
  keyPrefix: string;
  points: number;
  /** Seconds; calls may pass another duration per key. */
  duration: number;
}

export function createRateLimiter(o: RateLimiterOptions): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: o.keyPrefix, points: o.points, duration: o.duration });
  if (!o.redis) return memory;
  return new RateLimiterRedis({
    storeClient: o.redis,
    keyPrefix: o.keyPrefix,
    points: o.points,
    duration: o.duration,
    // Straight to the insurance limiter while the connection is down, instead of waiting for a timeout.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}

/** A rejection because the limit is reached (as opposed to a store failure). */
export function isRateLimited(err: unknown): err is RateLimiterRes {
  return err instanceof RateLimiterRes;
}
