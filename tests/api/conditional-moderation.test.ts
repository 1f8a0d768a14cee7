// Decisions conditional on what the moderator saw (issue 13, item 1): `expectedStatus` on the single and
// bulk JSON API, the dashboard's hidden field, the CLI's --expected-status. A stale view gets 409 naming
// the status now, who set it and when, and nothing is written; of two conflicting decisions one wins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { createSite, expectProblem, submit, tableCounts } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let a: Record<string, string>;
let b: Record<string, string>;
let dash: Session;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'cond', { moderation: 'all' });
  a = bearer(await tokenFor(ctx, await createUser(ctx, 'a@example.com', 'moderator', ['cond'])));
  b = bearer(await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', ['cond'])));
  await createUser(ctx, 'desk@example.com', 'moderator', ['cond']);
  dash = await signIn(ctx, 'desk@example.com');
});
afterAll(() => ctx.close());

const held = async (body: string) => (await submit(ctx, 'cond', { articleId: 'cond-article', body })).body.id as string;
const statusOf = async (id: string) => (await ctx.container.moderation.show(id)).comment.status;
const logOf = async (id: string) => (await ctx.container.moderation.show(id)).log.map((l) => l.to);
const act = (who: Record<string, string>, id: string, action: string, body: unknown) =>
  api(ctx, 'POST', `/api/v1/moderation/comments/${id}/${action}`, who, body);

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('one comment', () => {
  it('changes when the comment still has the expected status', async () => {
    const id = await held('still pending when A decides');
    const res = await act(a, id, 'approve', { expectedStatus: 'pending' });
    expect(res.status).toBe(200);
    expect(res.body.comment.status).toBe('approved');
  });

  it('refuses a stale decision with 409 naming the status now, who set it and when, and writes nothing', async () => {
    const id = await held('B rejects first');
    expect((await act(b, id, 'reject', { expectedStatus: 'pending' })).status).toBe(200);
    const before = await tableCounts(ctx);
    const stale = await act(a, id, 'approve', { expectedStatus: 'pending' });
    const p = expectProblem(stale, 409);
    expect(p.code).toBe('status_changed');
    expect(p.detail).toContain('rejected');
    expect(p.detail).toContain('b@example.com');
    expect(stale.body.conflicts).toEqual([
      { id, current: 'rejected', changedBy: 'b@example.com', changedAt: expect.any(String) },
    ]);
    expect(Date.now() - Date.parse(stale.body.conflicts[0].changedAt)).toBeLessThan(60_000);
    expect(await statusOf(id)).toBe('rejected');
    expect(await tableCounts(ctx)).toEqual(before);
    expect(await logOf(id)).toEqual(['pending', 'rejected']);
  });

  it('without expectedStatus the change is unconditional (older scripts keep working)', async () => {
    const id = await held('a script approves');
    await act(b, id, 'reject', {});
    expect((await act(a, id, 'approve', {})).status).toBe(200);
    expect(await statusOf(id)).toBe('approved');
  });

  it('answers 400 for expected status values that are not statuses, and changes nothing', async () => {
    const id = await held('bad expectations');
    for (const bad of ['published', 'PENDING', '', 42, null, ['pending']]) {
      expectProblem(await act(a, id, 'approve', { expectedStatus: bad }), 400);
    }
    expectProblem(
      await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, {
        ids: [id],
        action: 'approve',
        expectedStatus: { [id]: 'nope' },
      }),
      400,
    );
    expect(await logOf(id)).toEqual(['pending']);
  });

  it('of two conflicting decisions sent at once exactly one wins, and the log has one row for it', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await held(`race ${round}`);
      const answers = await Promise.all([
        act(a, id, 'approve', { expectedStatus: 'pending' }),
        act(b, id, 'reject', { expectedStatus: 'pending' }),
      ]);
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const winner = answers.find((r) => r.status === 200)!.body.comment.status;
      expect(await statusOf(id)).toBe(winner);
      expect(await logOf(id)).toEqual(['pending', winner]);
    }
  });
});

describe('bulk', () => {
  it('refuses the whole batch when some comments changed, listing each conflicting id', async () => {
    const ids = [await held('bulk 1'), await held('bulk 2'), await held('bulk 3')];
    await act(b, ids[1]!, 'reject', { expectedStatus: 'pending' });
    await act(b, ids[2]!, 'spam', { expectedStatus: 'pending' });
    const before = await tableCounts(ctx);
    const res = await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, {
      ids,
      action: 'approve',
      expectedStatus: 'pending',
    });
    expectProblem(res, 409);
    expect(res.body.conflicts.map((c: any) => [c.id, c.current, c.changedBy]).sort()).toEqual(
      [
        [ids[1], 'rejected', 'b@example.com'],
        [ids[2], 'spam', 'b@example.com'],
      ].sort(),
    );
    expect(res.body.errors.map((e: any) => e.path).sort()).toEqual([ids[1], ids[2]].sort());
    expect(await tableCounts(ctx)).toEqual(before);
    expect(await statusOf(ids[0]!)).toBe('pending');
  });

  it('takes one expected status per id, and changes all when every one matches', async () => {
    const ids = [await held('per id 1'), await held('per id 2')];
    await act(b, ids[1]!, 'reject', {});
    const res = await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, {
      ids,
      action: 'spam',
      expectedStatus: { [ids[0]!]: 'pending', [ids[1]!]: 'rejected' },
    });
    expect(res.status).toBe(200);
    expect(res.body.comments.map((c: any) => c.status)).toEqual(['spam', 'spam']);
  });
});

describe('the dashboard', () => {
  it('sends the status each card shows, and a stale form changes nothing', async () => {
    const id = await held('dashboard card');
    const page = await dashboardGet(ctx, '/dashboard/queue?status=pending&site=cond', dash);
    expect(page.text).toContain(`name="expected.${id}" value="pending"`);
    await act(b, id, 'reject', { expectedStatus: 'pending' });
    const stale = await dashboardPost(ctx, `/dashboard/comments/${id}/approve`, dash, {
      [`expected.${id}`]: 'pending',
      return: '/dashboard/queue',
    });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('b@example.com');
    const staleBulk = await dashboardPost(ctx, '/dashboard/queue/bulk', dash, {
      ids: [id],
      action: 'approve',
      [`expected.${id}`]: 'pending',
      return: '/dashboard/queue',
    });
    expect(staleBulk.status).toBe(409);
    expect(await statusOf(id)).toBe('rejected');
    const fresh = await dashboardPost(ctx, `/dashboard/comments/${id}/approve`, dash, {
      [`expected.${id}`]: 'rejected',
      return: '/dashboard/queue',
    });
    expect(fresh.status).toBe(303);
    expect(await statusOf(id)).toBe('approved');
  });
});

describe('the CLI', () => {
  it('comments:set-status --expected-status changes only from that status, else says who changed it', async () => {
    const id = await held('cli decides');
    await act(b, id, 'reject', {});
    const stale = await cli('comments:set-status', '--id', id, '--status', 'approved', '--expected-status', 'pending');
    expect(stale.code).not.toBe(0);
    expect(stale.err).toContain('b@example.com');
    expect(await logOf(id)).toEqual(['pending', 'rejected']);
    const bad = await cli('comments:set-status', '--id', id, '--status', 'approved', '--expect', 'gone');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('expectedStatus');
    const ok = await cli('comments:set-status', '--id', id, '--status', 'approved', '--expect', 'rejected');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toEqual({ id, status: 'approved' });
  });
});
