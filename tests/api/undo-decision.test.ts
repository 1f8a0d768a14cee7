// Undo (issue 13, item 4): POST /api/v1/moderation/comments/{id}/undo (and action "undo" in bulk) takes
// the last decision back as a decision of its own: conditional on the status that decision set
// (expectedStatus is required), one log row and one lifecycle event per comment, the thread's counts
// right again. An approval undone goes back to the queue unpublished (the one move only undo may make).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem, submit, tableCounts } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let a: Record<string, string>;
let b: Record<string, string>;
let outsider: Record<string, string>;
let aId: string;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'undo', { moderation: 'all' });
  await createSite(ctx, 'other', { moderation: 'all' });
  const userA = await createUser(ctx, 'a@example.com', 'moderator', ['undo']);
  aId = userA.id;
  a = bearer(await tokenFor(ctx, userA));
  b = bearer(await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', ['undo'])));
  outsider = bearer(await tokenFor(ctx, await createUser(ctx, 'out@example.com', 'moderator', ['other'])));
});
afterAll(() => ctx.close());

let n = 0;
const held = async (articleId = 'undo-story') =>
  (await submit(ctx, 'undo', { articleId, body: `to undo ${++n}` })).body.id as string;
const statusOf = async (id: string) => (await ctx.container.moderation.show(id)).comment.status;
const logOf = async (id: string) =>
  (await ctx.container.moderation.show(id)).log.map((l) => [l.from, l.to, l.note, l.actorId]);
const act = (who: Record<string, string>, id: string, action: string, body: unknown = {}) =>
  api(ctx, 'POST', `/api/v1/moderation/comments/${id}/${action}`, who, body);
const eventsOf = async (id: string) =>
  (
    await ctx.container.database.db
      .selectFrom('events')
      .select('type')
      .where('comment_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map((e) => e.type);
async function published(articleId: string) {
  const row = await ctx.container.database.db
    .selectFrom('articles')
    .select('published_count')
    .where('site_id', '=', 'undo')
    .where('external_id', '=', articleId)
    .executeTakeFirstOrThrow();
  return Number(row.published_count);
}

describe('undo of a decision', () => {
  it('takes an approval back to the queue, unpublished, as its own logged transition with its event', async () => {
    const id = await held('undo-approved');
    expect((await act(a, id, 'approve', { expectedStatus: 'pending' })).status).toBe(200);
    expect(await published('undo-approved')).toBe(1);
    const undone = await act(a, id, 'undo', { expectedStatus: 'approved' });
    expect(undone.status).toBe(200);
    expect(undone.body.comment).toMatchObject({ id, status: 'pending' });
    expect(await logOf(id)).toEqual([
      [null, 'pending', null, expect.any(String)],
      ['pending', 'approved', null, aId],
      ['approved', 'pending', 'Undo', aId],
    ]);
    expect(await eventsOf(id)).toEqual(['comment.created', 'comment.pending', 'comment.approved', 'comment.pending']);
    expect(await published('undo-approved')).toBe(0);
    // The public thread no longer shows it.
    const thread = await ctx.app.request('/api/v1/sites/undo/articles/undo-approved/comments');
    expect(JSON.stringify(await thread.json())).not.toContain(id);
  });

  it('takes back a rejection, a spam mark and a restore to the status before each', async () => {
    for (const [action, set] of [
      ['reject', 'rejected'],
      ['spam', 'spam'],
    ] as const) {
      const id = await held();
      await act(a, id, action, { expectedStatus: 'pending' });
      const res = await act(a, id, 'undo', { expectedStatus: set, reason: 'pressed the wrong key' });
      expect(res.status).toBe(200);
      expect(await statusOf(id)).toBe('pending');
      expect((await logOf(id)).at(-1)).toEqual([set, 'pending', 'Undo: pressed the wrong key', aId]);
    }
    const restored = await held();
    await act(a, restored, 'reject', { expectedStatus: 'pending' });
    await act(a, restored, 'restore', { expectedStatus: 'rejected' });
    expect((await act(a, restored, 'undo', { expectedStatus: 'pending' })).status).toBe(200);
    expect(await statusOf(restored)).toBe('rejected');
  });

  it('undoes a bulk action in one call, per-id expected statuses, all or nothing', async () => {
    const ids = [await held(), await held(), await held()];
    const bulk = await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, {
      ids,
      action: 'approve',
      expectedStatus: 'pending',
    });
    expect(bulk.status).toBe(200);
    // A colleague rejects one meanwhile: undoing the batch is refused whole, naming it.
    await act(b, ids[1]!, 'reject', { expectedStatus: 'approved' });
    const before = await tableCounts(ctx);
    const refused = await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, {
      ids,
      action: 'undo',
      expectedStatus: Object.fromEntries(ids.map((id) => [id, 'approved'])),
    });
    expectProblem(refused, 409);
    expect(refused.body.code).toBe('status_changed');
    expect(refused.body.conflicts).toEqual([
      { id: ids[1], current: 'rejected', changedBy: 'b@example.com', changedAt: expect.any(String) },
    ]);
    expect(await tableCounts(ctx)).toEqual(before);
    const ok = await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, {
      ids: [ids[0], ids[2]],
      action: 'undo',
      expectedStatus: { [ids[0]!]: 'approved', [ids[2]!]: 'approved' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.comments.map((c: { status: string }) => c.status)).toEqual(['pending', 'pending']);
    expect(await statusOf(ids[1]!)).toBe('rejected');
  });

  it("never undoes a colleague's later change: 409 naming it, nothing written", async () => {
    const id = await held();
    await act(a, id, 'approve', { expectedStatus: 'pending' });
    await act(b, id, 'reject', { expectedStatus: 'approved' });
    const before = await tableCounts(ctx);
    const res = await act(a, id, 'undo', { expectedStatus: 'approved' });
    expectProblem(res, 409);
    expect(res.body.detail).toContain('b@example.com');
    expect(await statusOf(id)).toBe('rejected');
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('refuses bad input with 4xx problem+json and changes nothing', async () => {
    const id = await held();
    await act(a, id, 'approve', { expectedStatus: 'pending' });
    const fresh = await held();
    const before = await tableCounts(ctx);
    // Undo must say what it takes back.
    const unsure = await act(a, id, 'undo', {});
    expectProblem(unsure, 400);
    expect(unsure.body.errors[0].path).toBe(`expectedStatus.${id}`);
    expectProblem(await act(a, id, 'undo', { expectedStatus: 'published' }), 400);
    // Nothing decided yet: nothing to undo.
    const nothing = await act(a, fresh, 'undo', { expectedStatus: 'pending' });
    expectProblem(nothing, 409);
    expect(nothing.body.code).toBe('nothing_to_undo');
    expectProblem(await act(a, '00000000-0000-7000-8000-000000000000', 'undo', { expectedStatus: 'approved' }), 403);
    expectProblem(await act(outsider, id, 'undo', { expectedStatus: 'approved' }), 403);
    expectProblem(await act({}, id, 'undo', { expectedStatus: 'approved' }), 401);
    expect(await tableCounts(ctx)).toEqual(before);
    expect(await statusOf(id)).toBe('approved');
    // The operator's CLI still cannot move an approved comment back to pending: only undo may.
    await expect(ctx.container.moderation.setStatus(id, 'pending', { type: 'cli', id: 'test' })).rejects.toThrow(
      /cannot become pending/,
    );
  });

  it('lets exactly one of two concurrent undos through, with one log row', async () => {
    const id = await held();
    await act(a, id, 'reject', { expectedStatus: 'pending' });
    const rows = (await logOf(id)).length;
    const [x, y] = await Promise.all([
      act(a, id, 'undo', { expectedStatus: 'rejected' }),
      act(b, id, 'undo', { expectedStatus: 'rejected' }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    expect(await statusOf(id)).toBe('pending');
    expect((await logOf(id)).length).toBe(rows + 1);
  });
});
