// The public counts (GET …/counts, and the thread's own commentCount) say what the thread shows: an
// approved reply under a parent that is not published (pending, rejected, spam) is not shown, so it is
// not counted either; under a deleted parent it is shown (the placeholder keeps its place), so it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'agree', { moderation: 'none', maxDepth: 3 });
});
afterAll(() => ctx.close());

const op = { type: 'cli' as const, id: 'test' };

interface Shown {
  deleted?: boolean;
  replies: Shown[];
}
/** The comments a reader sees on the thread (a deleted placeholder is not a comment). */
const shownIn = (nodes: Shown[]): number => nodes.reduce((n, c) => n + (c.deleted ? 0 : 1) + shownIn(c.replies), 0);

/** The counts endpoint, the thread's commentCount, and what the thread shows, for one article. */
async function views(article: string) {
  const counts = await call(ctx, `/api/v1/sites/agree/counts?articleId=${article}`);
  const thread = await call(ctx, `/api/v1/sites/agree/articles/${article}/comments?limit=100`);
  expect(counts.status).toBe(200);
  expect(thread.status).toBe(200);
  return {
    counts: counts.body.counts[article] as number,
    commentCount: thread.body.article.commentCount as number,
    shown: shownIn(thread.body.comments),
  };
}

const agreeing = (n: number) => ({ counts: n, commentCount: n, shown: n });

/** A top-level comment, a reply, a reply to the reply (deeper than maxDepth allows: shown flattened), and a sibling. */
async function thread(article: string) {
  const top = await submit(ctx, 'agree', { articleId: article, body: `top of ${article}` });
  const reply = await submit(ctx, 'agree', { articleId: article, parentId: top.body.id, body: 'a reply' });
  const deep = await submit(ctx, 'agree', { articleId: article, parentId: reply.body.id, body: 'a deeper reply' });
  const deeper = await submit(ctx, 'agree', { articleId: article, parentId: deep.body.id, body: 'deeper still' });
  const other = await submit(ctx, 'agree', { articleId: article, body: `another top of ${article}` });
  for (const r of [top, reply, deep, deeper, other]) expect(r.body.status).toBe('approved');
  return { top: top.body.id as string, reply: reply.body.id as string, other: other.body.id as string };
}

describe('counts and the thread agree', () => {
  it('when a parent is taken down (rejected or spam) and restored', async () => {
    const t = await thread('down');
    expect(await views('down')).toEqual(agreeing(5));
    await ctx.container.moderation.setStatus(t.top, 'rejected', op);
    expect(await views('down')).toEqual(agreeing(1));
    await ctx.container.moderation.setStatus(t.top, 'spam', op);
    expect(await views('down')).toEqual(agreeing(1));
    await ctx.container.moderation.setStatus(t.top, 'approved', op);
    expect(await views('down')).toEqual(agreeing(5));
    // A reply in the middle: the two under it go with it.
    await ctx.container.moderation.setStatus(t.reply, 'rejected', op);
    expect(await views('down')).toEqual(agreeing(2));
  });

  it('when a parent goes back to the queue (pending), and nested hidden parents are not counted twice', async () => {
    const t = await thread('queued');
    await ctx.container.moderation.setStatus(t.reply, 'spam', op);
    await ctx.container.moderation.setStatus(t.top, 'rejected', op);
    expect(await views('queued')).toEqual(agreeing(1));
    await ctx.container.moderation.setStatus(t.top, 'pending', op);
    expect(await views('queued')).toEqual(agreeing(1));
    await ctx.container.moderation.setStatus(t.top, 'approved', op);
    expect(await views('queued')).toEqual(agreeing(2));
  });

  it('when a parent is deleted: its replies stay on the thread under the placeholder, and are counted', async () => {
    const t = await thread('erased');
    await ctx.container.erasure.eraseComment(op, t.top);
    expect(await views('erased')).toEqual(agreeing(4));
  });

  it('for several articles at once, each its own', async () => {
    const a = await thread('many-a');
    await thread('many-b');
    await ctx.container.moderation.setStatus(a.top, 'rejected', op);
    const res = await call(ctx, '/api/v1/sites/agree/counts?articleId=many-a&articleId=many-b&articleId=none');
    expect(res.body.counts).toEqual({ 'many-a': 1, 'many-b': 5, none: 0 });
  });
});
