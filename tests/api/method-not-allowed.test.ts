// A known path asked with a method it does not serve: 405 problem+json with Allow, before any sign-in check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'm405');
});
afterAll(() => ctx.close());

async function ask(method: string, path: string) {
  const res = await ctx.app.request(path, { method });
  return {
    status: res.status,
    allow: res.headers.get('allow'),
    type: res.headers.get('content-type'),
    body: await res.text(),
  };
}

describe('405 Method Not Allowed', () => {
  it.each([
    ['public', 'DELETE', '/api/v1/sites/m405/comments', ['POST']],
    ['public thread', 'PUT', '/api/v1/sites/m405/articles/a-1/comments', ['GET', 'HEAD']],
    ['moderation', 'DELETE', '/api/v1/moderation/comments', ['GET', 'HEAD']],
    ['moderation action', 'GET', '/api/v1/moderation/comments/0190aaaa-0000-7000-8000-000000000000/approve', ['POST']],
    ['admin', 'PUT', '/api/v1/admin/sites', ['GET', 'HEAD', 'POST']],
    ['admin one site', 'POST', '/api/v1/admin/sites/m405', ['GET', 'HEAD', 'PATCH']],
    ['dashboard', 'DELETE', '/dashboard/sites', ['GET', 'HEAD', 'POST']],
    ['dashboard form', 'PATCH', '/dashboard/bans', ['GET', 'HEAD', 'POST']],
  ])('%s: %s %s answers 405 with Allow, without signing in', async (_, method, path, allowed) => {
    const res = await ask(method, path);
    expect(res.status).toBe(405);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 405, title: 'Method not allowed' });
    expect(res.allow?.split(', ').sort()).toEqual([...allowed].sort());
  });

  it('leaves the rest alone: unknown paths 404, allowed methods still authenticate, HEAD and preflight work', async () => {
    expect((await ask('DELETE', '/api/v1/nothing-here')).status).toBe(404);
    expect((await ask('GET', '/api/v1/moderation/comments')).status).toBe(401);
    expect((await ask('PUT', '/api/v1/admin/sites')).status).toBe(405);
    expect((await ask('HEAD', '/healthz')).status).toBe(200);
    const preflight = await ctx.app.request('/api/v1/sites/m405/comments', {
      method: 'OPTIONS',
      headers: { origin: 'https://news.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBeLessThan(300);
  });
});

describe('OPTIONS without a CORS preflight', () => {
  it.each([
    ['/', ['GET', 'HEAD']],
    ['/embed.js', ['GET', 'HEAD']],
    ['/api/v1/sites/m405/comments', ['POST']],
    ['/api/v1/sites/m405/articles/a-1/comments', ['GET', 'HEAD']],
    ['/mail/unsubscribe', ['GET', 'HEAD', 'POST']],
  ])('%s answers 204 with Allow, not 404', async (path, allowed) => {
    const res = await ctx.app.request(path, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual([...allowed, 'OPTIONS'].sort());
    expect(await res.text()).toBe('');
  });

  it('an unknown path still answers 404 problem+json', async () => {
    const res = await ctx.app.request('/nothing-here', { method: 'OPTIONS' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
