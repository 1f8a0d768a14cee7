// Flood control: one comment per author and per IP within the site's interval, counted in Redis
// across API processes when Redis is configured (postgres project), in memory otherwise (pglite),
// and still working when Redis is unreachable.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentInput, createSite, expectProblem, postJson, submit, tableCounts } from '../support/http.ts';
import { testDb } from '../support/stores.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  // Behind our own proxy, so tests can give each request an IP address.
  ctx = await createTestContext({ TRUST_PROXY: 'true' });
  await createSite(ctx, 'flood', { moderation: 'none', floodIntervalSeconds: 30 });
  await createSite(ctx, 'no-flood', { moderation: 'none', floodIntervalSeconds: 0 });
});
afterAll(() => ctx.close());

let ipSeq = 0;
const freshIp = () => `198.51.100.${++ipSeq}`;
const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('flood control', () => {
  it('answers 429 with Retry-After when the same author posts again within the interval, storing nothing', async () => {
    const email = 'fast@example.com';
    expect((await submit(ctx, 'flood', { email }, from(freshIp()))).status).toBe(201);
    const before = await tableCounts(ctx);
    const res = await submit(ctx, 'flood', { email: 'FAST@example.com' }, from(freshIp()));
    const problem = expectProblem(res, 429);
    expect(problem.code).toBe('flood');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(25);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('answers 429 when different authors post from the same IP within the interval', async () => {
    const ip = freshIp();
    expect((await submit(ctx, 'flood', {}, from(ip))).status).toBe(201);
    expectProblem(await submit(ctx, 'flood', {}, from(ip)), 429);
    expect((await submit(ctx, 'flood', {}, from(freshIp()))).status).toBe(201);
  });

  it('counts per site, and not at all when the interval is 0', async () => {
    const email = 'everywhere@example.com';
    expect((await submit(ctx, 'flood', { email }, from(freshIp()))).status).toBe(201);
    expect((await submit(ctx, 'no-flood', { email }, from(freshIp()))).status).toBe(201);
    expect((await submit(ctx, 'no-flood', { email }, from(freshIp()))).status).toBe(201);
  });

  it('does not count a comment that was refused (duplicate, unknown parent, invalid)', async () => {
    const ip = freshIp();
    const input = commentInput({ articleId: 'refused' });
    expect((await postJson(ctx, '/api/v1/sites/no-flood/comments', input, from(ip))).status).toBe(201);
    await ctx.container.sites.update('no-flood', { settings: { floodIntervalSeconds: 30 } });
    try {
      // The duplicate is refused before flood control; the 404 after it gives the count back.
      expectProblem(await postJson(ctx, '/api/v1/sites/no-flood/comments', input, from(ip)), 409);
      expectProblem(await submit(ctx, 'no-flood', { parentId: '0190a0a0-0000-7000-8000-000000000000' }, from(ip)), 404);
      expect((await submit(ctx, 'no-flood', {}, from(ip))).status).toBe(201);
    } finally {
      await ctx.container.sites.update('no-flood', { settings: { floodIntervalSeconds: 0 } });
    }
  });

  it('lets exactly one of several simultaneous comments by one author through', async () => {
    const email = 'burst@example.com';
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) => submit(ctx, 'flood', { email, articleId: `burst-${i}` }, from(freshIp()))),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 429, 429, 429]);
  });
});

describe('flood control comes before the filters', () => {
  const filterRuns = async () =>
    (await ctx.container.metrics.registry.getSingleMetric('comments_filter_runs_total')!.get()).values[0]?.value ?? 0;
  // Disguised profanity at the 10,000-character cap: the costliest body the filters see.
  const hostileBody = 'f.u.c.k s-h-1-t '.repeat(625).slice(0, 10_000);

  it("never runs a flooded client's comment through the filter pipeline", async () => {
    const ip = freshIp();
    const before = await filterRuns();
    expect((await submit(ctx, 'flood', { body: 'First, and filtered.' }, from(ip))).status).toBe(201);
    expect(await filterRuns()).toBe(before + 1);
    for (let i = 0; i < 5; i++) {
      const res = await submit(ctx, 'flood', { email: `flooder${i}@example.com`, body: hostileBody }, from(ip));
      expect(expectProblem(res, 429).code).toBe('flood');
    }
    expect(await filterRuns()).toBe(before + 1);
  });
});

describe('flood control counts clients, not spellings of addresses', () => {
  it('counts "::ffff:a.b.c.d" and "a.b.c.d" as one client', async () => {
    expect((await submit(ctx, 'flood', {}, from('192.0.2.44'))).status).toBe(201);
    expectProblem(await submit(ctx, 'flood', {}, from('::ffff:192.0.2.44')), 429);
    expect((await submit(ctx, 'flood', {}, from('::ffff:192.0.2.45'))).status).toBe(201);
    expectProblem(await submit(ctx, 'flood', {}, from('192.0.2.45')), 429);
  });

  it('counts every address of one IPv6 /64 as one client, and another /64 apart', async () => {
    expect((await submit(ctx, 'flood', {}, from('2001:db8:aa:1::1'))).status).toBe(201);
    expectProblem(await submit(ctx, 'flood', {}, from('2001:db8:aa:1:dead:beef:0:2')), 429);
    expectProblem(await submit(ctx, 'flood', {}, from('2001:DB8:AA:1:FFFF:FFFF:FFFF:FFFF')), 429);
    expect((await submit(ctx, 'flood', {}, from('2001:db8:aa:2::1'))).status).toBe(201);
  });
});

describe('the client address behind a proxy', () => {
  const stored = async (xff: string) => {
    const res = await submit(ctx, 'no-flood', {}, from(xff));
    expect(res.status).toBe(201);
    return (await ctx.container.moderation.show(res.body.id)).comment.ip;
  };

  it('is the last X-Forwarded-For entry, canonical, when it is an IP address', async () => {
    expect(await stored('10.0.0.1, 203.0.113.80')).toBe('203.0.113.80');
    expect(await stored('::ffff:203.0.113.81')).toBe('203.0.113.81');
    expect(await stored('203.0.113.82:51234')).toBe('203.0.113.82');
    expect(await stored('[2001:DB8::0:83]:443')).toBe('2001:db8::83');
  });

  it('is unknown, never the string itself, when that entry is not an IP address', async () => {
    for (const junk of ['unknown', '203.0.113.84, <script>alert(1)</script>', "1.1.1.1' or '1'='1", 'proxy.internal'])
      expect(await stored(junk)).toBeNull();
  });
});

describe.runIf(testDb() === 'postgres')('flood control across API processes (Redis)', () => {
  it('refuses a second comment sent to another process sharing the Redis prefix', async () => {
    const prefix = `test-${randomBytes(5).toString('hex')}`;
    const a = await createTestContext({ REDIS_PREFIX: prefix });
    const b = await createTestContext({ REDIS_PREFIX: prefix });
    try {
      await createSite(a, 'shared', { moderation: 'none', floodIntervalSeconds: 30 });
      await createSite(b, 'shared', { moderation: 'none', floodIntervalSeconds: 30 });
      expect((await submit(a, 'shared', { email: 'twice@example.com' })).status).toBe(201);
      expectProblem(await submit(b, 'shared', { email: 'twice@example.com' }), 429);
      const keys = await a.container.redis!.keys(`${prefix}:flood:*`);
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe.runIf(testDb() === 'postgres')('flood control when Redis goes away while serving', () => {
  it('keeps answering, counting in memory until Redis returns', async () => {
    const lost = await createTestContext({ REDIS_PREFIX: `test-${randomBytes(5).toString('hex')}` });
    try {
      await createSite(lost, 'lost', { moderation: 'none', floodIntervalSeconds: 30 });
      expect((await submit(lost, 'lost', { email: 'before@example.com' })).status).toBe(201);
      lost.container.redis!.disconnect();
      expect((await submit(lost, 'lost', { email: 'after@example.com' })).status).toBe(201);
      expectProblem(await submit(lost, 'lost', { email: 'after@example.com' }), 429);
    } finally {
      await lost.close();
    }
  });
});

describe('flood control when Redis is unreachable', () => {
  it('falls back to memory: no 500, no hang, still one comment per interval', async () => {
    const down = await createTestContext({
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_PREFIX: `test-${randomBytes(5).toString('hex')}`,
    });
    try {
      expect(down.container.redis).not.toBeNull();
      await createSite(down, 'down', { moderation: 'none', floodIntervalSeconds: 30 });
      const started = Date.now();
      const first = await submit(down, 'down', { email: 'offline@example.com' });
      expect(first.status).toBe(201);
      expectProblem(await submit(down, 'down', { email: 'offline@example.com' }), 429);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await down.close();
    }
  });
});
