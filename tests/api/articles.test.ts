// An article's URL (the link moderators click, the one webhooks carry) and title: taken from comments
// only on the site's allowed origins, filled in or corrected only by rule, and editable by admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/database.ts';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { call, createSite, expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let adminAuth: Record<string, string>;
let modAuth: Record<string, string>;
const admin = { type: 'cli' as const, id: 'test-admin' };

beforeAll(async () => {
  ctx = await createTestContext();
  // createSite allows https://news.example.
  await createSite(ctx, 'arts', { moderation: 'none' });
  adminAuth = bearer(await tokenFor(ctx, await createUser(ctx, 'articles-admin@example.com', 'admin')));
  modAuth = bearer(await tokenFor(ctx, await createUser(ctx, 'articles-mod@example.com', 'moderator', ['arts'])));
});
afterAll(() => ctx.close());

const stored = async (articleId: string) => {
  const row = await ctx.container.database.db
    .selectFrom('articles')
    .select(['url', 'title', 'edited_at'])
    .where('site_id', '=', 'arts')
    .where('external_id', '=', articleId)
    .executeTakeFirstOrThrow();
  return { url: row.url, title: row.title, edited: row.edited_at !== null };
};
const comment = (articleId: string, articleUrl?: string, articleTitle?: string) =>
  submit(ctx, 'arts', { articleId, ...(articleUrl ? { articleUrl } : {}), ...(articleTitle ? { articleTitle } : {}) });

describe('article URL and title from comments', () => {
  it('ignores a URL off the allowed origins (the comment is stored), and its title with it', async () => {
    const res = await comment('a1', 'https://evil.example/phish', 'Click here to win');
    expect(res.status).toBe(201);
    expect(await stored('a1')).toEqual({ url: null, title: null, edited: false });
    for (const bad of ['https://user:pass@news.example/a1', 'http://news.example/a1', 'https://news.example.evil/a1'])
      await comment('a1', bad, 'Bad');
    expect(await stored('a1')).toEqual({ url: null, title: null, edited: false });
    // The first comment from the site's own page sets both; its #fragment is not part of it.
    await comment('a1', 'https://news.example/a1#comments', 'The real story');
    expect(await stored('a1')).toEqual({ url: 'https://news.example/a1', title: 'The real story', edited: false });
  });

  it('keeps what the first comment set: later comments cannot move it elsewhere on the site or retitle it', async () => {
    await comment('a2', 'https://news.example/a2', 'Original title');
    await comment('a2', 'https://news.example/other-page', 'Hijacked title');
    await comment('a2', 'https://news.example/a2', 'Another title');
    expect(await stored('a2')).toEqual({ url: 'https://news.example/a2', title: 'Original title', edited: false });
  });

  it('fills in a missing title from a comment on the same page only', async () => {
    await comment('a3', 'https://news.example/a3');
    await comment('a3', 'https://news.example/elsewhere', 'Wrong page');
    expect((await stored('a3')).title).toBeNull();
    await comment('a3', 'https://news.example/a3', 'Filled in');
    expect(await stored('a3')).toEqual({ url: 'https://news.example/a3', title: 'Filled in', edited: false });
  });

  it('corrects a URL that is no longer on an allowed origin, with the thread showing it at once', async () => {
    await ctx.container.sites.update('arts', {
      settings: { origins: ['https://news.example', 'https://old.example'] },
    });
    await comment('a4', 'https://old.example/a4', 'Old home');
    expect((await call(ctx, '/api/v1/sites/arts/articles/a4/comments')).body.article.url).toBe(
      'https://old.example/a4',
    );
    await ctx.container.sites.update('arts', { settings: { origins: ['https://news.example'] } });
    await comment('a4', 'https://news.example/a4', 'New home');
    expect(await stored('a4')).toEqual({ url: 'https://news.example/a4', title: 'New home', edited: false });
    expect((await call(ctx, '/api/v1/sites/arts/articles/a4/comments')).body.article).toMatchObject({
      url: 'https://news.example/a4',
      title: 'New home',
    });
  });
});

describe('admins edit articles', () => {
  const patch = (articleId: string, body: unknown, auth = adminAuth) =>
    api(ctx, 'PATCH', `/api/v1/admin/sites/arts/articles/${articleId}`, auth, body);

  it('sets URL and title through the admin API, audited, and the thread shows them at once', async () => {
    await comment('e1', 'https://news.example/e1', 'Typo in teh title');
    await call(ctx, '/api/v1/sites/arts/articles/e1/comments'); // cached now
    const res = await patch('e1', { title: 'Typo fixed', url: 'https://news.example/2026/e1' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.article).toMatchObject({
      id: 'e1',
      siteId: 'arts',
      url: 'https://news.example/2026/e1',
      title: 'Typo fixed',
      commentCount: 1,
      closed: false,
      editedAt: expect.any(String),
    });
    expect((await call(ctx, '/api/v1/sites/arts/articles/e1/comments')).body.article).toMatchObject({
      url: 'https://news.example/2026/e1',
      title: 'Typo fixed',
    });
    const audit = await ctx.container.admin.auditLog({ siteId: 'arts', action: 'article.update', limit: 5 });
    expect(audit.entries[0]).toMatchObject({
      actorEmail: 'articles-admin@example.com',
      targetType: 'article',
      targetId: 'e1',
      details: { title: 'Typo fixed', before: { title: 'Typo in teh title' } },
    });
  });

  it('is final: once edited, comments never change the URL or title, even when cleared', async () => {
    await comment('e2', 'https://news.example/e2', 'Set by a comment');
    expect((await patch('e2', { url: null, title: null })).status).toBe(200);
    await comment('e2', 'https://news.example/e2', 'Comment tries again');
    expect(await stored('e2')).toEqual({ url: null, title: null, edited: true });
  });

  it('refuses a URL off the allowed origins, a bad title, an empty change, and unknown articles', async () => {
    await comment('e3', 'https://news.example/e3', 'Fine');
    const offOrigin = expectProblem(await patch('e3', { url: 'https://evil.example/e3' }), 400);
    expect(offOrigin.errors?.map((e) => e.path)).toEqual(['url']);
    expect(expectProblem(await patch('e3', { url: 'javascript:alert(1)' }), 400).errors?.[0]?.path).toBe('url');
    expect(expectProblem(await patch('e3', { title: 'bell\u0007' }), 400).errors?.[0]?.path).toBe('title');
    expect(expectProblem(await patch('e3', { title: '   ' }), 400).errors?.[0]?.path).toBe('title');
    expect(expectProblem(await patch('e3', { title: 'x'.repeat(301) }), 400).errors?.[0]?.path).toBe('title');
    expectProblem(await patch('e3', {}), 400);
    expectProblem(await patch('e3', { url: 'https://news.example/x', extra: 1 }), 400);
    expectProblem(await patch('no-such-article', { title: 'x' }), 404);
    expectProblem(await api(ctx, 'PATCH', '/api/v1/admin/sites/nope/articles/e3', adminAuth, { title: 'x' }), 404);
    expectProblem(await patch('e3', { title: 'by a moderator' }, modAuth), 403);
    expect(await stored('e3')).toEqual({ url: 'https://news.example/e3', title: 'Fine', edited: false });
  });

  it("joins a caller's transaction: the edit and its audit row roll back with it", async () => {
    await comment('e4', 'https://news.example/e4', 'Before');
    const db = ctx.container.database.db;
    const audits = async () =>
      (await ctx.container.admin.auditLog({ siteId: 'arts', action: 'article.update', limit: 100 })).entries.length;
    const n = await audits();
    await expect(
      inTransaction(db, async (tx) => {
        await ctx.container.articles.withTx(tx).update(admin, 'arts', 'e4', { title: 'Rolled back' });
        throw new Error('the caller fails after the edit');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await stored('e4')).toEqual({ url: 'https://news.example/e4', title: 'Before', edited: false });
    expect(await audits()).toBe(n);
    const edited = await ctx.container.articles.update(admin, 'arts', 'e4', { title: '  After  ' });
    expect(edited.title).toBe('After');
    expect(await audits()).toBe(n + 1);
  });
});
