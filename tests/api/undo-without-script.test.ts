// Undo without JavaScript: the notice a plain form decision redirects to ("Approved 1 comment.") has
// an Undo button, a CSRF-protected POST of the undo with the status the decision set as its expected
// status, so it never takes back a colleague's later change; the same from a comment's page and for a
// bulk decision. The comments and statuses come from the moderator's own log, never from the URL.
// And the CLI's comments:undo, with --expected-status (or --force) like its other decisions.
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
import { createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let deskA: Session;
let deskB: Session;
let b: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'undo', { moderation: 'all' });
  await createUser(ctx, 'a@example.com', 'moderator', ['undo']);
  b = bearer(await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', ['undo'])));
  deskA = await signIn(ctx, 'a@example.com');
  deskB = await signIn(ctx, 'b@example.com');
});
afterAll(() => ctx.close());

const held = async () => (await submit(ctx, 'undo', { articleId: 'undo-article' })).body.id as string;
const statusOf = async (id: string) => (await ctx.container.moderation.show(id)).comment.status;

/** The fields of the notice's undo form, as a browser would post them (null: no undo offered). */
function undoForm(html: string): Record<string, string | string[]> | null {
  const form = /<form method="post" action="\/dashboard\/queue\/bulk" class="inline undo-form">(.*?)<\/form>/s.exec(
    html,
  )?.[1];
  if (!form) return null;
  const fields: Record<string, string | string[]> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
    const [name, value] = [m[1]!, m[2]!.replace(/&amp;/g, '&')];
    if (name === '_csrf') continue;
    const had = fields[name];
    fields[name] = had === undefined ? value : ([] as string[]).concat(had, value);
  }
  const button = /<button type="submit" name="action" value="undo">/.test(form);
  return button ? { ...fields, action: 'undo' } : null;
}

describe('the Undo button of a decision notice', () => {
  it('takes back one approval, as a logged undo conditional on the status it set', async () => {
    const id = await held();
    const approved = await dashboardPost(ctx, `/dashboard/comments/${id}/approve`, deskA, {
      return: '/dashboard/queue?status=pending',
      [`expected.${id}`]: 'pending',
    });
    expect(approved.headers.get('location')).toBe('/dashboard/queue?status=pending&done=approve&n=1');
    const page = await dashboardGet(ctx, approved.headers.get('location')!, deskA);
    expect(page.text).toContain('Approved 1 comment.');
    const form = undoForm(page.text);
    expect(form).toEqual({
      return: '/dashboard/queue?status=pending',
      ids: id,
      [`expected.${id}`]: 'approved',
      action: 'undo',
    });

    // Without the CSRF token: refused, nothing changes.
    const forged = await dashboardPost(ctx, '/dashboard/queue/bulk', deskA, form!, { csrf: null });
    expect(forged.status).toBe(403);
    expect(await statusOf(id)).toBe('approved');

    const undone = await dashboardPost(ctx, '/dashboard/queue/bulk', deskA, form!);
    expect(undone.status).toBe(303);
    expect(undone.headers.get('location')).toBe('/dashboard/queue?status=pending&done=undo&n=1');
    expect(await statusOf(id)).toBe('pending');
    const log = (await ctx.container.moderation.show(id)).log;
    expect(log.at(-1)).toMatchObject({ from: 'approved', to: 'pending', note: 'Undo', actorType: 'user' });
    // The undo's own notice offers no undo of the undo; the same form posted again is refused.
    expect(undoForm((await dashboardGet(ctx, undone.headers.get('location')!, deskA)).text)).toBeNull();
    const twice = await dashboardPost(ctx, '/dashboard/queue/bulk', deskA, form!);
    expect(twice.status).toBe(409);
    expect(await statusOf(id)).toBe('pending');
  });

  it("never takes back a colleague's later decision, and two undos at once make one", async () => {
    const id = await held();
    await dashboardPost(ctx, `/dashboard/comments/${id}/approve`, deskA, {
      return: '/dashboard/queue',
      [`expected.${id}`]: 'pending',
    });
    const form = undoForm((await dashboardGet(ctx, '/dashboard/queue?done=approve&n=1', deskA)).text)!;
    expect(form).not.toBeNull();
    // B takes the approved comment down before A's undo arrives.
    expect(
      (await api(ctx, 'POST', `/api/v1/moderation/comments/${id}/reject`, b, { expectedStatus: 'approved' })).status,
    ).toBe(200);
    const stale = await dashboardPost(ctx, '/dashboard/queue/bulk', deskA, form);
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('b@example.com');
    expect(await statusOf(id)).toBe('rejected');

    const other = await held();
    await dashboardPost(ctx, `/dashboard/comments/${other}/spam`, deskA, {
      return: '/dashboard/queue',
      [`expected.${other}`]: 'pending',
    });
    const spamForm = undoForm((await dashboardGet(ctx, '/dashboard/queue?done=spam&n=1', deskA)).text)!;
    const answers = await Promise.all(
      [1, 2, 3].map(() => dashboardPost(ctx, '/dashboard/queue/bulk', deskA, spamForm)),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([303, 409, 409]);
    const undos = (await ctx.container.moderation.show(other)).log.filter((e) => e.note === 'Undo');
    expect(undos).toHaveLength(1);
    expect(await statusOf(other)).toBe('pending');
  });

  it('takes back a bulk decision, and is offered from a comment page too', async () => {
    const ids = [await held(), await held(), await held()];
    const bulk = await dashboardPost(ctx, '/dashboard/queue/bulk', deskA, {
      ids,
      action: 'reject',
      return: '/dashboard/queue?status=pending',
      ...Object.fromEntries(ids.map((i) => [`expected.${i}`, 'pending'])),
    });
    const form = undoForm((await dashboardGet(ctx, bulk.headers.get('location')!, deskA)).text)!;
    expect([...(form.ids as string[])].sort()).toEqual([...ids].sort());
    expect((await dashboardPost(ctx, '/dashboard/queue/bulk', deskA, form)).status).toBe(303);
    for (const i of ids) expect(await statusOf(i)).toBe('pending');

    const one = ids[0]!;
    const fromPage = await dashboardPost(ctx, `/dashboard/comments/${one}/approve`, deskA, {
      return: `/dashboard/comments/${one}`,
      [`expected.${one}`]: 'pending',
    });
    const detail = await dashboardGet(ctx, fromPage.headers.get('location')!, deskA);
    expect(undoForm(detail.text)).toMatchObject({
      ids: one,
      [`expected.${one}`]: 'approved',
      return: `/dashboard/comments/${one}`,
    });
  });

  it("offers nothing for a notice that does not match the moderator's own latest decision", async () => {
    const id = await held();
    await dashboardPost(ctx, `/dashboard/comments/${id}/approve`, deskA, {
      return: '/dashboard/queue',
      [`expected.${id}`]: 'pending',
    });
    // Another action, another count, junk, or another moderator's view of the same URL.
    for (const q of [
      'done=reject&n=1',
      'done=approve&n=2',
      'done=approve&n=99999',
      'done=approve&n=-1',
      'done=undo&n=1',
    ])
      expect(undoForm((await dashboardGet(ctx, `/dashboard/queue?${q}`, deskA)).text), q).toBeNull();
    expect(undoForm((await dashboardGet(ctx, '/dashboard/queue?done=approve&n=1', deskB)).text)).toBeNull();
  });
});

describe('comments:undo', () => {
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  };

  it('undoes the last decision only while the comment has the expected status; --force reads it first', async () => {
    const id = await held();
    expect(
      (await run('comments:set-status', '--id', id, '--status', 'spam', '--expected-status', 'pending')).code,
    ).toBe(0);
    const missing = await run('comments:undo', '--id', id);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('--expected-status');
    const wrong = await run('comments:undo', '--id', id, '--expected-status', 'approved');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/changed|spam/);
    expect(await statusOf(id)).toBe('spam');
    const bad = await run('comments:undo', '--id', id, '--expected-status', 'nonsense');
    expect(bad.code).toBe(1);

    const undone = await run('comments:undo', '--id', id, '--expected-status', 'spam', '--reason', 'wrong key');
    expect(undone.code, undone.err).toBe(0);
    expect(JSON.parse(undone.out)).toEqual({ id, status: 'pending' });
    expect((await ctx.container.moderation.show(id)).log.at(-1)).toMatchObject({
      actorType: 'cli',
      note: 'Undo: wrong key',
      from: 'spam',
      to: 'pending',
    });

    expect((await run('comments:set-status', '--id', id, '--status', 'approved')).code).toBe(0);
    const forced = await run('comments:undo', '--id', id, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(await statusOf(id)).toBe('pending');

    for (const junk of ['nope', '00000000-0000-0000-0000-000000000000'])
      expect((await run('comments:undo', '--id', junk, '--expected-status', 'approved')).code).toBe(1);
  });
});
