// Per-article controls from the three surfaces (dashboard forms, the moderation API, the CLI): close,
// reopen, the article's own moderation mode. Each change is audited and delivered as a webhook event
// to a real receiver; the submission pipeline honours it; bad input changes nothing.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeArticlesBefore } from '../../src/articles/article.repository.ts';
import { runCli } from '../../src/cli/program.ts';
import {
  api,
  bearer,
  createUser,
  dashboardGet,
  dashboardPost,
  type Session,
  signIn,
  tokenFor,
} from '../support/accounts.ts';
import { approve, call, createSite, expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let receiver: Receiver;
let modAuth: Record<string, string>;
let adminAuth: Record<string, string>;
let strangerAuth: Record<string, string>;
let modSession: Session;
let modId: string;

const SITE = 'desk';
const path = (articleId: string, siteId = SITE) =>
  `/api/v1/moderation/sites/${siteId}/articles/${encodeURIComponent(articleId)}`;

beforeAll(async () => {
  ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { webhookScheduleMs: [150, 150, 150] });
  await ctx.container.startWorkers();
  receiver = await startReceiver();
  // `first` mode: an author with an approved comment is published at once.
  await createSite(ctx, SITE, { moderation: 'first' });
  await createSite(ctx, 'other', { moderation: 'first' });
  await ctx.container.webhooks.create(SITE, { url: `${receiver.url}/hook` });
  const mod = await createUser(ctx, 'desk-mod@example.com', 'moderator', [SITE]);
  modId = mod.id;
  modAuth = bearer(await tokenFor(ctx, mod));
  adminAuth = bearer(await tokenFor(ctx, await createUser(ctx, 'desk-admin@example.com', 'admin')));
  strangerAuth = bearer(await tokenFor(ctx, await createUser(ctx, 'other-mod@example.com', 'moderator', ['other'])));
  modSession = await signIn(ctx, 'desk-mod@example.com');
});
afterAll(async () => {
  await receiver?.close();
  await ctx?.close();
});

/** An article with a first comment (held: a new author in `first` mode). */
async function article(articleId: string, title?: string) {
  const res = await submit(ctx, SITE, {
    articleId,
    ...(title ? { articleUrl: `https://news.example/${articleId}`, articleTitle: title } : {}),
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/** A regular: one approved comment on the site, so `first` mode publishes their next one. */
async function regular(n: string) {
  const who = { name: `Regular ${n}`, email: `regular-${n}@example.com` };
  const first = await submit(ctx, SITE, { ...who, articleId: `regular-home-${n}` });
  await approve(ctx, first.body.id);
  return who;
}

const stateOf = async (articleId: string, siteId = SITE) =>
  ctx.container.database.db
    .selectFrom('articles')
    .select(['closed_at', 'reopened_at', 'moderation_mode', 'thread_version'])
    .where('site_id', '=', siteId)
    .where('external_id', '=', articleId)
    .executeTakeFirst();

const auditOf = (articleId: string) =>
  ctx.container.database.db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'actor_id', 'details'])
    .where('target_type', '=', 'article')
    .where('target_id', '=', articleId)
    .orderBy('id')
    .execute();

const eventsOf = (articleId: string) =>
  ctx.container.database.db
    .selectFrom('events')
    .select(['type'])
    .where('type', 'like', 'article.%')
    .where(sql<string>`payload->'data'->'article'->>'id'`, '=', articleId)
    .execute();

/**
 * The article events the receiver got for this article, once each, in the order they happened:
 * deliveries run in parallel and may arrive in any order, but event ids (webhook-id) are time-ordered.
 */
const delivered = (articleId: string) => {
  const byId = new Map(
    receiver.received
      .filter((r) => r.json?.type?.startsWith('article.') && r.json.data.article.id === articleId)
      .map((r) => [r.headers['webhook-id']!, r]),
  );
  return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
};

async function waitForDelivered(articleId: string, types: string[]) {
  await receiver.waitFor(() => delivered(articleId).length >= types.length, 30_000);
  expect(delivered(articleId).map((r) => r.json.type)).toEqual(types);
  return delivered(articleId);
}

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('the moderation API', () => {
  it('lets a moderator of the site close and reopen an article: posting is refused while closed, and both events reach the webhook', async () => {
    await article('api-close', 'Budget vote tonight');
    const got = await api(ctx, 'GET', path('api-close'), modAuth);
    expect(got.status, got.text).toBe(200);
    expect(got.body.article).toMatchObject({
      id: 'api-close',
      closed: false,
      moderation: null,
      effectiveModeration: 'first',
    });

    // The thread is read (and cached) while open.
    const threadPath = `/api/v1/sites/${SITE}/articles/api-close/comments`;
    expect((await call(ctx, threadPath)).body.article.closed).toBe(false);
    const closed = await api(ctx, 'PATCH', path('api-close'), modAuth, { closed: true });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.article).toMatchObject({ closed: true, title: 'Budget vote tonight' });
    const refused = await submit(ctx, SITE, { articleId: 'api-close' });
    expect(expectProblem(refused, 403).code).toBe('article_closed');
    // The public thread says so (and its ETag changed with it).
    expect((await call(ctx, threadPath)).body.article.closed).toBe(true);

    // Closing again changes nothing: no second audit row or event.
    expect((await api(ctx, 'PATCH', path('api-close'), modAuth, { closed: true })).status).toBe(200);
    const reopened = await api(ctx, 'PATCH', path('api-close'), modAuth, { closed: false });
    expect(reopened.body.article.closed).toBe(false);
    expect((await submit(ctx, SITE, { articleId: 'api-close' })).status).toBe(201);

    const events = await waitForDelivered('api-close', ['article.closed', 'article.opened']);
    expect(events[0]!.json.data).toMatchObject({
      article: { id: 'api-close', url: 'https://news.example/api-close', closed: true, moderation: null },
      previous: { closed: false, moderation: null },
      site: { id: SITE },
      actor: { type: 'user', id: modId },
    });
    for (const e of events) expect(e.headers['webhook-signature']).toMatch(/^v1,/);
    expect((await auditOf('api-close')).map((a) => [a.action, a.actor_type, a.actor_id])).toEqual([
      ['article.close', 'user', modId],
      ['article.open', 'user', modId],
    ]);
    expect(await eventsOf('api-close')).toHaveLength(2);
  });

  it('reopening an article the site closed by its close-after-days rule keeps it open', async () => {
    await createSite(ctx, 'aging', { closeAfterDays: 2 });
    expect((await submit(ctx, 'aging', { articleId: 'old' })).status).toBe(201);
    const db = ctx.container.database.db;
    await db
      .updateTable('articles')
      .set({ first_comment_at: new Date(Date.now() - 5 * 86_400_000) })
      .where('site_id', '=', 'aging')
      .execute();
    expect(expectProblem(await submit(ctx, 'aging', { articleId: 'old' }), 403).code).toBe('article_closed');
    const res = await api(ctx, 'PATCH', path('old', 'aging'), adminAuth, { closed: false });
    expect(res.body.article.closed, res.text).toBe(false);
    expect((await submit(ctx, 'aging', { articleId: 'old' })).status).toBe(201);
    // The maintenance job's closing rule leaves it alone too.
    expect(await closeArticlesBefore(db, 'aging', new Date(Date.now() - 2 * 86_400_000))).toBe(0);
    expect((await submit(ctx, 'aging', { articleId: 'old' })).status).toBe(201);
  });

  it('of two concurrent closes, one changes the article: one audit row, one event', async () => {
    await article('api-race');
    const answers = await Promise.all([
      api(ctx, 'PATCH', path('api-race'), modAuth, { closed: true }),
      api(ctx, 'PATCH', path('api-race'), adminAuth, { closed: true }),
    ]);
    expect(answers.map((a) => [a.status, a.body.article.closed])).toEqual([
      [200, true],
      [200, true],
    ]);
    expect((await auditOf('api-race')).map((a) => a.action)).toEqual(['article.close']);
    expect((await eventsOf('api-race')).map((e) => e.type)).toEqual(['article.closed']);
  });

  it("refuses a closed article's mode change by a moderator of another site, and changes nothing", async () => {
    await article('api-closed-mode');
    expect((await api(ctx, 'PATCH', path('api-closed-mode'), modAuth, { closed: true })).status).toBe(200);
    const before = await stateOf('api-closed-mode');
    expectProblem(await api(ctx, 'PATCH', path('api-closed-mode'), strangerAuth, { moderation: 'none' }), 403);
    expectProblem(await api(ctx, 'PATCH', path('api-closed-mode'), strangerAuth, { closed: false }), 403);
    expect(await stateOf('api-closed-mode')).toEqual(before);
    expect((await auditOf('api-closed-mode')).map((a) => a.action)).toEqual(['article.close']);
  });

  it('answers bad input with 4xx problem+json and changes nothing', async () => {
    await article('api-bad');
    const before = await stateOf('api-bad');
    const cases: [Record<string, string>, string, unknown, number][] = [
      [modAuth, path('api-bad'), { moderation: 'sometimes' }, 400],
      [modAuth, path('api-bad'), { closed: 'yes' }, 400],
      [modAuth, path('api-bad'), {}, 400],
      [modAuth, path('api-bad'), { closed: true, extra: 1 }, 400],
      [modAuth, path('no-such-article'), { closed: true }, 404],
      [adminAuth, path('api-bad', 'no-such-site'), { closed: true }, 404],
      // A moderator of another site: the same 403 whether the site's article exists or not.
      [strangerAuth, path('api-bad'), { closed: true, moderation: 'all' }, 403],
      [strangerAuth, path('no-such-article'), { closed: true }, 403],
      [modAuth, path('api-bad', 'other'), { closed: true }, 403],
    ];
    for (const [auth, p, body, status] of cases) {
      const res = await api(ctx, 'PATCH', p, auth, body);
      expectProblem(res, status);
    }
    expectProblem(await api(ctx, 'GET', path('api-bad'), strangerAuth), 403);
    expectProblem(await api(ctx, 'GET', path('nothing-here'), modAuth), 404);
    expect(await stateOf('api-bad')).toEqual(before);
    expect(await auditOf('api-bad')).toEqual([]);
    expect(await eventsOf('api-bad')).toEqual([]);
  });
});

describe('the article moderation mode in the submission pipeline', () => {
  it("`all` on an article holds a comment the site's mode would publish; `none` publishes what the site would hold; `site` follows the site again", async () => {
    const who = await regular('mode');
    await article('mode-all');
    expect((await submit(ctx, SITE, { ...who, articleId: 'mode-all' })).body.status).toBe('approved');

    const set = await api(ctx, 'PATCH', path('mode-all'), modAuth, { moderation: 'all' });
    expect(set.body.article).toMatchObject({ moderation: 'all', effectiveModeration: 'all' });
    const held = await submit(ctx, SITE, { ...who, articleId: 'mode-all' });
    expect(held.body.status).toBe('pending');
    const row = await ctx.container.database.db
      .selectFrom('comments')
      .select('reasons')
      .where('id', '=', held.body.id)
      .executeTakeFirstOrThrow();
    expect(row.reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'moderation_all', detail: expect.stringMatching(/article/) }),
      ]),
    );
    // Other articles of the site keep the site's mode.
    expect((await submit(ctx, SITE, { ...who, articleId: 'mode-elsewhere' })).body.status).toBe('approved');

    // `none`: a new author (held by the site's `first` mode) is published.
    await api(ctx, 'PATCH', path('mode-all'), modAuth, { moderation: 'none' });
    expect((await submit(ctx, SITE, { articleId: 'mode-all' })).body.status).toBe('approved');
    const back = await api(ctx, 'PATCH', path('mode-all'), modAuth, { moderation: 'site' });
    expect(back.body.article).toMatchObject({ moderation: null, effectiveModeration: 'first' });
    expect((await submit(ctx, SITE, { articleId: 'mode-all' })).body.status).toBe('pending');

    const events = await waitForDelivered('mode-all', ['article.updated', 'article.updated', 'article.updated']);
    expect(events.map((e) => [e.json.data.previous.moderation, e.json.data.article.moderation])).toEqual([
      [null, 'all'],
      ['all', 'none'],
      ['none', null],
    ]);
    expect((await auditOf('mode-all')).map((a) => [a.action, a.details])).toEqual([
      ['article.set-mode', { from: 'site', to: 'all' }],
      ['article.set-mode', { from: 'all', to: 'none' }],
      ['article.set-mode', { from: 'none', to: 'site' }],
    ]);
  });
});

describe('the dashboard', () => {
  it('links every card to the article page, which lists its held and published comments', async () => {
    const heldId = await article('dash-page', 'Flood warning for the valley');
    const who = await regular('dash');
    const published = await submit(ctx, SITE, { ...who, articleId: 'dash-page', body: 'Stay safe, everyone' });
    expect(published.body.status).toBe('approved');
    const queue = await dashboardGet(ctx, `/dashboard/queue?site=${SITE}`, modSession);
    expect(queue.text).toContain('href="/dashboard/articles/desk/dash-page"');
    const page = await dashboardGet(ctx, '/dashboard/articles/desk/dash-page', modSession);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Flood warning for the valley');
    expect(page.text).toContain(`id="c-${heldId}"`);
    expect(page.text).toContain(`/dashboard/comments/${published.body.id}`);
    expect(page.text).toContain('Stay safe, everyone');
    expect(page.text).toContain('action="/dashboard/articles/desk/dash-page/close"');
    // A held comment's action from this page comes back to it.
    const approved = await dashboardPost(ctx, `/dashboard/comments/${heldId}/approve`, modSession, {
      return: '/dashboard/articles/desk/dash-page',
      [`expected.${heldId}`]: 'pending',
    });
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toMatch(/^\/dashboard\/articles\/desk\/dash-page\?/);
  });

  it('closes, reopens and sets the mode with CSRF-checked forms; events reach the webhook', async () => {
    await article('dash-forms');
    const noCsrf = await dashboardPost(
      ctx,
      '/dashboard/articles/desk/dash-forms/close',
      modSession,
      {},
      { csrf: null },
    );
    expect(noCsrf.status).toBe(403);
    expect((await stateOf('dash-forms'))!.closed_at).toBeNull();

    const close = await dashboardPost(ctx, '/dashboard/articles/desk/dash-forms/close', modSession, {});
    expect(close.status).toBe(303);
    expect(close.headers.get('location')).toBe('/dashboard/articles/desk/dash-forms?done=closed');
    expect(expectProblem(await submit(ctx, SITE, { articleId: 'dash-forms' }), 403).code).toBe('article_closed');
    const page = await dashboardGet(ctx, '/dashboard/articles/desk/dash-forms?done=closed', modSession);
    expect(page.text).toContain('The article is closed to new comments.');
    expect(page.text).toContain('action="/dashboard/articles/desk/dash-forms/open"');

    const mode = await dashboardPost(ctx, '/dashboard/articles/desk/dash-forms/mode', modSession, { mode: 'all' });
    expect(mode.status).toBe(303);
    const bad = await dashboardPost(ctx, '/dashboard/articles/desk/dash-forms/mode', modSession, { mode: 'never' });
    expect(bad.status).toBe(400);
    expect((await stateOf('dash-forms'))!.moderation_mode).toBe('all');
    expect((await dashboardPost(ctx, '/dashboard/articles/desk/dash-forms/open', modSession, {})).status).toBe(303);
    const held = await submit(ctx, SITE, { ...(await regular('dash-forms')), articleId: 'dash-forms' });
    expect(held.body.status).toBe('pending');

    await waitForDelivered('dash-forms', ['article.closed', 'article.updated', 'article.opened']);
    expect(delivered('dash-forms').every((e) => e.json.data.actor.id === modId)).toBe(true);
  });

  it("refuses another site's article page and forms to a moderator", async () => {
    await submit(ctx, 'other', { articleId: 'theirs' });
    expect((await dashboardGet(ctx, '/dashboard/articles/other/theirs', modSession)).status).toBe(403);
    expect((await dashboardPost(ctx, '/dashboard/articles/other/theirs/close', modSession, {})).status).toBe(403);
    expect((await stateOf('theirs', 'other'))!.closed_at).toBeNull();
    expect((await dashboardGet(ctx, '/dashboard/articles/desk/nope', modSession)).status).toBe(404);
  });
});

describe('the CLI', () => {
  it('articles:close, articles:open and articles:set-mode, audited and announced as the CLI', async () => {
    await article('cli-art');
    const closed = await cli('articles:close', '--site', SITE, '--article', 'cli-art');
    expect(closed.code, closed.err).toBe(0);
    expect(JSON.parse(closed.out)).toMatchObject({ id: 'cli-art', closed: true });
    expect(expectProblem(await submit(ctx, SITE, { articleId: 'cli-art' }), 403).code).toBe('article_closed');
    expect((await cli('articles:open', '--site', SITE, '--article', 'cli-art')).code).toBe(0);
    const mode = await cli('articles:set-mode', '--site', SITE, '--article', 'cli-art', '--mode', 'none');
    expect(JSON.parse(mode.out)).toMatchObject({ closed: false, moderation: 'none', effectiveModeration: 'none' });
    expect((await submit(ctx, SITE, { articleId: 'cli-art' })).body.status).toBe('approved');

    const events = await waitForDelivered('cli-art', ['article.closed', 'article.opened', 'article.updated']);
    expect(events.every((e) => e.json.data.actor.type === 'cli')).toBe(true);
    expect((await auditOf('cli-art')).map((a) => [a.action, a.actor_type])).toEqual([
      ['article.close', 'cli'],
      ['article.open', 'cli'],
      ['article.set-mode', 'cli'],
    ]);
  });

  it('refuses a bad mode, an unknown article or site, and changes nothing', async () => {
    await article('cli-bad');
    const before = await stateOf('cli-bad');
    for (const argv of [
      ['articles:set-mode', '--site', SITE, '--article', 'cli-bad', '--mode', 'sometimes'],
      ['articles:close', '--site', SITE, '--article', 'no-such'],
      ['articles:close', '--site', 'no-such-site', '--article', 'cli-bad'],
      ['articles:set-mode', '--site', SITE, '--article', 'cli-bad'],
    ]) {
      const res = await cli(...argv);
      expect(res.code, argv.join(' ')).not.toBe(0);
      expect(res.err).toMatch(/error/);
    }
    expect(await stateOf('cli-bad')).toEqual(before);
    expect(await auditOf('cli-bad')).toEqual([]);
  });
});

describe('the queue', () => {
  it('filters by article title (any part, any case) as well as by id', async () => {
    const a = await article('q-title-1', 'Harbour bridge reopens');
    const b = await article('q-title-2', 'Election night results');
    const ids = async (query: string) =>
      (await api(ctx, 'GET', `/api/v1/moderation/comments?siteId=${SITE}&${query}`, modAuth)).body.items.map(
        (i: { id: string }) => i.id,
      );
    expect(await ids('article=harbour%20BRIDGE')).toEqual([a]);
    expect(await ids('article=q-title-2')).toEqual([b]);
    expect(await ids('article=%25')).toEqual([]);
    const page = await dashboardGet(ctx, `/dashboard/queue?site=${SITE}&article=election`, modSession);
    expect(page.text).toContain(`id="c-${b}"`);
    expect(page.text).not.toContain(`id="c-${a}"`);
  });
});
