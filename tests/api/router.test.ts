// The app's router (http/public-first-router.ts) answers every path exactly as one TrieRouter over the
// whole route table would, while the public side runs on the RegExpRouter.
import type { Result } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayMatchPublic, PublicFirstRouter } from '../../src/http/public-first-router.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** Handlers with their parameters, whichever of the two result shapes a router gives. */
function normalise<T>(result: Result<T>): [T, Record<string, string>][] {
  const [matches, stash] = result as [[T, Record<string, string | number>][], string[] | undefined];
  return matches.map(([handler, params]) => [
    handler,
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, stash ? stash[v as number]! : (v as string)])),
  ]);
}

/** A concrete path for a route pattern, and a few near misses. */
function samples(pattern: string): string[] {
  const concrete = pattern
    .replace(/:(\w+)\{[^}]*\}/g, 'v1')
    .replace(/:(\w+)\??/g, 'p-1')
    .replace(/\*$/, 'deeper/part');
  return [concrete, `${concrete}/extra`, concrete.replace(/\/[^/]*$/, '/bulk'), concrete.replace(/\/$/, '')];
}

describe('the app router', () => {
  it('uses the RegExpRouter for the public API', async () => {
    await ctx.app.request('/api/v1/sites/none/articles/a/comments');
    expect(ctx.app.router.name).toBe('PublicFirstRouter (SmartRouter + RegExpRouter + TrieRouter)');
  });

  it('matches every route (and its near misses) as a TrieRouter over all routes does', () => {
    const split = new PublicFirstRouter<unknown>();
    const trie = new TrieRouter<unknown>();
    for (const route of ctx.app.routes) {
      split.add(route.method, route.path, route.handler);
      trie.add(route.method, route.path, route.handler);
    }
    const paths = new Set(['/', '/api/v1/sites/', '/api/v1/sites/x', '/api/v1/sitesx/a', '/api/v2/sites/a/comments']);
    for (const route of ctx.app.routes) for (const p of samples(route.path)) paths.add(p);
    let publicPaths = 0;
    for (const path of paths) {
      if (path.startsWith('/api/v1/sites/')) publicPaths++;
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS']) {
        expect(normalise(split.match(method, path)), `${method} ${path}`).toEqual(normalise(trie.match(method, path)));
      }
    }
    expect(publicPaths).toBeGreaterThan(10);
    expect(paths.size).toBeGreaterThan(200);
  });

  it('keeps on the public side every pattern that could match under /api/v1/sites/', () => {
    for (const pattern of ['*', '/*', '/api/*', '/api/:v/sites/x', '/api/v1/sites/:siteId/*', '/:any'])
      expect(mayMatchPublic(pattern), pattern).toBe(true);
    for (const pattern of ['/dashboard/*', '/api/v1/admin/*', '/api/v1/site/:id', '/healthz'])
      expect(mayMatchPublic(pattern), pattern).toBe(false);
  });
});
