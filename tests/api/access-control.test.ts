// Every moderation and admin route, taken from the OpenAPI document (so a new route cannot be left
// out): without credentials it answers 401; a moderator of one site gets 403 for another site's
// comments, bans, settings, webhooks and for accounts and tokens; an admin succeeds.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, type Session, signIn, tokenFor } from '../support/accounts.ts';
import { expectProblem, submit } from '../support/http.ts';
import { type Cast, castOfTwoSites, freshOn, MINE, THEIRS } from '../support/other-site.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let cast: Cast;
let adminToken: string;
let modToken: string;
let modSession: Session;
let fresh: ReturnType<typeof freshOn>;
beforeAll(async () => {
  ctx = await createTestContext();
  cast = await castOfTwoSites(ctx);
  adminToken = await tokenFor(ctx, cast.admin);
  modToken = await tokenFor(ctx, cast.moderator);
  modSession = await signIn(ctx, cast.moderator.email);
  fresh = freshOn(ctx, cast, THEIRS);
});
afterAll(() => ctx.close());

interface Call {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
}
type Scope = 'other-site' | 'admin-only' | 'self';

/** For each route: a request about site THEIRS (made fresh for every caller), and what it is about. */
const WALK: Record<string, { scope: Scope; make: () => Promise<Call> }> = {
  'POST /api/v1/auth/logout': { scope: 'self', make: async () => ({}) },
  'GET /api/v1/auth/me': { scope: 'self', make: async () => ({}) },
  'GET /api/v1/moderation/comments': { scope: 'other-site', make: async () => ({ query: `siteId=${THEIRS}` }) },
  'GET /api/v1/moderation/comments/{id}': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.pendingComment() } }),
  },
  'GET /api/v1/moderation/log': { scope: 'other-site', make: async () => ({ query: `siteId=${THEIRS}` }) },
  'POST /api/v1/moderation/comments/{id}/approve': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.pendingComment() }, body: { reason: 'walk' } }),
  },
  'POST /api/v1/moderation/comments/{id}/reject': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.pendingComment() } }),
  },
  'POST /api/v1/moderation/comments/{id}/spam': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.pendingComment() } }),
  },
  'POST /api/v1/moderation/comments/{id}/restore': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.rejectedComment() } }),
  },
  'POST /api/v1/moderation/comments/{id}/undo': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.rejectedComment() }, body: { expectedStatus: 'rejected' } }),
  },
  'POST /api/v1/moderation/comments/bulk': {
    scope: 'other-site',
    make: async () => ({
      body: { ids: [await fresh.pendingComment(), await fresh.pendingComment()], action: 'reject' },
    }),
  },
  'GET /api/v1/moderation/reports': { scope: 'other-site', make: async () => ({ query: `siteId=${THEIRS}` }) },
  'GET /api/v1/moderation/comments/{id}/reports': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.reportedComment() } }),
  },
  'POST /api/v1/moderation/comments/{id}/reports/dismiss': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.reportedComment() }, body: {} }),
  },
  'POST /api/v1/moderation/comments/{id}/reports/uphold': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.reportedComment() }, body: { action: 'reject' } }),
  },
  'GET /api/v1/moderation/bans': { scope: 'other-site', make: async () => ({ query: `siteId=${THEIRS}` }) },
  'POST /api/v1/moderation/bans': {
    scope: 'other-site',
    make: async () => ({ body: { siteId: THEIRS, kind: 'ip', value: '192.0.2.77', confirm: true, rejectHeld: true } }),
  },
  'POST /api/v1/moderation/bans/preview': {
    scope: 'other-site',
    make: async () => ({ body: { siteId: THEIRS, kind: 'domain', value: 'example.com' } }),
  },
  'DELETE /api/v1/moderation/bans/{id}': {
    scope: 'other-site',
    make: async () => ({ params: { id: await fresh.ban() } }),
  },
  'GET /api/v1/moderation/sites/{siteId}/articles/{articleId}': {
    scope: 'other-site',
    make: async () => {
      const articleId = `walk-${randomUUID()}`;
      await submit(ctx, THEIRS, { articleId });
      return { params: { siteId: THEIRS, articleId } };
    },
  },
  'PATCH /api/v1/moderation/sites/{siteId}/articles/{articleId}': {
    scope: 'other-site',
    make: async () => {
      const articleId = `walk-${randomUUID()}`;
      await submit(ctx, THEIRS, { articleId });
      return { params: { siteId: THEIRS, articleId }, body: { closed: true, moderation: 'none' } };
    },
  },
  'GET /api/v1/admin/sites': { scope: 'admin-only', make: async () => ({}) },
  'POST /api/v1/admin/sites/{siteId}/imports': {
    scope: 'admin-only',
    // The body is the file itself; an empty export of site THEIRS (the job then runs on its own).
    make: async () => ({
      params: { siteId: THEIRS },
      query: 'format=jsonl',
      body: { format: 'comments-export', version: 1 },
    }),
  },
  'GET /api/v1/admin/sites/{siteId}/imports/{jobId}': {
    scope: 'admin-only',
    make: async () => {
      const job = await ctx.container.importJobs.start({ type: 'cli', id: 'walk' }, THEIRS, new Response('{}').body, {
        format: 'jsonl',
      });
      return { params: { siteId: THEIRS, jobId: job.id } };
    },
  },
  'GET /api/v1/admin/sites/{siteId}/authors/export': {
    scope: 'admin-only',
    make: async () => ({ params: { siteId: THEIRS }, query: 'email=reader%40example.com' }),
  },
  'GET /api/v1/admin/sites/{siteId}/export': {
    scope: 'admin-only',
    make: async () => ({ params: { siteId: THEIRS } }),
  },
  'POST /api/v1/admin/sites': {
    scope: 'admin-only',
    make: async () => ({ body: { id: `walk-${Math.random().toString(36).slice(2, 10)}`, name: 'Walk' } }),
  },
  'GET /api/v1/admin/sites/{siteId}': { scope: 'admin-only', make: async () => ({ params: { siteId: THEIRS } }) },
  'PATCH /api/v1/admin/sites/{siteId}': {
    scope: 'admin-only',
    make: async () => ({ params: { siteId: THEIRS }, body: { settings: { maxDepth: 4 } } }),
  },
  'PATCH /api/v1/admin/sites/{siteId}/articles/{articleId}': {
    scope: 'admin-only',
    make: async () => {
      const articleId = `walk-${randomUUID()}`;
      await submit(ctx, THEIRS, { articleId });
      return { params: { siteId: THEIRS, articleId }, body: { title: 'Walked' } };
    },
  },
  'GET /api/v1/admin/users': { scope: 'admin-only', make: async () => ({}) },
  'POST /api/v1/admin/users': {
    scope: 'admin-only',
    make: async () => ({
      body: {
        email: `${Math.random().toString(36).slice(2)}@example.com`,
        role: 'moderator',
        password: 'long enough password',
        siteIds: [THEIRS],
      },
    }),
  },
  'GET /api/v1/admin/users/{userId}': {
    scope: 'admin-only',
    make: async () => ({ params: { userId: cast.stranger.id } }),
  },
  'PATCH /api/v1/admin/users/{userId}': {
    scope: 'admin-only',
    make: async () => ({ params: { userId: await fresh.user() }, body: { siteIds: [MINE, THEIRS] } }),
  },
  'POST /api/v1/admin/users/{userId}/password': {
    scope: 'admin-only',
    make: async () => ({ params: { userId: await fresh.user() }, body: { password: 'a new long password' } }),
  },
  'GET /api/v1/admin/users/{userId}/tokens': {
    scope: 'admin-only',
    make: async () => ({ params: { userId: cast.stranger.id } }),
  },
  'POST /api/v1/admin/users/{userId}/tokens': {
    scope: 'admin-only',
    make: async () => ({ params: { userId: cast.stranger.id }, body: { name: 'walk' } }),
  },
  'DELETE /api/v1/admin/tokens/{tokenId}': {
    scope: 'admin-only',
    make: async () => ({ params: { tokenId: await fresh.token() } }),
  },
  'GET /api/v1/admin/sites/{siteId}/webhooks': {
    scope: 'admin-only',
    make: async () => ({ params: { siteId: THEIRS } }),
  },
  'POST /api/v1/admin/sites/{siteId}/webhooks': {
    scope: 'admin-only',
    make: async () => ({ params: { siteId: THEIRS }, body: { url: 'https://hooks.example.com/new' } }),
  },
  'GET /api/v1/admin/webhooks/{endpointId}': {
    scope: 'admin-only',
    make: async () => ({ params: { endpointId: await fresh.endpoint() } }),
  },
  'PATCH /api/v1/admin/webhooks/{endpointId}': {
    scope: 'admin-only',
    make: async () => ({ params: { endpointId: await fresh.endpoint() }, body: { enabled: false } }),
  },
  'DELETE /api/v1/admin/webhooks/{endpointId}': {
    scope: 'admin-only',
    make: async () => ({ params: { endpointId: await fresh.endpoint() } }),
  },
  'POST /api/v1/admin/webhooks/{endpointId}/rotate-secret': {
    scope: 'admin-only',
    make: async () => ({ params: { endpointId: await fresh.endpoint() } }),
  },
  'GET /api/v1/admin/webhooks/{endpointId}/deliveries': {
    scope: 'admin-only',
    make: async () => ({ params: { endpointId: await fresh.endpoint() } }),
  },
  'POST /api/v1/admin/webhook-deliveries/{deliveryId}/redeliver': {
    scope: 'admin-only',
    make: async () => ({ params: { deliveryId: await fresh.delivery() } }),
  },
  'GET /api/v1/admin/audit-log': { scope: 'admin-only', make: async () => ({ query: `siteId=${THEIRS}` }) },
  'GET /api/v1/admin/sites/{siteId}/spam': { scope: 'admin-only', make: async () => ({ params: { siteId: THEIRS } }) },
  'POST /api/v1/admin/sites/{siteId}/spam/retrain': {
    scope: 'admin-only',
    make: async () => ({ params: { siteId: THEIRS } }),
  },
  'POST /api/v1/admin/sites/{siteId}/spam/reset': {
    scope: 'admin-only',
    make: async () => ({ params: { siteId: THEIRS } }),
  },
  'GET /api/v1/admin/sites/{siteId}/reports/transparency': {
    scope: 'admin-only',
    make: async () => ({ params: { siteId: THEIRS } }),
  },
  'GET /api/v1/admin/subscriptions': {
    scope: 'admin-only',
    make: async () => ({ query: `email=reader%40example.com&siteId=${THEIRS}` }),
  },
  'DELETE /api/v1/admin/subscriptions': {
    scope: 'admin-only',
    make: async () => ({ query: `email=reader%40example.com&siteId=${THEIRS}` }),
  },
};

/** Every operation in the OpenAPI document that is not the public API or the sign-in itself. */
async function signedInRoutes(): Promise<string[]> {
  const doc = (await (await ctx.app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(doc.paths)
    .filter(([path]) => /^\/api\/v1\/(moderation|admin|auth)\//.test(path) && path !== '/api/v1/auth/login')
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

async function send(route: string, c: Call, headers: Record<string, string>) {
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => c.params?.[name] ?? `missing-${name}`);
  return api(ctx, method, `${path}${c.query ? `?${c.query}` : ''}`, headers, c.body);
}

const sessionHeaders = () => ({ cookie: modSession.cookie, 'x-csrf-token': modSession.csrf });

describe('access control over every moderation and admin route', () => {
  it('knows every route of the OpenAPI document (add new routes to WALK)', async () => {
    const routes = await signedInRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes).toEqual(Object.keys(WALK).sort());
  });

  it('answers 401 without credentials, and with a wrong or revoked token', async () => {
    const revoked = await ctx.container.tokens.create(cast.admin.id, 'revoked', { type: 'cli', id: 'test' });
    await ctx.container.tokens.revoke(revoked.apiToken.id, { type: 'cli', id: 'test' });
    for (const route of await signedInRoutes()) {
      const call = await WALK[route]!.make();
      for (const headers of [
        {} as Record<string, string>,
        bearer('cmt_wrong'),
        bearer(revoked.token),
        { cookie: 'cms_session=forged-session-value-forged-session-value-xyz' },
      ]) {
        const res = await send(route, call, headers);
        expect(res.status, `${route} with ${JSON.stringify(headers)}`).toBe(401);
        expectProblem(res, 401);
      }
    }
  });

  it("answers 403 to a moderator for another site's comments, bans and log, and for every admin route (token or session)", async () => {
    for (const route of await signedInRoutes()) {
      const { scope, make } = WALK[route]!;
      if (scope === 'self') continue;
      for (const headers of [bearer(modToken), sessionHeaders()]) {
        const res = await send(route, await make(), headers);
        expect(res.status, `${route} as moderator of ${MINE} (${Object.keys(headers)[0]})`).toBe(403);
        expectProblem(res, 403);
      }
    }
  });

  it('lets an admin do all of it', async () => {
    for (const route of await signedInRoutes()) {
      const res = await send(route, await WALK[route]!.make(), bearer(adminToken));
      expect(res.status, `${route} as admin: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${route} as admin: ${res.text.slice(0, 300)}`).toBeLessThan(300);
    }
  });

  it("changes nothing when a moderator is refused another site's comment", async () => {
    const id = await fresh.pendingComment();
    for (const action of ['approve', 'reject', 'spam'])
      expect((await api(ctx, 'POST', `/api/v1/moderation/comments/${id}/${action}`, bearer(modToken))).status).toBe(
        403,
      );
    // One forbidden id in a batch refuses the whole batch.
    const own = (await submit(ctx, MINE, { articleId: 'mixed' })).body.id;
    expect(
      (
        await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', bearer(modToken), {
          ids: [own, id],
          action: 'approve',
        })
      ).status,
    ).toBe(403);
    const log = await ctx.container.moderation.show(id);
    expect(log.comment.status).toBe('pending');
    expect(log.log).toHaveLength(1);
    expect((await ctx.container.moderation.show(own)).comment.status).toBe('pending');
  });

  it("does not let a moderator tell another site's comment from one that does not exist", async () => {
    const theirs = await fresh.pendingComment();
    const ghost = '01939f0e-8a4c-7cc1-9a0e-1f2d3c4b5a69';
    for (const suffix of ['', '/approve', '/restore']) {
      const method = suffix ? 'POST' : 'GET';
      const a = expectProblem(
        await api(ctx, method, `/api/v1/moderation/comments/${theirs}${suffix}`, bearer(modToken)),
        403,
      );
      const b = expectProblem(
        await api(ctx, method, `/api/v1/moderation/comments/${ghost}${suffix}`, bearer(modToken)),
        403,
      );
      expect({ ...a, requestId: null }).toEqual({ ...b, requestId: null });
    }
    const banA = expectProblem(
      await api(ctx, 'DELETE', `/api/v1/moderation/bans/${await fresh.ban()}`, bearer(modToken)),
      403,
    );
    const banB = expectProblem(await api(ctx, 'DELETE', `/api/v1/moderation/bans/${ghost}`, bearer(modToken)), 403);
    expect({ ...banA, requestId: null }).toEqual({ ...banB, requestId: null });
    const siteA = expectProblem(
      await api(ctx, 'GET', `/api/v1/moderation/comments?siteId=${THEIRS}`, bearer(modToken)),
      403,
    );
    const siteB = expectProblem(
      await api(ctx, 'GET', '/api/v1/moderation/comments?siteId=no-such-site', bearer(modToken)),
      403,
    );
    expect({ ...siteA, requestId: null }).toEqual({ ...siteB, requestId: null });
  });

  it("shows a moderator their own sites' queue and lets them act there, never listing another site's comments", async () => {
    const own = (await submit(ctx, MINE, { articleId: 'own' })).body.id;
    await fresh.pendingComment();
    const queue = await api(ctx, 'GET', '/api/v1/moderation/comments', bearer(modToken));
    expect(queue.status).toBe(200);
    expect(queue.body.items.length).toBeGreaterThan(0);
    expect(queue.body.items.every((c: any) => c.siteId === MINE)).toBe(true);
    expect(queue.body.counts.pending).toBe(queue.body.items.length);
    expect(
      (await api(ctx, 'GET', '/api/v1/moderation/comments?q=example.com', bearer(modToken))).body.items.every(
        (c: any) => c.siteId === MINE,
      ),
    ).toBe(true);
    expect((await api(ctx, 'POST', `/api/v1/moderation/comments/${own}/approve`, bearer(modToken))).status).toBe(200);
    const log = await api(ctx, 'GET', '/api/v1/moderation/log?limit=200', bearer(modToken));
    expect(log.body.entries.every((e: any) => e.siteId === MINE)).toBe(true);
    const bans = await api(ctx, 'POST', '/api/v1/moderation/bans', bearer(modToken), {
      siteId: MINE,
      kind: 'email',
      value: 'pest@example.com',
    });
    expect(bans.status).toBe(201);
    expect(
      (await api(ctx, 'GET', '/api/v1/moderation/bans', bearer(modToken))).body.bans.every(
        (b: any) => b.siteId === MINE,
      ),
    ).toBe(true);
  });
});
