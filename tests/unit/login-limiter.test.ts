import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from '../../src/auth/login-limiter.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { freePort } from '../support/own-redis.ts';

const limits = { accountFailures: 3, accountWindowSeconds: 60, ipFailures: 5, ipWindowSeconds: 60 };
const log = createLogger('silent');

describe('login limiter', () => {
  it('locks an account after its failures, per account, and a success resets it', async () => {
    const limiter = createLoginLimiter({ redis: null, prefix: 'unit', log, limits });
    for (let i = 0; i < 2; i++) await limiter.recordFailure('ada@example.com', '198.51.100.1');
    expect(await limiter.lockedFor('ada@example.com', '198.51.100.1')).toBe(0);
    await limiter.recordSuccess('ADA@example.com'); // case does not matter
    for (let i = 0; i < 3; i++) await limiter.recordFailure('ada@example.com', '198.51.100.2');
    const wait = await limiter.lockedFor('Ada@Example.com', '198.51.100.3');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await limiter.lockedFor('bob@example.com', '198.51.100.3')).toBe(0);
  });

  it('locks an IP that fails across many accounts', async () => {
    const limiter = createLoginLimiter({ redis: null, prefix: 'unit', log, limits });
    for (let i = 0; i < 5; i++) await limiter.recordFailure(`user${i}@example.com`, '203.0.113.9');
    expect(await limiter.lockedFor('fresh@example.com', '203.0.113.9')).toBeGreaterThan(0);
    expect(await limiter.lockedFor('fresh@example.com', '203.0.113.10')).toBe(0);
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
      const limiter = createLoginLimiter({ redis, prefix: 'unit', log, limits });
      for (let i = 0; i < 3; i++) await limiter.recordFailure('eve@example.com', '192.0.2.1');
      expect(await limiter.lockedFor('eve@example.com', '192.0.2.1')).toBeGreaterThan(0);
      await expect(limiter.recordSuccess('eve@example.com')).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });
});
