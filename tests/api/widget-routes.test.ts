// /embed.js and /count.js: stable URLs with short caching, content-hashed URLs cached for a year.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const get = (path: string, headers: Record<string, string> = {}) => ctx.app.request(path, { headers });

describe('widget scripts', () => {
  it('serves /embed.js briefly cached, pointing at a bundle cached for a year', async () => {
    const loader = await get('/embed.js');
    expect(loader.status).toBe(200);
    expect(loader.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(loader.headers.get('cache-control')).toContain('max-age=300');
    const path = /\/widget\/embed\.[0-9a-f]{12}\.js/.exec(await loader.text())?.[0];
    expect(path).toBeDefined();

    const bundle = await get(path!);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(bundle.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await bundle.text()).toContain('attachShadow');
  });

  it('answers 304 to a matching ETag and gzip to clients that accept it', async () => {
    const first = await get('/embed.js');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{12}"$/);
    const again = await get('/embed.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const zipped = await get('/count.js', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
    const code = gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8');
    expect(code).toBe(await (await get('/count.js')).text());
    expect(code).toContain('data-comment-count');
  });

  it('gives an outdated hash the current code without long caching, and 404 to anything else', async () => {
    const stale = await get('/widget/embed.000000000000.js');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('cache-control')).not.toContain('immutable');
    expect((await get('/widget/other.000000000000.js')).status).toBe(404);
    expect((await get('/widget/embed.js')).status).toBe(404);
  });
});
