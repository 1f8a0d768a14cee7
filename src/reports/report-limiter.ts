// Rate limits of reader reports, per client address and per device (the widget's token), counted
// like flood control (shared/rate-limiter.ts: Redis across processes, memory in embedded mode).
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimitedError } from '../shared/errors.ts';
import { createRateLimiter, isRateLimited } from '../shared/rate-limiter.ts';

/** Reports an address may file an hour (a newsroom's shared address files more than one reader). */
const PER_ADDRESS = 30;
/** Reports one device may file an hour. */
const PER_DEVICE = 10;
const HOUR = 3600;

export interface ReportLimiter {
  /** Counts one report; throws RateLimitedError (429) when the address or the device is over its limit. */
  take(siteId: string, keys: { address: string | null; device: string | null }): Promise<void>;
}

export function createReportLimiter(deps: { redis: Redis | null; redisPrefix: string; log: Logger }): ReportLimiter {
  const byAddress = createRateLimiter({
    redis: deps.redis,
    keyPrefix: `${deps.redisPrefix}:reports:ip`,
    points: PER_ADDRESS,
    duration: HOUR,
  });
  const byDevice = createRateLimiter({
    redis: deps.redis,
    keyPrefix: `${deps.redisPrefix}:reports:device`,
    points: PER_DEVICE,
    duration: HOUR,
  });

  async function takeOne(limiter: typeof byAddress, key: string): Promise<number | null> {
    try {
      await limiter.consume(key);
      return null;
    } catch (err) {
      if (isRateLimited(err)) return err.msBeforeNext;
      deps.log.warn({ err }, 'report rate limit unavailable');
      return null;
    }
  }

  return {
    async take(siteId, keys) {
      const waits = await Promise.all([
        keys.address ? takeOne(byAddress, `${siteId}:${keys.address}`) : null,
        keys.device ? takeOne(byDevice, `${siteId}:${keys.device}`) : null,
      ]);
      const wait = Math.max(...waits.map((w) => w ?? 0));
      if (waits.some((w) => w !== null))
        throw new RateLimitedError(
          `Too many reports; please wait ${Math.max(1, Math.ceil(wait / 1000))} s.`,
          wait / 1000,
          'reports',
        );
    },
  };
}
