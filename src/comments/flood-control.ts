// Flood control: one comment per author (email HMAC) and per client address on a site within the
// site's flood interval. Counted in Redis across API processes (memory in embedded mode). A client is
// its canonical IPv4 address or its IPv6 /64 (shared/ip-address.ts): "::ffff:a.b.c.d" is a.b.c.d, and
// hopping between the addresses of one /64 gains nothing.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../shared/errors.ts';
import { clientKey } from '../shared/ip-address.ts';
import { createRateLimiter, isRateLimited } from '../shared/rate-limiter.ts';

interface FloodKeys {
  siteId: string;
  emailHash: string;
  ip: string | null;
}

export interface FloodControl {
  /**
   * Counts one comment for the author and the IP. Throws RateLimitedError (429, with Retry-After)
   * when either posted less than `intervalSeconds` ago. Returns a function that gives the count back,
   * for a submission that then fails and stores nothing.
   */
  take(keys: FloodKeys, intervalSeconds: number): Promise<() => Promise<void>>;
}

const NOTHING_TO_REFUND = async () => {};

export function createFloodControl(deps: { redis: Redis | null; redisPrefix: string; log: Logger }): FloodControl {
  // One point per interval; the interval is each site's, passed with every call.
  const limiter: RateLimiterAbstract = createRateLimiter({
    redis: deps.redis,
    keyPrefix: `${deps.redisPrefix}:flood`,
    points: 1,
    duration: 15,
  });

  async function takeOne(key: string, seconds: number): Promise<number | null> {
    try {
      await limiter.consume(key, 1, { customDuration: seconds });
      return null;
    } catch (err) {
      if (isRateLimited(err)) return err.msBeforeNext;
      // Even the in-memory fallback failed: let the comment through rather than refuse every reader.
      deps.log.warn({ err }, 'flood control unavailable');
      return null;
    }
  }

  async function giveBack(key: string, seconds: number): Promise<void> {
    try {
      await limiter.reward(key, 1, { customDuration: seconds });
    } catch (err) {
      deps.log.warn({ err }, 'flood control refund failed');
    }
  }

  return {
    async take(keys, intervalSeconds) {
      if (intervalSeconds <= 0) return NOTHING_TO_REFUND;
      const client = clientKey(keys.ip);
      const taken = [`${keys.siteId}:author:${keys.emailHash}`, ...(client ? [`${keys.siteId}:ip:${client}`] : [])];
      const waits = await Promise.all(taken.map((key) => takeOne(key, intervalSeconds)));
      const refund = async () => {
        await Promise.all(taken.map((key, i) => (waits[i] === null ? giveBack(key, intervalSeconds) : undefined)));
      };
      const wait = Math.max(...waits.map((w) => w ?? 0));
      if (waits.some((w) => w !== null)) {
        // Whatever was counted for a refused comment is given back: only stored comments count.
        await refund();
        throw new RateLimitedError(
          `Please wait ${Math.max(1, Math.ceil(wait / 1000))} s before posting another comment.`,
          wait / 1000,
          'flood',
        );
      }
      return refund;
    },
  };
}
