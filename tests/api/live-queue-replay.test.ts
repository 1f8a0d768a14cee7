// The live queue never misses silently: every change event has an id, a tab that reconnects with the
// last id it saw (Last-Event-ID, or ?after= for a new EventSource and the page's first stream) is
// replayed what it missed (a colleague's decisions, new held comments) in order and once, only for the
// sites it may see; when that cannot be done (an id too old for the bounded buffer, from another run, or
// forged) the stream says `resync` and the tab refetches its queue.
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalFeed, createRedisFeed, type FeedEntry, type LiveChange } from '../../src/events/live-feed.ts';
import { api, bearer, createUser, dashboardGet, type Session, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, submit } from '../support/http.ts';
import { openStream, type SseEvent, type SseStream } from '../support/sse.ts';
import { TEST_REDIS_URL, testQueue } from '../support/stores.ts';
import { createOtherProcess, createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let b: Record<string, string>;
let deskA: Session;
let watcher: Session;
const open: SseStream[] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'rp', { moderation: 'all' });
  await createSite(ctx, 'rp-hidden', { moderation: 'all' });
  await createUser(ctx, 'a@example.com', 'moderator', ['rp']);
  b = bearer(await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', ['rp', 'rp-hidden'])));
  deskA = await signIn(ctx, 'a@example.com');
  await createUser(ctx, 'watch@example.com', 'moderator', ['rp', 'rp-hidden']);
  watcher = await signIn(ctx, 'watch@example.com');
});
afterAll(async () => {
  for (const s of open) await s.close();
  await ctx.close();
});

async function connect(
  lastEventId: string | null,
  query = '',
  session = deskA,
  site = 'rp',
): Promise<{ s: SseStream; ready: SseEvent }> {
  const attempt = async () => {
    const opened = await openStream(
      ctx,
      `/dashboard/queue/live?site=${site}${query}`,
      session.cookie,
      lastEventId === null ? {} : { 'last-event-id': lastEventId },
    );
    open.push(opened);
    return opened;
  };
  // A stream closed just before is freed when the server notices (at most 4 per session).
  const deadline = Date.now() + 3_000;
  let s = await attempt();
  while (s.status === 429 && Date.now() < deadline) s = await attempt();
  expect(s.status, s.text.slice(0, 300)).toBe(200);
  return { s, ready: await s.next((e) => e.event === 'ready') };
}

const held = async (siteId = 'rp') => (await submit(ctx, siteId, { articleId: 'replay' })).body.id as string;
const decide = async (id: string, action: string) =>
  expect(
    (await api(ctx, 'POST', `/api/v1/moderation/comments/${id}/${action}`, b, { expectedStatus: 'pending' })).status,
  ).toBe(200);
const changeOf = (e: SseEvent) => JSON.parse(e.data) as LiveChange;
const about = (id: string, status: string) => (e: SseEvent) =>
  e.event === 'change' && changeOf(e).commentId === id && changeOf(e).status === status;

/** Every change event already sent, in order (waits until `last` has come). */
async function changesUntil(s: SseStream, last: (e: SseEvent) => boolean): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for (;;) {
    const e = await s.next((x) => x.event === 'change' || x.event === 'resync', 3_000);
    out.push(e);
    if (last(e)) return out;
  }
}

describe('a reconnecting live queue', () => {
  it("is replayed a colleague's decisions and a new held comment made while it was away, in order, once", async () => {
    const [x, y] = [await held(), await held()];
    const first = await connect(null);
    expect(first.ready.id).toMatch(/^\d+-\d+$/);
    // Heard live, then the tab goes away.
    await decide(x, 'reject');
    const heard = await first.s.next(about(x, 'rejected'));
    expect(heard.id).toMatch(/^\d+-\d+\/\d+$/);
    await first.s.close();

    // Missed: B approves y, the filters hold a new comment z, and a change on a site A cannot see.
    // Another moderator's open stream shows when all of it has been announced.
    const watch = await connect(null, '', watcher, '');
    await decide(y, 'approve');
    const z = await held();
    const hidden = await held('rp-hidden');
    await decide(hidden, 'spam');
    await watch.s.next(about(hidden, 'spam'));

    const again = await connect(heard.id!);
    expect(JSON.parse(again.ready.data)).toMatchObject({ refetch: false, replayed: 2 });
    const replayed = await changesUntil(again.s, (e) => changeOf(e).commentId === z);
    expect(replayed.map((e) => [changeOf(e).commentId, changeOf(e).status, changeOf(e).actor])).toEqual([
      [y, 'approved', 'b@example.com'],
      [z, 'pending', 'filters'],
    ]);
    // Ids keep increasing, so the next reconnect resumes after them.
    expect(new Set(replayed.map((e) => e.id)).size).toBe(2);
    // The counts of the last replayed change are the site's counts now.
    const now = (await api(ctx, 'GET', '/api/v1/moderation/comments?siteId=rp', b)).body.counts;
    expect(changeOf(replayed.at(-1)!).counts).toEqual(now);

    // Live changes still come, after the replay, and nothing of the other site ever did.
    await decide(z, 'spam');
    const live = await again.s.next(about(z, 'spam'));
    expect(live.id).not.toBe(replayed.at(-1)!.id);
    await expect(again.s.next((e) => e.event === 'change' && changeOf(e).siteId !== 'rp', 300)).rejects.toThrow();

    // Reconnecting from the last id seen replays nothing (nothing happened since).
    await again.s.close();
    const quiet = await connect(live.id!);
    expect(JSON.parse(quiet.ready.data)).toMatchObject({ refetch: false, replayed: 0 });
    await quiet.s.close();
    await watch.s.close();
  });

  it("resumes from the ready event's id when it heard no change, and from the page's cursor on its first stream", async () => {
    const first = await connect(null);
    await first.s.close();
    const id = await held();
    const resumed = await connect(first.ready.id!);
    expect(changeOf(await resumed.s.next(about(id, 'pending')))).toMatchObject({ previousStatus: null });
    await resumed.s.close();

    // The queue page says where the feed stood when it was rendered; a change between the render and
    // the stream opening reaches the stream (live.js passes the cursor as ?after=).
    const page = await dashboardGet(ctx, '/dashboard/queue?site=rp', deskA);
    const cursor = /data-live-cursor="([^"]+)"/.exec(page.text)?.[1];
    expect(cursor).toMatch(/^\d+-\d+$/);
    const between = await held();
    const fromPage = await connect(null, `&after=${encodeURIComponent(cursor!)}`);
    expect(changeOf(await fromPage.s.next(about(between, 'pending')))).toMatchObject({ actor: 'filters' });
    await fromPage.s.close();
  });

  it('is told to refetch (resync) for an id it cannot be replayed from: forged, from another run, junk', async () => {
    for (const id of ['garbage', '1-1', '1-1/0', `${'9'.repeat(16)}-0`, '1-1/99999999', 'x'.repeat(200), '-', '1-/']) {
      const { s, ready } = await connect(id);
      expect(JSON.parse(ready.data).refetch, id).toBe(true);
      expect((await s.next((e) => e.event === 'resync', 2_000)).event).toBe('resync');
      await s.close();
    }
    // Through the query (a new EventSource): an SQL-ish id, a line break that would forge an event.
    for (const q of ["1-1'%20or%201=1", '1-1%0Aevent:%20change', '1-1%0D%0Aid:%201-2']) {
      const { s, ready } = await connect(null, `&after=${q}`);
      expect(JSON.parse(ready.data).refetch, q).toBe(true);
      await s.next((e) => e.event === 'resync', 2_000);
      await s.close();
    }
    // NUL is refused before any stream opens, as everywhere; a broken UTF-8 sequence opens a stream
    // that is told to refetch.
    for (const q of ['%00', '%ED%A0%80', '%FF']) {
      const res = await openStream(ctx, `/dashboard/queue/live?site=rp&after=${q}`, deskA.cookie);
      open.push(res);
      if (res.status === 200) {
        await res.next((e) => e.event === 'resync', 2_000);
        await res.close();
      } else {
        expect(res.status, q).toBeGreaterThanOrEqual(400);
        expect(res.status, q).toBeLessThan(500);
      }
    }
  });
});

describe('the feed buffer', () => {
  const change = (i: number): LiveChange => ({
    commentId: `c${i}`,
    siteId: 's',
    status: 'approved',
    previousStatus: 'pending',
    actor: 'cli',
    at: new Date().toISOString(),
    counts: {},
  });

  it('in process: keeps a bounded number of entries; an id trimmed away cannot be replayed from', async () => {
    const feed = createLocalFeed({ bufferEntries: 5 });
    const start = (await feed.head())!;
    await feed.publish([change(1)]);
    expect((await feed.since(start, 10))?.map((e) => e.changes.length)).toEqual([0, 1]);
    for (let i = 2; i <= 10; i++) await feed.publish([change(i)]);
    expect(await feed.since(start, 10)).toBeNull();
    const mid = (await feed.head())!;
    expect((await feed.since(mid, 10))?.[0]?.changes[0]?.commentId).toBe('c10');
    await feed.publish([change(11)]);
    await feed.publish([change(12)]);
    // More entries after it than the caller takes: null too (it refetches rather than replay a flood).
    expect(await feed.since(mid, 1)).toBeNull();
    expect((await feed.since(mid, 2))?.map((e) => e.changes[0]?.commentId)).toEqual(['c10', 'c11', 'c12']);
  });

  it.runIf(testQueue() === 'redis')(
    'on Redis: shared by the processes, trimmed, and a lost publish is a gap',
    async () => {
      const prefix = `replay-${Math.random().toString(36).slice(2)}`;
      const log = pino({ level: 'silent' });
      const publisher = new Redis(TEST_REDIS_URL);
      const subs: Redis[] = [];
      const feed = createRedisFeed({
        publisher,
        connect: () => {
          const r = new Redis(TEST_REDIS_URL);
          subs.push(r);
          return r;
        },
        prefix,
        log,
        bufferEntries: 10,
      });
      const heard: (FeedEntry | null)[] = [];
      const off = await feed.subscribe((e) => heard.push(e));
      try {
        const start = (await feed.head())!;
        await feed.publish([change(1), change(2)]);
        const replay = await feed.since(start, 10);
        expect(replay?.map((e) => e.changes.map((c) => c.commentId))).toEqual([[], ['c1', 'c2']]);
        // Heard live with the same id the buffer has.
        const deadline = Date.now() + 2_000;
        while (heard.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(heard[0]?.id).toBe(replay![1]!.id);
        // Trimmed to about its bound (Redis trims whole nodes of 100 entries).
        for (let i = 0; i < 300; i++) await feed.publish([change(i)]);
        expect(await feed.since(start, 1_000)).toBeNull();

        // A publisher that cannot reach Redis tells this process's tabs they missed something.
        const dead = new Redis('redis://127.0.0.1:1', {
          enableOfflineQueue: false,
          lazyConnect: true,
          maxRetriesPerRequest: 0,
        });
        dead.on('error', () => {});
        const cut = createRedisFeed({ publisher: dead, connect: () => new Redis(TEST_REDIS_URL), prefix, log });
        const gaps: (FeedEntry | null)[] = [];
        const offCut = await cut.subscribe((e) => gaps.push(e));
        await cut.publish([change(1)]);
        expect(gaps).toContain(null);
        expect(await cut.head()).toBeNull();
        offCut();
        await cut.close();
        dead.disconnect();
      } finally {
        off();
        await feed.close();
        await publisher.del(`${prefix}:live-queue:buffer`);
        publisher.disconnect();
      }
    },
  );

  it.runIf(testQueue() === 'redis')('replays a change committed by another API process', async () => {
    const first = await connect(null);
    await first.s.close();
    const second = await createOtherProcess(ctx.config);
    try {
      const id = await held();
      await second.moderation.setStatus(id, 'rejected', { type: 'cli', id: 'cli' }, null, 'pending');
    } finally {
      await second.close();
    }
    const again = await connect(first.ready.id!);
    const events = await changesUntil(again.s, (e) => changeOf(e).status === 'rejected');
    expect(events.map((e) => changeOf(e).actor)).toEqual(['filters', 'cli']);
  });
});
