// How often a "Manage my comments" link may be asked for: per client IP (one machine cannot mail many
// addresses) and per address (nobody can flood one inbox). Both count every request, whether or not
// the address has comments, so a refusal tells nothing about the address either. The client is counted
// under an HMAC of its address: Redis keys outlive an erasure (for the hour), and an address is personal data.
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '../shared/errors.ts';
import { clientKey } from '../shared/ip-address.ts';
import { createRateLimiter, isRateLimited } from '../shared/rate-limiter.ts';

const HOUR = 3600;

export function createManageLimits(o: {
  redis: Redis | null;
  prefix: string;
  secret: string;
  perIp?: number;
  perAddress?: number;
}) {
  const clientHash = (ip: string | null) => {
    const client = clientKey(ip);
    return client ? createHmac('sha256', o.secret).update(`manage-ip:${client}`).digest('hex').slice(0, 32) : 'unknown';
  };
  const byIp = createRateLimiter({
    redis: o.redis,
    keyPrefix: `${o.prefix}:manage:ip`,
    points: o.perIp ?? 10,
    duration: HOUR,
  });
  const byAddress = createRateLimiter({
    redis: o.redis,
    keyPrefix: `${o.prefix}:manage:address`,
    points: o.perAddress ?? 3,
    duration: HOUR,
  });
  return {
    /** Counts one request; throws RateLimitedError (429 with Retry-After) past either limit. */
    async count(ip: string | null, addressKey: string): Promise<void> {
      try {
        await byIp.consume(clientHash(ip));
        await byAddress.consume(addressKey);
      } catch (err) {
        if (!isRateLimited(err)) throw err;
        throw new RateLimitedError(
          'Too many links asked for: please try again later.',
          err.msBeforeNext / 1000,
          'manage_links',
        );
      }
    },
  };
}

export type ManageLimits = ReturnType<typeof createManageLimits>;
