import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createDeviceCookies } from '../../src/auth/device-cookie.ts';
import { createLoginLimiter, DEFAULT_LOGIN_LIMITS, ipDelayMs, type LoginLimits } from '../../src/auth/login-limiter.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { freePort } from '../support/own-redis.ts';

const limits: LoginLimits = {
  accountFailures: 3,
  accountWindowSeconds: 60,
  deviceFailures: 2,
  deviceWindowSeconds: 60,
  ipFreeFailures: 4,
  ipWindowSeconds: 60,
  ipFirstDelayMs: 40,
  ipMaxDelayMs: 100,
};
const log = createLogger('silent');
const memoryLimiter = () => createLoginLimiter({ redis: null, prefix: 'unit', log, limits, secret: 'unit-secret' });

async function fail(limiter: ReturnType<typeof memoryLimiter>, email: string, ip: string, deviceId: string | null) {
  const attempt = await limiter.begin({ email, ip, deviceId });
  if (attempt.lockedFor === 0) await attempt.failed();
  return attempt;
}

describe('login limiter', () => {
  it('locks an account for untrusted browsers after its failures, per account; a success gives its own point back', async () => {
    const limiter = memoryLimiter();
    for (let i = 0; i < 2; i++) await fail(limiter, 'ada@example.com', '198.51.100.1', null);
    const right = await limiter.begin({ email: 'ADA@example.com', ip: '198.51.100.2', deviceId: null }); // case does not matter
    expect(right).toMatchObject({ lockedFor: 0, counted: 'account' });
    await right.succeeded();
    await fail(limiter, 'ada@example.com', '198.51.100.2', null);
    const locked = await limiter.begin({ email: 'Ada@Example.com', ip: '198.51.100.3', deviceId: null });
    expect(locked.lockedFor).toBeGreaterThan(0);
    expect(locked.lockedFor).toBeLessThanOrEqual(60);
    expect((await limiter.begin({ email: 'bob@example.com', ip: '198.51.100.3', deviceId: null })).lockedFor).toBe(0);
  });

  it('reserves before the password is checked: of a parallel burst only the budget gets through', async () => {
    const limiter = memoryLimiter();
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => limiter.begin({ email: 'eve@example.com', ip: null, deviceId: null })),
    );
    expect(burst.filter((a) => a.lockedFor === 0)).toHaveLength(limits.accountFailures);
  });

  it('gives a device cookie its own budget: others locking the account out do not lock it out', async () => {
    const limiter = memoryLimiter();
    for (let i = 0; i < 3; i++) await fail(limiter, 'admin@example.com', '203.0.113.7', null);
    expect(
      (await limiter.begin({ email: 'admin@example.com', ip: '198.51.100.1', deviceId: null })).lockedFor,
    ).toBeGreaterThan(0);
    const trusted = await limiter.begin({ email: 'admin@example.com', ip: '203.0.113.7', deviceId: 'device-1' });
    expect(trusted).toMatchObject({ lockedFor: 0, counted: 'device' });
    await trusted.succeeded();
    // The device's own failures use up its budget; then it is one more untrusted browser (locked out here).
    for (let i = 0; i < 2; i++)
      expect((await fail(limiter, 'admin@example.com', '203.0.113.7', 'device-1')).counted).toBe('device');
    expect(
      (await limiter.begin({ email: 'admin@example.com', ip: null, deviceId: 'device-1' })).lockedFor,
    ).toBeGreaterThan(0);
    expect((await limiter.begin({ email: 'admin@example.com', ip: null, deviceId: 'device-2' })).counted).toBe(
      'device',
    );
  });

  it('slows an IP with many failures, doubling up to the cap, and never locks it out', async () => {
    expect([0, 4, 5, 6, 7, 8, 50].map((n) => ipDelayMs(n, limits))).toEqual([0, 0, 40, 80, 100, 100, 100]);
    expect(ipDelayMs(1e9, DEFAULT_LOGIN_LIMITS)).toBe(DEFAULT_LOGIN_LIMITS.ipMaxDelayMs);
    const limiter = memoryLimiter();
    for (let i = 0; i < 6; i++) await fail(limiter, `user${i}@example.com`, '203.0.113.9', null);
    const started = performance.now();
    const slowed = await limiter.begin({ email: 'fresh@example.com', ip: '203.0.113.9', deviceId: null });
    expect(slowed).toMatchObject({ lockedFor: 0, delayedMs: 80 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect((await limiter.begin({ email: 'fresh@example.com', ip: '203.0.113.10', deviceId: null })).delayedMs).toBe(0);
    // An IPv6 client is its /64: another address in it is slowed too.
    for (let i = 0; i < 6; i++) await fail(limiter, `user${i}@example.com`, `2001:db8:1:2::${i + 1}`, null);
    expect(
      (await limiter.begin({ email: 'x@example.com', ip: '2001:db8:1:2:ffff::9', deviceId: null })).delayedMs,
    ).toBe(80);
    expect((await limiter.begin({ email: 'x@example.com', ip: '2001:db8:1:3::1', deviceId: null })).delayedMs).toBe(0);
    // A trusted browser is not held back for its IP.
    expect((await limiter.begin({ email: 'fresh@example.com', ip: '203.0.113.9', deviceId: 'd' })).delayedMs).toBe(0);
  });

  it('keeps limiting, in memory, when Redis is unreachable (never an error)', async () => {
    const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    await redis.connect().catch(() => {});
    try {
      const limiter = createLoginLimiter({ redis, prefix: 'unit', log, limits, secret: 'unit-secret' });
      for (let i = 0; i < 3; i++) await fail(limiter, 'eve@example.com', '192.0.2.1', null);
      const locked = await limiter.begin({ email: 'eve@example.com', ip: '192.0.2.1', deviceId: null });
      expect(locked.lockedFor).toBeGreaterThan(0);
      const other = await limiter.begin({ email: 'bob@example.com', ip: '192.0.2.1', deviceId: null });
      await expect(other.succeeded()).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });
});

describe('device cookies', () => {
  const devices = createDeviceCookies('a-secret-key-that-is-long-enough-for-tests');

  it('are recognised for the account they were given for, and only that one', () => {
    const value = devices.issue('Admin@Example.com');
    const id = devices.verify(value, 'admin@example.com');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(devices.issue('admin@example.com')).not.toBe(value);
    expect(devices.verify(value, 'someone@example.com')).toBeNull();
    expect(value).not.toContain('admin');
  });

  it('refuse forged, tampered, foreign and expired values', () => {
    const value = devices.issue('admin@example.com');
    const [issuedAt, nonce, signature] = value.split('.') as [string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const bad of [
      undefined,
      '',
      'junk',
      `${issuedAt}.${flip(nonce)}.${signature}`,
      `${issuedAt}.${nonce}.${flip(signature)}`,
    ])
      expect(devices.verify(bad, 'admin@example.com')).toBeNull();
    const other = createDeviceCookies('another-secret-key-that-is-long-enough-too');
    expect(other.verify(value, 'admin@example.com')).toBeNull();
    const old = devices.issue('admin@example.com', new Date(Date.now() - 181 * 24 * 3600_000));
    expect(devices.verify(old, 'admin@example.com')).toBeNull();
  });
});
