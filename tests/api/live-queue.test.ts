// The live queue (issue 13, item 2): an open queue tab's event stream hears every committed status
// change of its site, whoever made it (a moderator through the JSON API, a bulk action, the CLI, the
// filters at submission), with the site's fresh counts and nothing personal about the author. A
// moderator of another site is refused the stream and never hears this site. With Redis, a change
// committed by another API process reaches the stream through pub/sub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { MAX_STREAMS_PER_SESSION } from '../../src/review/live-queue.service.ts';
import { api, bearer, createUser, type Session, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem, submit } from '../support/http.ts';
import { openStream, type SseEvent, type SseStream } from '../support/sse.ts';
import { testQueue } from '../support/stores.ts';
import { createOtherProcess, createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let b: Record<string, string>;
let deskA: Session;
let other: Session;
let admin: Session;
const open: SseStream[] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'live', { moderation: 'all' });
  await createSite(ctx, 'elsewhere', { moderation: 'all' });
  await createUser(ctx, 'a@example.com', 'moderator', ['live']);
  b = bearer(await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', ['live'])));
  await createUser(ctx, 'other@example.com', 'moderator', ['elsewhere']);
  await createUser(ctx, 'chief@example.com', 'admin');
  deskA = await signIn(ctx, 'a@example.com');
  other = await signIn(ctx, 'other@example.com');
  admin = await signIn(ctx, 'chief@example.com');
});
afterAll(async () => {
  for (const s of open) await s.close();
  await ctx.close();
});

async function stream(path: string, session: Session | null): Promise<SseStream> {
  const s = await openStream(ctx, path, session?.cookie ?? null);
  open.push(s);
  return s;
}

/** A stream that is listening: its `ready` event has arrived. */
async function listening(path: string, session: Session): Promise<SseStream> {
  const s = await stream(path, session);
  expect(s.status, s.text.slice(0, 300)).toBe(200);
  expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
  await s.next((e) => e.event === 'ready');
  return s;
}

const held = async (siteId: string, fields: Record<string, unknown> = {}) =>
  (await submit(ctx, siteId, { articleId: 'live-article', ...fields })).body.id as string;
/** The change event about comment `id` (to `status`, when given). */
const about = (id: string, status?: string) => (e: SseEvent) =>
  e.event === 'change' && JSON.parse(e.data).commentId === id && (!status || JSON.parse(e.data).status === status);
const payload = (e: SseEvent) => JSON.parse(e.data);

describe('the live queue stream', () => {
  it("hears a colleague's decision made through the JSON API, with the site's fresh counts and nothing about the author", async () => {
    const id = await held('live', { email: 'private-author@example.com', name: 'Private Author' });
    const s = await listening('/dashboard/queue/live?site=live', deskA);
    const before = (await api(ctx, 'GET', '/api/v1/moderation/comments?siteId=live', b)).body.counts;
    const decided = await api(ctx, 'POST', `/api/v1/moderation/comments/${id}/reject`, b, {
      expectedStatus: 'pending',
    });
    expect(decided.status).toBe(200);
    const event = await s.next(about(id, 'rejected'), 2_000);
    const p = payload(event);
    expect(p).toEqual({
      commentId: id,
      siteId: 'live',
      status: 'rejected',
      previousStatus: 'pending',
      actor: 'b@example.com',
      at: expect.any(String),
      counts: { ...before, pending: before.pending - 1, rejected: before.rejected + 1 },
    });
    expect(Math.abs(Date.now() - Date.parse(p.at))).toBeLessThan(10_000);
    expect(event.data).not.toContain('private-author');
    expect(event.data).not.toContain('Private Author');
    expect(event.data).not.toContain('127.0.0.1');
  });

  it('hears every comment of a bulk action, the CLI, and the filters holding a new comment', async () => {
    const s = await listening('/dashboard/queue/live?site=live', deskA);
    const [x, y] = [await held('live'), await held('live')];
    expect(
      (await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', b, { ids: [x, y], action: 'spam' })).status,
    ).toBe(200);
    for (const id of [x, y])
      expect(payload(await s.next(about(id, 'spam'), 2_000))).toMatchObject({ status: 'spam', actor: 'b@example.com' });

    const z = await held('live');
    expect(payload(await s.next(about(z, 'pending'), 2_000))).toMatchObject({
      status: 'pending',
      previousStatus: null,
      actor: 'filters',
    });
    const out: string[] = [];
    const code = await runCli(['comments:set-status', '--id', z, '--status', 'approved'], ctx.container, {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    expect(code, out.join('')).toBe(0);
    expect(payload(await s.next(about(z, 'approved'), 2_000))).toMatchObject({
      status: 'approved',
      previousStatus: 'pending',
      actor: 'cli',
    });
  });

  it("refuses a moderator another site's stream, and their own stream never carries this site", async () => {
    const refused = await stream('/dashboard/queue/live?site=live', other);
    expect(refused.status).toBe(403);
    const ghost = await stream('/dashboard/queue/live?site=no-such-site', other);
    expect(ghost.status).toBe(403);

    const theirs = await listening('/dashboard/queue/live', other);
    const here = await held('live');
    await api(ctx, 'POST', `/api/v1/moderation/comments/${here}/approve`, b, { expectedStatus: 'pending' });
    // A change on their own site afterwards: it is the first (and only) change they hear.
    const mine = await held('elsewhere');
    const first = payload(await theirs.next((e) => e.event === 'change', 2_000));
    expect(first).toMatchObject({ commentId: mine, siteId: 'elsewhere' });
  });

  it('sends visitors without a session to sign in, and answers an admin 404 for an unknown site', async () => {
    const anonymous = await stream('/dashboard/queue/live?site=live', null);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/dashboard\/login/);
    expect((await stream('/dashboard/queue/live?site=no-such-site', admin)).status).toBe(404);
    const all = await listening('/dashboard/queue/live', admin);
    const id = await held('elsewhere');
    expect(payload(await all.next(about(id), 2_000)).siteId).toBe('elsewhere');
  });

  it(`holds at most ${MAX_STREAMS_PER_SESSION} streams per session (429 problem+json past it), and frees a closed one`, async () => {
    const mine = await signIn(ctx, 'a@example.com');
    const held: SseStream[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_SESSION; i++)
      held.push(await listening('/dashboard/queue/live?site=live', mine));
    const refused = await openStream(ctx, '/dashboard/queue/live?site=live', mine.cookie, {
      accept: 'application/json',
    });
    const p = expectProblem(
      { status: refused.status, headers: refused.headers, text: refused.text, body: JSON.parse(refused.text) },
      429,
    );
    expect(p.code).toBe('too_many_streams');
    // Another session of the same moderator is not counted against this one.
    await listening('/dashboard/queue/live?site=live', await signIn(ctx, 'a@example.com'));
    await held[0]!.close();
    const deadline = Date.now() + 2_000;
    let again = await stream('/dashboard/queue/live?site=live', mine);
    while (again.status === 429 && Date.now() < deadline) again = await stream('/dashboard/queue/live?site=live', mine);
    expect(again.status).toBe(200);
  });

  it.runIf(testQueue() === 'redis')(
    'hears a change committed by another API process, through Redis pub/sub',
    async () => {
      const s = await listening('/dashboard/queue/live?site=live', deskA);
      const second = await createOtherProcess(ctx.config);
      try {
        const id = await held('live');
        await second.moderation.setStatus(id, 'rejected', { type: 'cli', id: 'cli' }, null, 'pending');
        expect(payload(await s.next(about(id, 'rejected'), 2_000))).toMatchObject({
          status: 'rejected',
          previousStatus: 'pending',
          actor: 'cli',
        });
      } finally {
        await second.close();
      }
    },
  );

  it('ends every stream when the server stops, and opens no new one', async () => {
    const s = await listening('/dashboard/queue/live?site=live', admin);
    ctx.container.liveQueue.stop();
    await s.ended(2_000);
    expect((await stream('/dashboard/queue/live?site=live', admin)).status).toBe(503);
  });
});
