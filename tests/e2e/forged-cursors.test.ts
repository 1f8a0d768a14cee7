// Made-up thread cursors against the real server process and its Redis: each used to add a page to
// the article's cache entry and push back its expiry. Now they are refused with 400 and leave Redis as
// it was, and even real cursors fill an article's entry only up to its bound.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEnvironment, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';
import { TEST_REDIS_URL, testDb } from '../support/stores.ts';

const ARTICLE = 'pk-kz-action-plan';
const prefix = `test-${randomBytes(5).toString('hex')}`;
let server: ServerProcess;
let redis: Redis;
let cleanup: () => Promise<void>;
const threadUrl = (q: string) => `${server.url}/api/v1/sites/demo/articles/${ARTICLE}/comments${q}`;

/** How much the thread cache holds in Redis: keys, bytes, and the longest time left to live. */
async function footprint() {
  const keys = await redis.keys(`${prefix}:thread:*`);
  let bytes = 0;
  let fields = 0;
  let ttl = -2;
  for (const k of keys) {
    bytes += Number(await redis.memory('USAGE', k));
    fields += await redis.hlen(k);
    ttl = Math.max(ttl, await redis.ttl(k));
  }
  return { keys: keys.length, fields, bytes, ttl };
}

describe.runIf(testDb() === 'postgres')('made-up thread cursors on the running server', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    const fresh = await freshEnvironment();
    cleanup = fresh.cleanup;
    const env = { ...fresh.env, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
    redis = new Redis(TEST_REDIS_URL);
    server = await startServer('src/bin/server.ts', env);
    const mode = await runTsx('src/bin/cli.ts', ['sites:update', '--id', 'demo', '--mode', 'none'], env);
    expect(mode.code, mode.stderr).toBe(0);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.url}/api/v1/sites/demo/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ articleId: ARTICLE, name: `R${i}`, email: `r${i}@example.com`, body: `comment ${i}` }),
      });
      expect(res.status).toBe(201);
    }
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await redis?.quit();
    await cleanup?.();
  });

  it('refuses 2,000 distinct forged cursors with 400, adding nothing to Redis and not extending its expiry', async () => {
    const first = await fetch(threadUrl('?limit=1'));
    expect(first.status).toBe(200);
    const real = ((await first.json()) as { nextCursor: string }).nextCursor;
    expect((await fetch(threadUrl(`?limit=1&cursor=${real}`))).status).toBe(200);
    const before = await footprint();
    expect(before.keys).toBe(1);

    const position = () =>
      Buffer.from(`${Date.now() - Math.floor(Math.random() * 1e9)}.${randomUUID()}`).toString('base64url');
    const forged = Array.from({ length: 2_000 }, (_, i) =>
      // Unsigned (the old format), with a made-up signature, or a real signature on another position.
      i % 3 === 0
        ? position()
        : i % 3 === 1
          ? `${position()}.${randomBytes(16).toString('base64url')}`
          : `${position()}.${real.split('.')[1]}`,
    );
    expect(new Set(forged).size).toBe(2_000);
    const statuses: number[] = [];
    for (let i = 0; i < forged.length; i += 25) {
      const batch = forged.slice(i, i + 25).map(async (cursor) => {
        const res = await fetch(threadUrl(`?limit=1&cursor=${encodeURIComponent(cursor)}`));
        expect(res.headers.get('content-type')).toMatch(/problem\+json/);
        await res.arrayBuffer();
        return res.status;
      });
      statuses.push(...(await Promise.all(batch)));
    }
    expect(new Set(statuses)).toEqual(new Set([400]));
    const after = await footprint();
    expect(after.keys).toBe(before.keys);
    expect(after.fields).toBe(before.fields);
    expect(after.bytes).toBeLessThanOrEqual(before.bytes + 1024);
    expect(after.ttl).toBeLessThanOrEqual(before.ttl);
  });

  it("bounds an article's cache entry even when every variant is real", async () => {
    for (const sort of ['oldest', 'newest']) {
      for (let limit = 1; limit <= 100; limit++)
        expect((await fetch(threadUrl(`?sort=${sort}&limit=${limit}`))).status).toBe(200);
      let cursor: string | null = null;
      do {
        const res = await fetch(threadUrl(`?sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`));
        expect(res.status).toBe(200);
        cursor = ((await res.json()) as { nextCursor: string | null }).nextCursor;
      } while (cursor);
    }
    const f = await footprint();
    expect(f.keys).toBe(1);
    expect(f.fields).toBeLessThanOrEqual(201); // 200 pages and the byte count
    expect(f.bytes).toBeLessThan(5 * 1024 * 1024);
  });
});
