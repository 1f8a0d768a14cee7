// What sign-in limits keep in Redis holds no personal data: failed sign-ins from an IPv4 address and
// an IPv6 reader's address are counted under keyed hashes, so neither the address (nor its /64) nor the
// email is in any key or value under the deployment's prefix. Redis keys outlive an author's erasure
// (up to the hour of the IP window), and the same address is often a commenter's.
// With Redis only (the postgres project); the embedded mode counts in process memory.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite, postJson, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

const EMAIL = 'keys.privacy@sign-in.example';
const IPV4 = '198.51.100.187';
const IPV6 = '2001:db8:4c:9::17';

let ctx: TestContext;
let redis: Redis | null = null;
beforeAll(async () => {
  ctx = await createTestContext({ TRUST_PROXY: 'true' });
  await createSite(ctx, 'flood-keys', { moderation: 'none', floodIntervalSeconds: 30 });
  if (ctx.config.redisUrl) redis = new Redis(ctx.config.redisUrl);
});
afterAll(async () => {
  redis?.disconnect();
  await ctx.close();
});

async function everyKeyAndValue(r: Redis, prefix: string): Promise<{ keys: string[]; text: string }> {
  const keys = await r.keys(`${prefix}:*`);
  const parts: string[] = [];
  for (const key of keys) {
    const type = await r.type(key);
    if (type === 'string') parts.push((await r.get(key)) ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await r.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await r.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await r.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await r.zrange(key, 0, -1)));
  }
  return { keys, text: `${keys.join('\n')}\n${parts.join('\n')}` };
}

describe('sign-in limits in Redis', () => {
  it('count failures from an address under a keyed hash, never the address or the email', async (t) => {
    if (!redis) return t.skip();
    for (const ip of [IPV4, IPV6]) {
      const res = await postJson(
        ctx,
        '/api/v1/auth/login',
        { email: EMAIL, password: 'not the password' },
        { 'x-forwarded-for': ip },
      );
      expect(res.status).toBe(401);
    }
    const { keys, text } = await everyKeyAndValue(redis, ctx.config.redisPrefix);
    // The failures were counted: one key per address, one for the account.
    expect(keys.filter((k) => k.startsWith(`${ctx.config.redisPrefix}:login:ip:`))).toHaveLength(2);
    expect(keys.filter((k) => k.startsWith(`${ctx.config.redisPrefix}:login:account:`))).toHaveLength(1);
    const lower = text.toLowerCase();
    for (const v of [EMAIL, IPV4, IPV6, '2001:db8:4c:9::/64', '2001:db8:4c:9:']) expect(lower).not.toContain(v);
  });
});

describe('flood control in Redis', () => {
  it('holds a commenter address under a keyed hash, never the address itself', async (t) => {
    if (!redis) return t.skip();
    const ips = ['198.51.100.201', '2001:db8:77:5::9'];
    for (const ip of ips) expect((await submit(ctx, 'flood-keys', {}, { 'x-forwarded-for': ip })).status).toBe(201);
    const { keys, text } = await everyKeyAndValue(redis, ctx.config.redisPrefix);
    // Both addresses were counted, each under a key of its own.
    expect(keys.filter((k) => k.startsWith(`${ctx.config.redisPrefix}:flood:flood-keys:ip:`))).toHaveLength(2);
    for (const v of [...ips, '2001:db8:77:5::/64', '2001:db8:77:5:']) expect(text.toLowerCase()).not.toContain(v);
  });
});

describe('"Manage my comments" link limits in Redis', () => {
  it('count a client under a keyed hash, never its address', async (t) => {
    if (!redis) return t.skip();
    const ips = ['198.51.100.202', '2001:db8:88:6::4'];
    for (const ip of ips) await ctx.container.readers.requestLink('flood-keys', 'manage.keys@example.com', ip);
    const { keys, text } = await everyKeyAndValue(redis, ctx.config.redisPrefix);
    // Both clients were counted, each under a key of its own.
    expect(keys.filter((k) => k.startsWith(`${ctx.config.redisPrefix}:manage:ip:`))).toHaveLength(2);
    const lower = text.toLowerCase();
    for (const v of [...ips, '2001:db8:88:6::/64', '2001:db8:88:6:', 'manage.keys@example.com'])
      expect(lower).not.toContain(v);
  });
});
