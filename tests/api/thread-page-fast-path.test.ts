// The thread page served from prepared bytes and plain headers still carries every header the
// middleware adds, and a page built from a read before an invalidation is never cached after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'fast', { moderation: 'none', origins: ['https://news.example'] });
  await submit(ctx, 'fast', { articleId: 'f1', body: 'First' });
});
afterAll(() => ctx.close());

const PATH = '/api/v1/sites/fast/articles/f1/comments';

describe('thread page answers', () => {
  it('carry request id, Vary, CORS, ETag, cache and length headers, on 200 and 304 alike', async () => {
    const headers = { origin: 'https://news.example', 'x-request-id': 'client-id-1' };
    const first = await ctx.app.request(PATH, { headers });
    const body = await first.text();
    expect(first.status).toBe(200);
    expect(JSON.parse(body).comments).toHaveLength(1);
    const cached = await ctx.app.request(PATH, { headers });
    expect(await cached.text()).toBe(body);
    for (const res of [first, cached]) {
      expect(res.headers.get('x-request-id')).toBe('client-id-1');
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('access-control-allow-origin')).toBe('https://news.example');
      expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
      expect(res.headers.get('etag')).toMatch(/^W\/"/);
    }
    const etag = cached.headers.get('etag')!;
    const notModified = await ctx.app.request(PATH, { headers: { ...headers, 'if-none-match': `"x", ${etag}` } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.headers.get('x-request-id')).toBe('client-id-1');
    expect(notModified.headers.get('vary')).toBe('Origin');
    expect(notModified.headers.get('access-control-allow-origin')).toBe('https://news.example');
  });

  it('give every answer a request id of its own when the client sends none or an unusable one', async () => {
    const plain = await ctx.app.request(PATH);
    const odd = await ctx.app.request(PATH, { headers: { 'x-request-id': 'has spaces' } });
    const error = await ctx.app.request(`${PATH}?limit=0`, { headers: { origin: 'https://news.example' } });
    for (const res of [plain, odd, error]) expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(plain.headers.get('x-request-id')).not.toBe(odd.headers.get('x-request-id'));
    expect(error.status).toBe(400);
    expect(((await error.json()) as { requestId: string }).requestId).toBe(error.headers.get('x-request-id'));
    expect(error.headers.get('vary')).toBe('Origin');
    expect(error.headers.get('access-control-allow-origin')).toBe('https://news.example');
  });

  it('check a query string each time it is sent, even once a valid one is known', async () => {
    expect((await ctx.app.request(`${PATH}?sort=newest&limit=5`)).status).toBe(200);
    expect((await ctx.app.request(`${PATH}?sort=newest&limit=5`)).status).toBe(200);
    const repeated = await ctx.app.request(`${PATH}?sort=newest&sort=oldest`);
    expect(repeated.status).toBe(400);
    expect((await ctx.app.request(`${PATH}?limit=101`)).status).toBe(400);
  });
});

describe('the thread cache', () => {
  it('does not keep a page missed before an invalidation and stored after it', async () => {
    const cache = ctx.container.threadCache;
    const missed = await cache.get('fast', 'race', 'oldest|20|');
    expect(missed.page).toBeNull();
    await cache.invalidate('fast', 'race'); // a change committed while the page was being read
    await cache.set('fast', 'race', 'oldest|20|', { etag: 'W/"old"', body: '{}' }, missed.ticket);
    expect((await cache.get('fast', 'race', 'oldest|20|')).page).toBeNull();

    const fresh = await cache.get('fast', 'race', 'oldest|20|');
    await cache.set('fast', 'race', 'oldest|20|', { etag: 'W/"new"', body: '{"a":1}' }, fresh.ticket);
    const hit = (await cache.get('fast', 'race', 'oldest|20|')).page;
    expect(hit?.etag).toBe('W/"new"');
    expect(hit?.bytes.toString()).toBe('{"a":1}');
  });

  it("shows a reader's own comment on the first read after posting, even while a build is running", async () => {
    await ctx.app.request(PATH); // cached
    // A reader's read starts a rebuild after an invalidation; a comment is posted while it runs.
    await submit(ctx, 'fast', { articleId: 'f1', body: 'Second' });
    const during = ctx.app.request(PATH);
    await submit(ctx, 'fast', { articleId: 'f1', body: 'Third' });
    const own = (await (await ctx.app.request(PATH)).json()) as { comments: { html: string }[] };
    await during;
    expect(own.comments.map((c) => c.html)).toEqual(expect.arrayContaining([expect.stringContaining('Third')]));
  });
});
