import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, call, createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'news', { moderation: 'none', maxDepth: 3 });
  await createSite(ctx, 'held', { moderation: 'all' });
});
afterAll(() => ctx.close());

const threadPath = (article: string, query = '') => `/api/v1/sites/news/articles/${article}/comments${query}`;

describe('GET thread', () => {
  it('nests replies under their parents, oldest first', async () => {
    const a = await submit(ctx, 'news', { articleId: 't1', body: 'A' });
    const b = await submit(ctx, 'news', { articleId: 't1', body: 'B' });
    const a1 = await submit(ctx, 'news', { articleId: 't1', body: 'A1', parentId: a.body.id });
    const a2 = await submit(ctx, 'news', { articleId: 't1', body: 'A2', parentId: a.body.id });
    const a1x = await submit(ctx, 'news', { articleId: 't1', body: 'A1x', parentId: a1.body.id });
    expect([a, b, a1, a2, a1x].map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const res = await call(ctx, threadPath('t1'));
    expect(res.status).toBe(200);
    const shape = (cs: any[]): any[] => cs.map((c) => [c.html, shape(c.replies)]);
    expect(shape(res.body.comments)).toEqual([
      [
        '<p>A</p>',
        [
          ['<p>A1</p>', [['<p>A1x</p>', []]]],
          ['<p>A2</p>', []],
        ],
      ],
      ['<p>B</p>', []],
    ]);
    expect(res.body.comments[0].replies[0].parentId).toBe(a.body.id);
    expect(res.body.article.commentCount).toBe(5);
  });

  it('shows replies deeper than the site depth at the last level, next to their parent', async () => {
    // maxDepth 3: levels 0, 1, 2. A reply to a level-2 comment stays at level 2.
    const l0 = await submit(ctx, 'news', { articleId: 'deep', body: 'L0' });
    const l1 = await submit(ctx, 'news', { articleId: 'deep', body: 'L1', parentId: l0.body.id });
    const l2 = await submit(ctx, 'news', { articleId: 'deep', body: 'L2', parentId: l1.body.id });
    const l3 = await submit(ctx, 'news', { articleId: 'deep', body: 'L3', parentId: l2.body.id });
    const res = await call(ctx, threadPath('deep'));
    const level2 = res.body.comments[0].replies[0].replies;
    expect(level2.map((c: any) => c.html)).toEqual(['<p>L2</p>', '<p>L3</p>']);
    expect(level2[1].parentId).toBe(l2.body.id);
    expect(l3.status).toBe(201);
    // The widget needs the depth to place a new reply where a reload will show it.
    expect(res.body.maxDepth).toBe(3);
  });

  it('pages top-level comments by cursor in both orders without gaps or repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await submit(ctx, 'news', { articleId: 'paged', body: `P${i}` })).body.id);
    const collect = async (sort: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `?sort=${sort}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await call(ctx, threadPath('paged', q));
        expect(page.status).toBe(200);
        expect(page.body.comments.length).toBeLessThanOrEqual(3);
        seen.push(...page.body.comments.map((c: any) => c.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await collect('oldest')).toEqual(ids);
    expect(await collect('newest')).toEqual([...ids].reverse());
  });

  it('shows only published comments, and hides the replies of a comment taken down', async () => {
    const parent = await submit(ctx, 'news', { articleId: 'mixed', body: 'parent' });
    const child = await submit(ctx, 'news', { articleId: 'mixed', body: 'child', parentId: parent.body.id });
    const held = await submit(ctx, 'held', { articleId: 'mixed', body: 'held' });
    expect(held.body.status).toBe('pending');
    let res = await call(ctx, threadPath('mixed'));
    expect(res.body.comments).toHaveLength(1);
    await ctx.container.moderation.setStatus(parent.body.id, 'rejected', { type: 'cli', id: 'test' });
    res = await call(ctx, threadPath('mixed'));
    expect(res.body.comments).toHaveLength(0);
    // The approved child is not shown under its rejected parent, so it is not counted either.
    expect(res.body.article.commentCount).toBe(0);
    expect(JSON.stringify(res.body)).not.toContain(child.body.id);
  });

  it('answers 304 to a matching ETag, and changes the ETag when a comment is approved', async () => {
    await createSite(ctx, 'etag-site', { moderation: 'all' });
    const first = await submit(ctx, 'etag-site', { articleId: 'e' });
    await approve(ctx, first.body.id);
    const path = '/api/v1/sites/etag-site/articles/e/comments';
    const res = await call(ctx, path);
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await call(ctx, path, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const pending = await submit(ctx, 'etag-site', { articleId: 'e' });
    expect((await call(ctx, path, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    await approve(ctx, pending.body.id);
    const changed = await call(ctx, path, { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.body.comments).toHaveLength(2);
  });

  it('answers 404 problem for unknown sites and articles, 400 for a bad cursor or limit', async () => {
    expect((await call(ctx, '/api/v1/sites/nope/articles/t1/comments')).status).toBe(404);
    expect((await call(ctx, threadPath('never-commented'))).status).toBe(404);
    expect((await call(ctx, threadPath('t1', '?cursor=garbage'))).status).toBe(400);
    expect((await call(ctx, threadPath('t1', '?limit=1000'))).status).toBe(400);
    expect((await call(ctx, threadPath('t1', '?sort=sideways'))).status).toBe(400);
  });
});

describe('GET counts', () => {
  it('counts published comments for several articles, zero for unknown ones', async () => {
    await submit(ctx, 'news', { articleId: 'c1' });
    await submit(ctx, 'news', { articleId: 'c1' });
    const res = await call(ctx, '/api/v1/sites/news/counts?articleId=c1&articleId=unknown&articleId=t1');
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ c1: 2, unknown: 0, t1: 5 });
    expect((await call(ctx, '/api/v1/sites/news/counts')).status).toBe(400);
    expect((await call(ctx, '/api/v1/sites/missing/counts?articleId=a')).status).toBe(404);
  });
});
