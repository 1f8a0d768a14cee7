// Brute-force protection for sign-in, after OWASP's "device cookies"
// (https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies):
// - a browser that signed in to the account before (a valid device cookie) has its own budget of
//   failures, so nobody else's guesses can lock it out;
// - every other attempt shares the account's "untrusted" budget, and is locked out with it;
// - an IP's failures slow its untrusted attempts (a growing delay, capped) but never lock anyone out:
//   one IP can be a whole office behind a proxy.
// Every attempt reserves its point atomically BEFORE the password is checked and gives it back when
// the password was right, so a burst of parallel guesses checks at most the budget's worth of
// passwords. Counters live in Redis when configured (shared by every API process), in memory
// otherwise; when Redis fails, an in-memory limiter stands in (never an error for the user).
import { createHash, createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { clientKey } from '../shared/ip-address.ts';
import { createRateLimiter, isRateLimited } from '../shared/rate-limiter.ts';

export interface LoginLimits {
  /** Failed sign-ins per account from untrusted devices before they are locked out, and for how long (seconds). */
  accountFailures: number;
  accountWindowSeconds: number;
  /** Failed sign-ins per device cookie before it counts as untrusted again, and for how long (seconds). */
  deviceFailures: number;
  deviceWindowSeconds: number;
  /** Failures from one IP within the window that cost nothing; each further one doubles the delay. */
  ipFreeFailures: number;
  ipWindowSeconds: number;
  ipFirstDelayMs: number;
  ipMaxDelayMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  accountFailures: 5,
  accountWindowSeconds: 15 * 60,
  deviceFailures: 5,
  deviceWindowSeconds: 15 * 60,
  ipFreeFailures: 10,
  ipWindowSeconds: 60 * 60,
  ipFirstDelayMs: 250,
  ipMaxDelayMs: 2000,
};

interface LoginAttempt {
  /** 0 when the password may be checked; else the seconds until the account's lockout ends. */
  lockedFor: number;
  /** How long the attempt was held back for its IP's failures (ms). */
  delayedMs: number;
  /** Which budget the attempt was counted against. */
  counted: 'device' | 'account' | null;
  /** A wrong password (or unknown or disabled account): the reserved point stays spent. */
  failed(): Promise<void>;
  /** The right password: the reserved point is given back. */
  succeeded(): Promise<void>;
}

export interface LoginLimiter {
  /** Reserves an attempt for this account; `deviceId` is the verified device cookie's id, if any. */
  begin(attempt: { email: string; ip: string | null; deviceId: string | null }): Promise<LoginAttempt>;
}

// Emails and IPs are hashed in keys: the limiter's store holds no personal data.
export const accountKey = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);

/** The delay for an IP with `failures` recent failures: none at first, then doubling up to the cap. */
export function ipDelayMs(failures: number, limits: LoginLimits): number {
  const over = failures - limits.ipFreeFailures;
  if (over <= 0) return 0;
  return Math.min(limits.ipMaxDelayMs, limits.ipFirstDelayMs * 2 ** Math.min(over - 1, 30));
}

export function createLoginLimiter(deps: {
  redis: Redis | null;
  prefix: string;
  log: Logger;
  /** The server secret: IPs are keyed with it (an unkeyed hash of an IPv4 address is undone by trying them all). */
  secret: string;
  limits?: LoginLimits;
}): LoginLimiter {
  const limits = deps.limits ?? DEFAULT_LOGIN_LIMITS;
  const limiter = (name: string, points: number, duration: number) =>
    createRateLimiter({ redis: deps.redis, keyPrefix: `${deps.prefix}:login:${name}`, points, duration });
  const account = limiter('account', limits.accountFailures, limits.accountWindowSeconds);
  const device = limiter('device', limits.deviceFailures, limits.deviceWindowSeconds);
  // Counted, never refused: the count only sets the delay.
  const byIp = limiter('ip', Number.MAX_SAFE_INTEGER, limits.ipWindowSeconds);

  /** The insurance limiter covers store errors; anything else is logged and lets the attempt through. */
  async function safely<T>(what: string, fn: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      deps.log.warn({ err: (err as Error).message, what }, 'login limiter unavailable');
      return fallback;
    }
  }

  /** Takes one point atomically: 'taken', the seconds left when the budget is spent, or 'unavailable'. */
  async function reserve(rl: RateLimiterAbstract, key: string): Promise<'taken' | 'unavailable' | number> {
    try {
      await rl.consume(key);
      return 'taken';
    } catch (err) {
      if (isRateLimited(err)) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      deps.log.warn({ err: (err as Error).message, what: 'reserve' }, 'login limiter unavailable');
      return 'unavailable';
    }
  }

  // An IPv6 client counts as its /64 (one household or host can hold the whole /64). The key is an HMAC
  // of it, never the address: Redis keys outlive an author's erasure (up to the IP window).
  const ipKey = (ip: string | null) => {
    const client = clientKey(ip);
    return client
      ? createHmac('sha256', deps.secret).update(`login-ip:${client}`).digest('hex').slice(0, 32)
      : 'unknown';
  };

  function attempt(
    counted: LoginAttempt['counted'],
    give: (() => Promise<unknown>) | null,
    ip: string | null,
    delayedMs: number,
  ): LoginAttempt {
    return {
      lockedFor: 0,
      delayedMs,
      counted,
      async failed() {
        await safely('count ip failure', () => byIp.consume(ipKey(ip)), null);
      },
      async succeeded() {
        if (give) await safely('give back', give, null);
      },
    };
  }

  return {
    async begin({ email, ip, deviceId }) {
      if (deviceId) {
        const got = await reserve(device, deviceId);
        if (got === 'taken') return attempt('device', () => device.reward(deviceId), ip, 0);
        if (got === 'unavailable') return attempt(null, null, ip, 0);
        // A device cookie that failed too often is just another untrusted browser.
      }
      const failures = (await safely('get ip', () => byIp.get(ipKey(ip)), null))?.consumedPoints ?? 0;
      const delayedMs = ipDelayMs(failures, limits);
      if (delayedMs > 0) await sleep(delayedMs);
      const key = accountKey(email);
      const got = await reserve(account, key);
      if (got === 'taken') return attempt('account', () => account.reward(key), ip, delayedMs);
      if (got === 'unavailable') return attempt(null, null, ip, delayedMs);
      // A refused attempt is a failure of its IP too: hammering a locked account slows the hammer.
      await safely('count ip failure', () => byIp.consume(ipKey(ip)), null);
      return { ...attempt(null, null, ip, delayedMs), lockedFor: got };
    },
  };
}
