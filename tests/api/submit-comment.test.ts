import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, call, commentInput, createSite, postForm, postJson, submit, tableCounts } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'all-site', { moderation: 'all' });
  await createSite(ctx, 'first-site', { moderation: 'first' });
  await createSite(ctx, 'open-site', { moderation: 'none' });
});
afterAll(() => ctx.close());

describe('POST /api/v1/sites/{siteId}/comments', () => {
  it('stores a comment, answers 201 with its public view and creates the article on first comment', async () => {
    const before = await tableCounts(ctx);
    const res = await submit(ctx, 'open-site', {
      articleId: 'new-article',
      articleTitle: 'A title',
      articleUrl: 'https://news.example/a',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'approved', comment: { id: res.body.id, parentId: null, replies: [] } });
    expect(res.body.comment.html).toMatch(/^<p>Comment number \d+<\/p>$/);
    const after = await tableCounts(ctx);
    expect(after.comments).toBe(before.comments + 1);
    expect(after.articles).toBe(before.articles + 1);
    expect(after.log).toBe(before.log + 1);
    const thread = await call(ctx, '/api/v1/sites/open-site/articles/new-article/comments');
    expect(thread.body.article).toMatchObject({
      id: 'new-article',
      title: 'A title',
      url: 'https://news.example/a',
      commentCount: 1,
    });
  });

  it('mode "all" holds every comment, even from an author with approved comments', async () => {
    const first = await submit(ctx, 'all-site', { email: 'regular@example.com' });
    expect(first.body.status).toBe('pending');
    await approve(ctx, first.body.id);
    const second = await submit(ctx, 'all-site', { email: 'regular@example.com' });
    expect(second.status).toBe(201);
    expect(second.body.status).toBe('pending');
  });

  it('mode "first" holds until the same author (any letter case) has an approved comment on that site', async () => {
    const first = await submit(ctx, 'first-site', { name: 'Newbie', email: 'Newbie@Example.com' });
    expect(first.body.status).toBe('pending');
    const stillHeld = await submit(ctx, 'first-site', { name: 'Newbie', email: 'newbie@example.com' });
    expect(stillHeld.body.status).toBe('pending');
    await approve(ctx, first.body.id);
    const trusted = await submit(ctx, 'first-site', { name: 'NEWBIE', email: 'NEWBIE@example.com' });
    expect(trusted.body.status).toBe('approved');
    // Trust does not carry over to another site.
    const elsewhere = await submit(ctx, 'all-site', { name: 'Newbie', email: 'newbie@example.com' });
    expect(elsewhere.body.status).toBe('pending');
  });

  it('mode "first" trusts name and email together: a regular\'s email under another name is held', async () => {
    const regular = await submit(ctx, 'first-site', { name: 'Regular Reader', email: 'regular-first@example.com' });
    await approve(ctx, regular.body.id);
    const borrowed = await submit(ctx, 'first-site', { name: 'Reader One', email: 'regular-first@example.com' });
    expect(borrowed.body.status).toBe('pending');
    const held = await ctx.container.moderation.show(borrowed.body.id);
    expect(held.comment.reasons).toMatchObject([{ code: 'first_comment' }]);
    // The regular under their own name is still trusted.
    const own = await submit(ctx, 'first-site', { name: 'Regular Reader', email: 'regular-first@example.com' });
    expect(own.body.status).toBe('approved');
  });

  it('mode "none" publishes at once', async () => {
    const res = await submit(ctx, 'open-site');
    expect(res.body.status).toBe('approved');
  });

  it('writes the first status as a moderation-log row with its reason', async () => {
    const res = await submit(ctx, 'first-site');
    const { comment, log } = await ctx.container.moderation.show(res.body.id);
    expect(comment.status).toBe('pending');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ from: null, to: 'pending', actorType: 'filter' });
    expect(log[0]!.reasons).toEqual([expect.objectContaining({ action: 'hold', code: 'first_comment' })]);
    await approve(ctx, res.body.id);
    const after = await ctx.container.moderation.show(res.body.id);
    expect(after.log.map((l) => [l.from, l.to])).toEqual([
      [null, 'pending'],
      ['pending', 'approved'],
    ]);
  });

  it('accepts an HTML form post and answers 303 back to the article', async () => {
    const input = commentInput({ articleId: 'form-article', articleUrl: 'https://news.example/story?x=1' });
    const res = await postForm(ctx, '/api/v1/sites/first-site/comments', input as Record<string, string>);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://news.example/story');
    expect(location.searchParams.get('x')).toBe('1');
    expect(location.searchParams.get('status')).toBe('pending');
    expect(location.hash).toBe('#respond');
  });

  it('never redirects a form post to an origin the site does not own', async () => {
    const input = commentInput({ articleId: 'phish', articleUrl: 'https://evil.example/steal' });
    const res = await postForm(ctx, '/api/v1/sites/first-site/comments', input as Record<string, string>, {
      accept: 'text/html',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBeNull();
    expect(res.text).toContain('awaiting moderation');
  });

  it('sends a reader back to a page of this service by path alone, so a forged Host redirects nowhere else', async () => {
    // Without PUBLIC_URL the service's own origin is read from the Host header (here: the request URL's host).
    const forged = async (articleUrl: string) => {
      const input = commentInput({ articleId: `host-${articleUrl.length}`, articleUrl }) as Record<string, string>;
      const res = await postForm(ctx, 'http://evil.example/api/v1/sites/first-site/comments', input, {
        host: 'evil.example',
      });
      expect(res.status).toBe(303);
      return res.headers.get('location')!;
    };
    const location = await forged('http://evil.example/phish?x=1');
    expect(location).toMatch(/^\/phish\?x=1&comment=[0-9a-f-]+&status=pending#respond$/);
    // A path that a browser would read as another host ("//other.example/…") keeps a single slash.
    expect(await forged('http://evil.example//other.example/steal')).toMatch(/^\/other\.example\/steal\?/);
    expect(await forged('http://evil.example/\\other.example/steal')).toMatch(/^\/other\.example\/steal\?/);
  });

  it('honours Idempotency-Key: a retry returns the first answer and stores nothing new', async () => {
    const input = commentInput();
    const headers = { 'idempotency-key': 'key-123' };
    const first = await postJson(ctx, '/api/v1/sites/open-site/comments', input, headers);
    const before = await tableCounts(ctx);
    const retry = await postJson(ctx, '/api/v1/sites/open-site/comments', input, headers);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await tableCounts(ctx)).toEqual(before);
    const misuse = await postJson(
      ctx,
      '/api/v1/sites/open-site/comments',
      { ...input, body: 'something else' },
      headers,
    );
    expect(misuse.status).toBe(422);
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('posts concurrent retries with the same Idempotency-Key once', async () => {
    const input = commentInput();
    const headers = { 'idempotency-key': 'concurrent-key' };
    const before = await tableCounts(ctx);
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => postJson(ctx, '/api/v1/sites/open-site/comments', input, headers)),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await tableCounts(ctx)).comments).toBe(before.comments + 1);
  });

  it('stores text exactly as sent (SQL, HTML, emoji, right-to-left), apart from trimming and CRLF', async () => {
    const body = "Robert'); DROP TABLE comments;-- <script>alert(1)</script> 👩🏽‍💻 مرحبا بالعالم\r\nשלום";
    const name = "<img src=x onerror=alert(1)> O'Brien 🦊";
    const res = await submit(ctx, 'open-site', { body: `  ${body}  `, name });
    const { comment } = await ctx.container.moderation.show(res.body.id);
    expect(comment.body).toBe(body.replace('\r\n', '\n'));
    expect(comment.name).toBe(name);
    expect(res.body.comment.html).not.toContain('<script>');
    expect(res.body.comment.html).toContain('&lt;script&gt;');
    expect(res.body.comment.name).toBe(name); // JSON text; clients render it as text
  });

  it('refuses comments on a closed article with 403', async () => {
    const res = await submit(ctx, 'open-site', { articleId: 'to-close' });
    const db = ctx.container.database.db;
    await db.updateTable('articles').set({ closed_at: new Date() }).where('external_id', '=', 'to-close').execute();
    const before = await tableCounts(ctx);
    const refused = await submit(ctx, 'open-site', { articleId: 'to-close', parentId: res.body.id });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('article_closed');
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('closes an article automatically closeAfterDays after its first comment', async () => {
    await createSite(ctx, 'closing-site', { moderation: 'none', closeAfterDays: 3 });
    await submit(ctx, 'closing-site', { articleId: 'old-news' });
    const db = ctx.container.database.db;
    await db
      .updateTable('articles')
      .set({ first_comment_at: new Date(Date.now() - 4 * 86_400_000) })
      .where('external_id', '=', 'old-news')
      .execute();
    const refused = await submit(ctx, 'closing-site', { articleId: 'old-news' });
    expect(refused.status).toBe(403);
    const thread = await call(ctx, '/api/v1/sites/closing-site/articles/old-news/comments');
    expect(thread.body.article.closed).toBe(true);
  });
});
