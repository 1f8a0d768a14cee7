// The moderation API with an API token: the queue (filters, search, paging, counts), a comment in
// full (reasons with matched words, parent, author history, log), actions that log and emit their
// events, restore, bulk actions in one transaction, and the global log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/domain/principal.ts';
import { createModerationService } from '../../src/moderation/moderation.service.ts';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { approve, createSite, expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let auth: Record<string, string>;
let adminId: string;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'news', { moderation: 'all' });
  await createSite(ctx, 'blog', { moderation: 'all' });
  const admin = await createUser(ctx, 'chief@example.com', 'admin');
  adminId = admin.id;
  auth = bearer(await tokenFor(ctx, admin));
});
afterAll(() => ctx.close());

const get = (path: string) => api(ctx, 'GET', path, auth);
const post = (path: string, body?: unknown) => api(ctx, 'POST', path, auth, body);
const eventsOf = async (commentId: string) =>
  (
    await ctx.container.database.db
      .selectFrom('events')
      .select('type')
      .where('comment_id', '=', commentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map((e) => e.type);

describe('the queue', () => {
  it('lists by status, newest first, with counts per tab, filters by site, article and text, and pages by cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await submit(ctx, 'news', { articleId: 'q-article', body: `queue item ${i}`, name: `Q Person ${i}` })).body.id,
      );
    await submit(ctx, 'blog', { articleId: 'q-article', body: 'on the blog, Needle in a haystack' });
    await approve(ctx, ids[0]!);

    const first = await get('/api/v1/moderation/comments?siteId=news&articleId=q-article&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: any) => c.id)).toEqual([ids[4], ids[3]]);
    expect(first.body.counts).toEqual({ pending: 4, approved: 1, rejected: 0, spam: 0 });
    const second = await get(
      `/api/v1/moderation/comments?siteId=news&articleId=q-article&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((c: any) => c.id)).toEqual([ids[2], ids[1]]);
    expect(second.body.nextCursor).toBeNull();

    const approved = await get('/api/v1/moderation/comments?status=approved&siteId=news');
    expect(approved.body.items.map((c: any) => c.id)).toEqual([ids[0]]);
    // Text search over body, name and email, case-insensitive; LIKE wildcards are taken literally.
    expect((await get('/api/v1/moderation/comments?q=needle')).body.items.map((c: any) => c.siteId)).toEqual(['blog']);
    expect((await get('/api/v1/moderation/comments?q=q%20person%203')).body.items).toHaveLength(1);
    expect((await get('/api/v1/moderation/comments?q=%25')).body.items).toHaveLength(0);
    const item = first.body.items[0];
    expect(item).toMatchObject({
      article: { id: 'q-article' },
      email: expect.stringMatching(/@example\.com$/),
      author: { pending: 1, approved: 0 },
      reasons: [{ code: 'moderation_all' }],
    });
    expectProblem(await get('/api/v1/moderation/comments?status=published'), 400);
    expectProblem(await get('/api/v1/moderation/comments?cursor=garbage'), 400);
  });
});

describe('one comment in full', () => {
  it('shows reasons with matched words, the parent, the author history on the site and the log', async () => {
    const parent = await submit(ctx, 'news', { articleId: 'detail', email: 'writer@example.com', body: 'the parent' });
    await approve(ctx, parent.body.id);
    const earlier = await submit(ctx, 'news', { articleId: 'other', email: 'Repeat@example.com', body: 'earlier one' });
    await post(`/api/v1/moderation/comments/${earlier.body.id}/reject`, { reason: 'off topic' });
    await submit(ctx, 'blog', { articleId: 'x', email: 'repeat@example.com' }); // another site: not counted
    const reply = await submit(ctx, 'news', {
      articleId: 'detail',
      parentId: parent.body.id,
      email: 'repeat@example.com',
      body: 'Well shit, that is news',
    });

    const res = await get(`/api/v1/moderation/comments/${reply.body.id}`);
    expect(res.status).toBe(200);
    const { comment, recent, log } = res.body;
    // The profanity filter's own record of what it matched, and where.
    expect(comment.reasons.find((r: any) => r.code === 'profanity').data.matches).toEqual([
      { field: 'body', word: 'shit', start: 5, end: 9, text: 'shit' },
    ]);
    expect(comment.body.slice(5, 9)).toBe('shit');
    expect(comment.parent).toMatchObject({ id: parent.body.id, body: 'the parent', status: 'approved' });
    expect(comment.author).toEqual({ approved: 0, pending: 1, rejected: 1, spam: 0 });
    expect(recent.map((r: any) => r.id)).toEqual([earlier.body.id]);
    expect(log).toEqual([expect.objectContaining({ actorType: 'filter', from: null, to: 'pending' })]);
    const earlierLog = (await get(`/api/v1/moderation/comments/${earlier.body.id}`)).body.log;
    expect(earlierLog.at(-1)).toMatchObject({
      actorType: 'user',
      actorId: adminId,
      actorEmail: 'chief@example.com',
      from: 'pending',
      to: 'rejected',
      note: 'off topic',
    });
    expectProblem(await get('/api/v1/moderation/comments/01939f0e-8a4c-7cc1-9a0e-1f2d3c4b5a69'), 404);
  });
});

describe('actions', () => {
  it('approve, reject, spam and restore: each a log row and its event in one transaction', async () => {
    const c = await submit(ctx, 'news', { articleId: 'acts' });
    const id = c.body.id;
    const approved = await post(`/api/v1/moderation/comments/${id}/approve`, { reason: 'fine' });
    expect(approved.body.comment).toMatchObject({ id, status: 'approved' });
    const thread = await api(ctx, 'GET', '/api/v1/sites/news/articles/acts/comments', {});
    expect(thread.body.comments.map((x: any) => x.id)).toEqual([id]);
    expect((await post(`/api/v1/moderation/comments/${id}/spam`)).body.comment.status).toBe('spam');
    // Restore undoes the spam mark: it was published before, so it is published again.
    expect((await post(`/api/v1/moderation/comments/${id}/restore`)).body.comment.status).toBe('approved');
    expect((await post(`/api/v1/moderation/comments/${id}/reject`)).body.comment.status).toBe('rejected');
    expect(await eventsOf(id)).toEqual([
      'comment.created',
      'comment.pending',
      'comment.approved',
      'comment.spam',
      'comment.approved',
      'comment.rejected',
    ]);
    const log = (await get(`/api/v1/moderation/comments/${id}`)).body.log;
    expect(log.map((e: any) => `${e.from}>${e.to}`)).toEqual([
      'null>pending',
      'pending>approved',
      'approved>spam',
      'spam>approved',
      'approved>rejected',
    ]);
    expect(log[1]).toMatchObject({ note: 'fine', actorId: adminId });

    // A held comment rejected and restored goes back to the queue.
    const held = await submit(ctx, 'news', { articleId: 'acts' });
    await post(`/api/v1/moderation/comments/${held.body.id}/reject`);
    expect((await post(`/api/v1/moderation/comments/${held.body.id}/restore`)).body.comment.status).toBe('pending');
    expect(expectProblem(await post(`/api/v1/moderation/comments/${held.body.id}/restore`), 409).detail).toMatch(
      /pending/,
    );
  });

  it('refuses impossible moves with 409 and unknown ids with 404', async () => {
    const c = await submit(ctx, 'news', { articleId: 'gone' });
    await ctx.container.erasure.eraseComment({ type: 'cli', id: 'test' }, c.body.id);
    expect(expectProblem(await post(`/api/v1/moderation/comments/${c.body.id}/approve`), 409).detail).toContain(
      'deleted',
    );
    expectProblem(await post('/api/v1/moderation/comments/not-an-id/approve'), 404);
    expectProblem(await post(`/api/v1/moderation/comments/${c.body.id}/approve`, { reason: 'x'.repeat(1001) }), 400);
  });

  it('never moves a published comment back to pending (the path the CLI and dashboard share), and leaves it as it was', async () => {
    const c = await submit(ctx, 'news', { articleId: 'no-unpublish' });
    await approve(ctx, c.body.id);
    const logBefore = (await ctx.container.moderation.show(c.body.id)).log.length;
    const eventsBefore = await eventsOf(c.body.id);
    await expect(ctx.container.moderation.setStatus(c.body.id, 'pending', { type: 'cli', id: 'test' })).rejects.toThrow(
      /approved comment cannot become pending/,
    );
    const { comment, log } = await ctx.container.moderation.show(c.body.id);
    expect(comment.status).toBe('approved');
    expect(log).toHaveLength(logBefore);
    expect(await eventsOf(c.body.id)).toEqual(eventsBefore);
  });
});

describe('bulk actions', () => {
  it('reject many in one transaction: every log row and event, one notification per article', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submit(ctx, 'news', { articleId: 'bulk-a' })).body.id);
    ids.push((await submit(ctx, 'news', { articleId: 'bulk-b' })).body.id);
    const res = await post('/api/v1/moderation/comments/bulk', { ids, action: 'reject', reason: 'spam wave' });
    expect(res.status).toBe(200);
    expect(res.body.comments.map((c: any) => [c.id, c.status])).toEqual(ids.map((id) => [id, 'rejected']));
    for (const id of ids) expect((await eventsOf(id)).at(-1)).toBe('comment.rejected');
    const log = await get('/api/v1/moderation/log?action=rejected&limit=200');
    expect(
      log.body.entries.filter((e: any) => ids.includes(e.commentId)).every((e: any) => e.note === 'spam wave'),
    ).toBe(true);
  });

  it('tells caches and the event relay once per touched article, after commit, and nothing when the batch fails', async () => {
    const calls: unknown[] = [];
    const service = createModerationService({
      db: ctx.container.database.db,
      notifier: { committed: async (change) => void calls.push(change) },
    });
    const who: Principal = {
      userId: adminId,
      email: 'chief@example.com',
      role: 'admin',
      siteIds: [],
      via: 'token',
      sessionId: null,
    };
    const ids: string[] = [];
    for (const article of ['n1', 'n1', 'n1', 'n2', 'n2'])
      ids.push((await submit(ctx, 'news', { articleId: `notify-${article}` })).body.id);
    await service.act(who, ids, 'approve');
    // Each call carries its article's moves, for the live queue.
    const moves = (of: string[]) =>
      of.map((commentId) => ({ commentId, from: 'pending', to: 'approved', actor: { type: 'user', id: adminId } }));
    expect(calls).toEqual([
      { siteId: 'news', articleId: 'notify-n1', threadChanged: true, moves: moves(ids.slice(0, 3)) },
      { siteId: 'news', articleId: 'notify-n2', threadChanged: true, moves: moves(ids.slice(3)) },
    ]);
    calls.length = 0;
    await expect(service.act(who, [...ids, '01939f0e-8a4c-7cc1-9a0e-1f2d3c4b5a69'], 'reject')).rejects.toThrow(
      /No comment/,
    );
    expect(calls).toEqual([]);
  });

  it('is all or nothing: one comment that cannot move, or one unknown id, changes none', async () => {
    const ok = (await submit(ctx, 'news', { articleId: 'bulk-c' })).body.id;
    const deleted = (await submit(ctx, 'news', { articleId: 'bulk-c' })).body.id;
    await ctx.container.erasure.eraseComment({ type: 'cli', id: 'test' }, deleted);
    const refused = expectProblem(
      await post('/api/v1/moderation/comments/bulk', { ids: [ok, deleted], action: 'approve' }),
      409,
    );
    expect(refused.errors).toEqual([{ path: deleted, message: 'is deleted and cannot become approved' }]);
    const missing = expectProblem(
      await post('/api/v1/moderation/comments/bulk', {
        ids: [ok, '01939f0e-8a4c-7cc1-9a0e-1f2d3c4b5a69'],
        action: 'approve',
      }),
      404,
    );
    expect(missing.errors?.[0]?.path).toBe('01939f0e-8a4c-7cc1-9a0e-1f2d3c4b5a69');
    expect((await get(`/api/v1/moderation/comments/${ok}`)).body.comment.status).toBe('pending');
    expect(await eventsOf(ok)).toEqual(['comment.created', 'comment.pending']);
    expectProblem(await post('/api/v1/moderation/comments/bulk', { ids: [], action: 'approve' }), 400);
    expectProblem(
      await post('/api/v1/moderation/comments/bulk', { ids: Array.from({ length: 501 }, () => ok), action: 'approve' }),
      400,
    );
    expectProblem(await post('/api/v1/moderation/comments/bulk', { ids: [ok], action: 'publish' }), 400);
  });

  it('changes many comments in as many statements as one: no statement per row', async () => {
    let statements = 0;
    const counting = ctx.container.database.db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const service = createModerationService({ db: counting, notifier: { committed: async () => {} } });
    const who: Principal = {
      userId: adminId,
      email: 'chief@example.com',
      role: 'admin',
      siteIds: [],
      via: 'token',
      sessionId: null,
    };
    const statementsFor = async (n: number, action: 'approve' | 'reject') => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await submit(ctx, 'blog', { articleId: `stmts-${i % 3}` })).body.id);
      statements = 0;
      const changed = await service.act(who, ids, action);
      expect(changed.map((c) => c.status)).toEqual(ids.map(() => (action === 'approve' ? 'approved' : 'rejected')));
      return statements;
    };
    const few = await statementsFor(2, 'approve');
    expect(await statementsFor(40, 'approve')).toBe(few);
    expect(await statementsFor(40, 'reject')).toBe(few);
  });

  it('handles a few hundred comments in one call', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await submit(ctx, 'blog', { articleId: `many-${i % 7}` })).body.id);
    const started = Date.now();
    const res = await post('/api/v1/moderation/comments/bulk', { ids, action: 'approve' });
    expect(res.status).toBe(200);
    expect(res.body.comments).toHaveLength(300);
    expect(Date.now() - started).toBeLessThan(20_000);
    const counts = await api(
      ctx,
      'GET',
      `/api/v1/sites/blog/counts?${Array.from({ length: 7 }, (_, i) => `articleId=many-${i}`).join('&')}`,
      {},
    );
    expect(Object.values(counts.body.counts).reduce((a: number, b) => a + (b as number), 0)).toBe(300);
  }, 120_000);
});

describe('the global moderation log', () => {
  it('filters by moderator (id or email), site and action, newest first, paged', async () => {
    const other = await createUser(ctx, 'other-mod@example.com', 'moderator', ['blog']);
    const otherAuth = bearer(await tokenFor(ctx, other));
    const b = await submit(ctx, 'blog', { articleId: 'log' });
    await api(ctx, 'POST', `/api/v1/moderation/comments/${b.body.id}/spam`, otherAuth);
    const byEmail = await get('/api/v1/moderation/log?moderator=other-mod@example.com');
    expect(byEmail.body.entries).toEqual([
      expect.objectContaining({ commentId: b.body.id, to: 'spam', actorEmail: 'other-mod@example.com' }),
    ]);
    expect((await get(`/api/v1/moderation/log?moderator=${other.id}`)).body.entries).toHaveLength(1);
    const news = await get('/api/v1/moderation/log?siteId=news&limit=3');
    expect(news.body.entries.every((e: any) => e.siteId === 'news')).toBe(true);
    const next = await get(`/api/v1/moderation/log?siteId=news&limit=3&cursor=${news.body.nextCursor}`);
    expect(Number(next.body.entries[0].id)).toBeLessThan(Number(news.body.entries[2].id));
    expect((await get('/api/v1/moderation/log?action=spam&moderator=submission')).body.entries).toEqual([]);
    // A moderator sees only their sites' log.
    const theirs = await api(ctx, 'GET', '/api/v1/moderation/log?limit=200', otherAuth);
    expect(new Set(theirs.body.entries.map((e: any) => e.siteId))).toEqual(new Set(['blog']));
  });
});
