// Every dashboard page and form, taken from the app's route table (so a new page cannot be left out):
// without a session it sends you to sign in and changes nothing; a post without the CSRF token, or
// from another origin, is refused; a moderator of one site is refused another site's pages and every
// admin page; an admin gets through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendTestMail } from '../../src/mail/test-mail.ts';
import { createUser, dashboardGet, dashboardPost, type Session, signIn } from '../support/accounts.ts';
import { type Cast, castOfTwoSites, freshOn, THEIRS } from '../support/other-site.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let cast: Cast;
let admin: Session;
let moderator: Session;
let fresh: ReturnType<typeof freshOn>;
beforeAll(async () => {
  ctx = await createTestContext();
  cast = await castOfTwoSites(ctx);
  admin = await signIn(ctx, cast.admin.email);
  moderator = await signIn(ctx, cast.moderator.email);
  fresh = freshOn(ctx, cast, THEIRS);
});
afterAll(() => ctx.close());

/** An article of THEIRS (made by its first comment); its id. */
async function freshArticle(): Promise<string> {
  const commentId = await fresh.pendingComment();
  const row = await ctx.container.database.db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select('articles.external_id')
    .where('comments.id', '=', commentId)
    .executeTakeFirstOrThrow();
  return row.external_id;
}

interface Visit {
  path: string;
  form?: Record<string, string | string[]>;
  /** A server-sent event stream: the status and headers are the answer. */
  stream?: boolean;
}
/**
 * For each page or form: a request about site THEIRS (fresh for every caller). `moderatorSees: 200`
 * marks the pages every moderator may open, which must then show nothing of THEIRS.
 */
const PAGES: Record<string, { make: () => Promise<Visit>; moderatorSees?: 200 | 303 }> = {
  'POST /dashboard/logout': { make: async () => ({ path: '/dashboard/logout' }), moderatorSees: 303 },
  'GET /dashboard': { make: async () => ({ path: '/dashboard' }), moderatorSees: 303 },
  'GET /dashboard/queue': { make: async () => ({ path: `/dashboard/queue?site=${THEIRS}` }) },
  'GET /dashboard/queue/poll': { make: async () => ({ path: `/dashboard/queue/poll?site=${THEIRS}&status=pending` }) },
  // The live queue's event stream: read up to its headers, never to its (endless) end.
  'GET /dashboard/queue/live': { make: async () => ({ path: `/dashboard/queue/live?site=${THEIRS}`, stream: true }) },
  'GET /dashboard/queue/more': { make: async () => ({ path: `/dashboard/queue/more?site=${THEIRS}&status=pending` }) },
  'POST /dashboard/queue/bulk': {
    make: async () => ({
      path: '/dashboard/queue/bulk',
      form: {
        ids: [await fresh.pendingComment(), await fresh.pendingComment()],
        action: 'reject',
        return: '/dashboard/queue',
      },
    }),
  },
  'POST /dashboard/comments/:id/:action': {
    make: async () => ({
      path: `/dashboard/comments/${await fresh.pendingComment()}/approve`,
      form: { return: '/dashboard/queue' },
    }),
  },
  'GET /dashboard/comments/:id': {
    make: async () => ({ path: `/dashboard/comments/${await fresh.pendingComment()}` }),
  },
  'GET /dashboard/articles/:siteId/:articleId': {
    make: async () => ({ path: `/dashboard/articles/${THEIRS}/${await freshArticle()}` }),
  },
  'POST /dashboard/articles/:siteId/:articleId/close': {
    make: async () => ({ path: `/dashboard/articles/${THEIRS}/${await freshArticle()}/close` }),
  },
  'POST /dashboard/articles/:siteId/:articleId/open': {
    make: async () => ({ path: `/dashboard/articles/${THEIRS}/${await freshArticle()}/open` }),
  },
  'POST /dashboard/articles/:siteId/:articleId/mode': {
    make: async () => ({ path: `/dashboard/articles/${THEIRS}/${await freshArticle()}/mode`, form: { mode: 'all' } }),
  },
  'GET /dashboard/reported': { make: async () => ({ path: `/dashboard/reported?site=${THEIRS}` }) },
  'POST /dashboard/reported/:id/:action': {
    make: async () => ({
      path: `/dashboard/reported/${await fresh.reportedComment()}/dismiss`,
      form: { return: '/dashboard/reported' },
    }),
  },
  'GET /dashboard/bans': { make: async () => ({ path: '/dashboard/bans' }), moderatorSees: 200 },
  'POST /dashboard/bans': {
    make: async () => ({
      path: '/dashboard/bans',
      form: { siteId: THEIRS, kind: 'ip', value: '192.0.2.99', duration: '1', confirm: '1', rejectHeld: '1' },
    }),
  },
  'POST /dashboard/bans/:id/lift': { make: async () => ({ path: `/dashboard/bans/${await fresh.ban()}/lift` }) },
  'GET /dashboard/log': { make: async () => ({ path: `/dashboard/log?site=${THEIRS}` }) },
  'GET /dashboard/sites': { make: async () => ({ path: '/dashboard/sites' }) },
  'POST /dashboard/sites': {
    make: async () => ({
      path: '/dashboard/sites',
      form: { id: `walk-${Math.random().toString(36).slice(2, 9)}`, name: 'Walk', origins: 'https://walk.example' },
    }),
  },
  'GET /dashboard/sites/:siteId': { make: async () => ({ path: `/dashboard/sites/${THEIRS}` }) },
  'POST /dashboard/sites/:siteId': {
    make: async () => ({
      path: `/dashboard/sites/${THEIRS}`,
      form: {
        name: 'Theirs',
        origins: 'https://news.example',
        moderation: 'all',
        maxDepth: '4',
        closeAfterDays: '',
        spamRetentionDays: '30',
      },
    }),
  },
  'GET /dashboard/sites/:siteId/webhooks': { make: async () => ({ path: `/dashboard/sites/${THEIRS}/webhooks` }) },
  'POST /dashboard/sites/:siteId/webhooks': {
    make: async () => ({
      path: `/dashboard/sites/${THEIRS}/webhooks`,
      form: { url: 'https://hooks.example.com/dash' },
    }),
  },
  'GET /dashboard/webhooks/:id': { make: async () => ({ path: `/dashboard/webhooks/${await fresh.endpoint()}` }) },
  'POST /dashboard/webhooks/:id/enable': {
    make: async () => ({ path: `/dashboard/webhooks/${await fresh.endpoint()}/enable` }),
  },
  'POST /dashboard/webhooks/:id/disable': {
    make: async () => ({ path: `/dashboard/webhooks/${await fresh.endpoint()}/disable` }),
  },
  'POST /dashboard/webhooks/:id/rotate-secret': {
    make: async () => ({ path: `/dashboard/webhooks/${await fresh.endpoint()}/rotate-secret` }),
  },
  'POST /dashboard/webhooks/:id/delete': {
    make: async () => ({ path: `/dashboard/webhooks/${await fresh.endpoint()}/delete` }),
  },
  'POST /dashboard/webhook-deliveries/:id/redeliver': {
    make: async () => ({ path: `/dashboard/webhook-deliveries/${await fresh.delivery()}/redeliver` }),
  },
  'GET /dashboard/users': { make: async () => ({ path: '/dashboard/users' }) },
  'POST /dashboard/users': {
    make: async () => ({
      path: '/dashboard/users',
      form: {
        email: `${Math.random().toString(36).slice(2)}@example.com`,
        role: 'moderator',
        password: 'long enough password',
        siteIds: THEIRS,
      },
    }),
  },
  'GET /dashboard/users/:id': { make: async () => ({ path: `/dashboard/users/${cast.stranger.id}` }) },
  'POST /dashboard/users/:id': {
    make: async () => ({
      path: `/dashboard/users/${await fresh.user()}`,
      form: { role: 'moderator', siteIds: THEIRS },
    }),
  },
  'POST /dashboard/users/:id/password': {
    make: async () => ({
      path: `/dashboard/users/${await fresh.user()}/password`,
      form: { password: 'another long password' },
    }),
  },
  'POST /dashboard/users/:id/tokens': {
    make: async () => ({ path: `/dashboard/users/${cast.stranger.id}/tokens`, form: { name: 'walk' } }),
  },
  'POST /dashboard/users/tokens/:tokenId/revoke': {
    make: async () => ({ path: `/dashboard/users/tokens/${await fresh.token()}/revoke` }),
  },
  'GET /dashboard/audit': { make: async () => ({ path: '/dashboard/audit' }) },
  'GET /dashboard/mail': { make: async () => ({ path: '/dashboard/mail' }) },
  'GET /dashboard/mail/:id': {
    make: async () => {
      const sent = await sendTestMail(ctx.container.mailer.transport, 'walk@example.com', {
        baseUrl: 'http://localhost',
      });
      return { path: `/dashboard/mail/${sent.messageId}` };
    },
  },
};
/** Open to everyone by design. */
const PUBLIC = ['GET /dashboard/login', 'POST /dashboard/login', 'GET /dashboard/assets/:name'];

function dashboardRoutes(): string[] {
  const routes = ctx.app.routes
    .filter((r) => r.path.startsWith('/dashboard') && r.method !== 'ALL')
    .map((r) => `${r.method} ${r.path}`);
  return [...new Set(routes)].filter((r) => !PUBLIC.includes(r)).sort();
}

async function visit(
  route: string,
  session: Session | null,
  opts: { csrf?: string | null; origin?: string | null } = {},
  made?: Visit,
) {
  const v = made ?? (await PAGES[route]!.make());
  if (v.stream) {
    const res = await ctx.app.request(`http://localhost${v.path}`, {
      headers: session ? { cookie: session.cookie } : {},
    });
    const streaming = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
    const text = streaming ? '' : await res.text();
    if (streaming) await res.body?.cancel();
    return { status: res.status, headers: res.headers, text };
  }
  if (route.startsWith('GET ')) return dashboardGet(ctx, v.path, session);
  const res = await dashboardPost(ctx, v.path, session, v.form ?? {}, opts);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('access control over every dashboard page and form', () => {
  it('knows every dashboard route (add new ones to PAGES)', () => {
    expect(dashboardRoutes()).toEqual(Object.keys(PAGES).sort());
  });

  it('sends visitors without a session to sign in, and changes nothing', async () => {
    const visits = await Promise.all(
      dashboardRoutes().map(async (route) => [route, await PAGES[route]!.make()] as const),
    );
    const db = ctx.container.database.db;
    const rows = async () => [
      (await db.selectFrom('audit_log').select('id').execute()).length,
      (await db.selectFrom('moderation_log').select('id').execute()).length,
    ];
    const before = await rows();
    for (const [route, made] of visits) {
      const res = await visit(route, null, {}, made);
      expect(res.status, route).toBe(303);
      expect(res.headers.get('location'), route).toMatch(/^\/dashboard\/login\?next=/);
    }
    expect(await rows()).toEqual(before);
  });

  it('refuses every post without the CSRF token, with a wrong one, or from another origin', async () => {
    const other = await signIn(ctx, cast.admin.email);
    for (const route of dashboardRoutes().filter((r) => r.startsWith('POST '))) {
      for (const opts of [{ csrf: null }, { csrf: other.csrf }, { origin: 'https://evil.example' }, { origin: null }]) {
        const res = await visit(route, admin, opts);
        expect(res.status, `${route} ${JSON.stringify(opts)}`).toBe(403);
        expect(res.text).toMatch(/did not come from the dashboard|has expired/);
      }
    }
  });

  it("refuses a moderator another site's pages and every admin page", async () => {
    for (const route of dashboardRoutes()) {
      const res = await visit(route, moderator);
      const expected = PAGES[route]!.moderatorSees ?? 403;
      expect(res.status, `${route}: ${res.text.slice(0, 200)}`).toBe(expected);
      if (expected === 200) expect(res.text).not.toContain(THEIRS);
      if (route === 'POST /dashboard/logout') moderator = await signIn(ctx, cast.moderator.email);
    }
  });

  it('lets an admin through everywhere', async () => {
    for (const route of dashboardRoutes()) {
      const res = await visit(route, admin);
      expect([200, 201, 303], `${route}: ${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
      if (route === 'POST /dashboard/logout') admin = await signIn(ctx, cast.admin.email);
      else if (res.status === 303) expect(res.headers.get('location'), route).not.toMatch(/login/);
    }
  });

  it('shows moderators only their sites in menus and lists', async () => {
    const page = await dashboardGet(ctx, '/dashboard/queue', moderator);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<option value="mine">');
    expect(page.text).not.toContain(THEIRS);
    expect(page.text).not.toContain('/dashboard/users');
    const disabled = await createUser(ctx, 'gone@example.com', 'moderator', ['mine']);
    const s = await signIn(ctx, 'gone@example.com');
    await ctx.container.users.update(disabled.id, { disabled: true }, { type: 'cli', id: 'test' });
    expect((await dashboardGet(ctx, '/dashboard/queue', s)).status).toBe(303);
  });
});
