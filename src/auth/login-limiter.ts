// Brute-force protection for sign-in: a few failures lock the account for a while, and many failures
// from one IP lock that IP. Counters live in Redis when configured (shared by every API process),
// in memory otherwise; when Redis fails, an in-memory limiter stands in (never an error for the user).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { createRateLimiter } from '../shared/rate-limiter.ts';

export interface LoginLimits {
  /** Failed sign-ins per account before it is locked, and for how long (seconds). */
  accountFailures: number;
  accountWindowSeconds: number;
  ipFailures: number;
  ipWindowSeconds: number;
}

const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  accountFailures: 5,
  accountWindowSeconds: 15 * 60,
  ipFailures: 30,
  ipWindowSeconds: 60 * 60,
};

export interface LoginLimiter {
  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  lockedFor(email: string, ip: string | null): Promise<number>;
  recordFailure(email: string, ip: string | null): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

// Emails are hashed in keys: the limiter's store holds no personal data.
const accountKey = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);

export function createLoginLimiter(deps: {
  redis: Redis | null;
  prefix: string;
  log: Logger;
  limits?: LoginLimits;
}): LoginLimiter {
  const limits = deps.limits ?? DEFAULT_LOGIN_LIMITS;
  const account = createRateLimiter({
    redis: deps.redis,
    keyPrefix: `${deps.prefix}:login:account`,
    points: limits.accountFailures,
    duration: limits.accountWindowSeconds,
  });
  const byIp = createRateLimiter({
    redis: deps.redis,
    keyPrefix: `${deps.prefix}:login:ip`,
    points: limits.ipFailures,
    duration: limits.ipWindowSeconds,
  });

  /** The insurance limiter covers store errors; anything else is logged and lets the attempt through. */
  async function safely<T>(what: string, fn: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof RateLimiterRes) return fallback;
      deps.log.warn({ err: (err as Error).message, what }, 'login limiter unavailable');
      return fallback;
    }
  }

  const waitOf = (res: RateLimiterRes | null, points: number) =>
    res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;

  return {
    async lockedFor(email, ip) {
      const [a, i] = await Promise.all([
        safely('get account', () => account.get(accountKey(email)), null),
        safely('get ip', () => byIp.get(ip ?? 'unknown'), null),
      ]);
      return Math.max(waitOf(a, limits.accountFailures), waitOf(i, limits.ipFailures));
    },
    async recordFailure(email, ip) {
      await Promise.all([
        safely('count account failure', () => account.consume(accountKey(email)), null),
        safely('count ip failure', () => byIp.consume(ip ?? 'unknown'), null),
      ]);
    },
    async recordSuccess(email) {
      await safely('reset account', () => account.delete(accountKey(email)), false);
    },
  };
}
