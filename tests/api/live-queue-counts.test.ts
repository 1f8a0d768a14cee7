// The live queue reads a site's counts only while some open tab watches the site (issue 14): a POST
// storm with no dashboard open costs no count query at all, its moves are still published (without
// counts, so a tab reconnecting later is replayed them and reads the counts itself); a tab open on
// another API process gets every change of its site with the fresh counts; a registration ends with
// its stream, and lapses (TTL) when its process dies without saying so.
import { Redis } from 'ioredis';
import type { KyselyPlugin } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Container } from '../../src/container.ts';
import { createLocalFeed, createRedisFeed, type FeedEntry, type LiveFeed } from '../../src/events/live-feed.ts';
import { createLiveQueue, type LiveStream } from '../../src/review/live-queue.service.ts';
import { api, bearer, createUser, type Session, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, submit } from '../support/http.ts';
import { openStream, type SseEvent, type SseStream } from '../support/sse.ts';
import { TEST_REDIS_URL, testDb, testQueue } from '../support/stores.ts';
import { createOtherProcess, createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let desk: Session;
let b: Record<string, string>;
const open: SseStream[] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  for (const id of ['quiet', 'sentinel', 'watched']) await createSite(ctx, id, { moderation: 'all' });
  await createUser(ctx, 'desk@example.com', 'moderator', ['quiet', 'sentinel', 'watched']);
  b = bearer(
    await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', ['quiet', 'sentinel', 'watched'])),
  );
  desk = await signIn(ctx, 'desk@example.com');
});
afterAll(async () => {
  for (const s of open) await s.close();
  await ctx.close();
});

const held = async (siteId: string) => {
  const res = await submit(ctx, siteId, { articleId: 'counts' });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const changeOf = (e: SseEvent) => JSON.parse(e.data);
const about = (id: string) => (e: SseEvent) => e.event === 'change' && changeOf(e).commentId === id;

async function listening(target: TestContext, site: string): Promise<SseStream> {
  const s = await openStream(target, `/dashboard/queue/live?site=${site}`, desk.cookie);
  open.push(s);
  expect(s.status, s.text.slice(0, 300)).toBe(200);
  await s.next((e) => e.event === 'ready');
  return s;
}

/** A site's counts as the moderation API reads them now. */
const countsNow = async (siteId: string) =>
  (await api(ctx, 'GET', `/api/v1/moderation/comments?siteId=${siteId}`, b)).body.counts;

/**
 * Every statement a container's PostgreSQL pool sends from now on, with its parameters: the counts
 * query of a site is the `count(*) … group by status` with that site among its parameters.
 */
function recordStatements(container: Container) {
  const sent: { text: string; values: unknown[] }[] = [];
  const wrapped = new WeakSet<object>();
  container.database.pool!.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    // pg's query has many overloads; this reads only its first two arguments.
    (client as any).query = (...args: any[]) => {
      const [first, second] = args;
      if (typeof first === 'string') sent.push({ text: first, values: second ?? [] });
      else if (first?.text) sent.push({ text: first.text, values: first.values ?? [] });
      return query(...args);
    };
  });
  return {
    countsOf: (siteId: string) =>
      sent
        .filter((s) => /count\(\*\)/i.test(s.text) && /group by "comments"\."status"/i.test(s.text))
        .filter((s) => s.values.length === 1 && s.values[0] === siteId).length,
  };
}

describe.runIf(testDb() === 'postgres')('the live queue through the API, on PostgreSQL', () => {
  it('reads no counts for a site nobody watches, however many comments arrive, and still publishes the moves', async () => {
    const statements = recordStatements(ctx.container);
    // A tab on another site: its changes show when every earlier announcement went out (they are
    // published in order), and prove the recording sees a counts query when there is one.
    const sentinel = await listening(ctx, 'sentinel');
    const before = (await ctx.container.liveQueue.cursor())!;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await held('quiet'));
    const last = await held('sentinel');
    const heard = changeOf(await sentinel.next(about(last), 3_000));
    expect(statements.countsOf('sentinel')).toBeGreaterThan(0);
    expect(statements.countsOf('quiet')).toBe(0);
    expect(heard.counts).toEqual(await countsNow('sentinel'));

    // The quiet site's moves are in the feed (a tab reconnecting from before them is replayed them),
    // without counts: that tab reads them itself.
    const replayed = await openStream(ctx, `/dashboard/queue/live?site=quiet&after=${before}`, desk.cookie);
    open.push(replayed);
    const changes: SseEvent[] = [];
    while (changes.length < ids.length) changes.push(await replayed.next((e) => e.event === 'change', 3_000));
    expect(changes.map((e) => changeOf(e).commentId)).toEqual(ids);
    expect(changes.every((e) => changeOf(e).counts === null)).toBe(true);
    await replayed.close();
    await sentinel.close();
  });

  it.runIf(testQueue() === 'redis')(
    'gives a tab on another API process every change of its site with the fresh counts, and stops counting when it closes',
    async () => {
      const statements = recordStatements(ctx.container);
      const second = await createOtherProcess(ctx.config);
      const elsewhere: TestContext = {
        container: second,
        app: createApp(second),
        config: ctx.config,
        close: () => second.close(),
      };
      const key = `${ctx.config.redisPrefix}:live-queue:watch:watched`;
      const redis = ctx.container.redis!;
      try {
        const s = await listening(elsewhere, 'watched');
        expect(await redis.zcard(key)).toBe(1);
        for (let i = 0; i < 3; i++) {
          const id = await held('watched');
          const change = changeOf(await s.next(about(id), 3_000));
          expect(change).toMatchObject({ siteId: 'watched', status: 'pending', actor: 'filters' });
          expect(change.counts).toEqual(await countsNow('watched'));
        }
        // Counted by the process that committed (this one), not by the one holding the tab.
        expect(statements.countsOf('watched')).toBe(3);

        await s.close();
        await expect.poll(() => redis.zcard(key), { timeout: 3_000 }).toBe(0);
      } finally {
        await second.close();
      }
    },
  );
});

describe('the live queue service', () => {
  /** A live queue on the test database whose every statement is counted. */
  function countedQueue(feed: LiveFeed) {
    let statements = 0;
    const counting: KyselyPlugin = {
      transformQuery(args) {
        statements += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const queue = createLiveQueue({
      db: ctx.container.database.db.withPlugin(counting),
      feed,
      log: pino({ level: 'silent' }),
    });
    return { queue, statements: () => statements };
  }
  const stream = (siteIds: string[] | null): LiveStream => ({
    sessionId: 's',
    siteIds,
    send() {},
    resync() {},
    end() {},
  });
  const move = (i: number) => [
    { commentId: `c${i}`, from: null, to: 'pending' as const, actor: { type: 'filter' as const, id: 'filters' } },
  ];

  it('in one process (embedded): no statement for an unwatched site; counts once a stream watches it, none after it closes', async () => {
    const feed = createLocalFeed();
    const { queue, statements } = countedQueue(feed);
    const heard: FeedEntry[] = [];
    const off = await feed.subscribe((e) => e && heard.push(e));
    const announced = async (n: number) => {
      const until = heard.length + 1;
      queue.announce('quiet', move(n));
      await expect.poll(() => heard.length, { timeout: 3_000 }).toBeGreaterThanOrEqual(until);
      return heard.at(-1)!.changes.at(-1)!;
    };
    try {
      for (let i = 0; i < 5; i++) expect((await announced(i)).counts).toBeNull();
      expect(statements()).toBe(0);

      const start = await queue.open(stream(['quiet']));
      const counted = await announced(10);
      expect(counted.counts).toEqual(await countsNow('quiet'));
      expect(statements()).toBeGreaterThan(0);

      start!.remove();
      const after = statements();
      expect((await announced(11)).counts).toBeNull();
      expect(statements()).toBe(after);

      // An admin's unfiltered queue watches every site.
      const all = await queue.open(stream(null));
      expect((await announced(12)).counts).not.toBeNull();
      all!.remove();
    } finally {
      off();
      await queue.close();
    }
  });

  it.runIf(testQueue() === 'redis')(
    "on Redis: another process's registration is seen, refreshed while it lives, and lapses when it dies",
    async () => {
      const prefix = `watch-${Math.random().toString(36).slice(2)}`;
      const log = pino({ level: 'silent' });
      const clients: Redis[] = [];
      const client = (url = TEST_REDIS_URL) => {
        const r = new Redis(url);
        r.on('error', () => {});
        clients.push(r);
        return r;
      };
      const feed = (publisher: Redis) =>
        createRedisFeed({ publisher, connect: () => client(), prefix, log, watchTtlMs: 600, watchCacheMs: 0 });
      const observer = feed(client());
      const watcherConnection = client();
      const watcher = feed(watcherConnection);
      try {
        expect([...(await observer.watched(['a', 'b']))]).toEqual([]);
        const stop = watcher.watch(['a']);
        await expect.poll(async () => [...(await observer.watched(['a', 'b']))], { timeout: 2_000 }).toEqual(['a']);
        // Refreshed: its expiry moves on while the stream lives, past the first one's TTL.
        const key = `${prefix}:live-queue:watch:a`;
        const first = Number((await clients[0]!.zrange(key, 0, -1, 'WITHSCORES'))[1]);
        await expect
          .poll(async () => Number((await clients[0]!.zrange(key, 0, -1, 'WITHSCORES'))[1]), { timeout: 3_000 })
          .toBeGreaterThan(first + 600);
        expect([...(await observer.watched(['a']))]).toEqual(['a']);
        // Closed: gone at once. Watching everything covers every site.
        stop();
        await expect.poll(async () => [...(await observer.watched(['a']))], { timeout: 2_000 }).toEqual([]);
        watcher.watch(null);
        await expect.poll(async () => (await observer.watched(['a', 'b'])).size, { timeout: 2_000 }).toBe(2);
        // Its process dies (its connection gone, nothing removed): the registration lapses by itself.
        watcherConnection.disconnect();
        await expect.poll(async () => (await observer.watched(['a', 'b'])).size, { timeout: 5_000 }).toBe(0);
      } finally {
        await observer.close();
        await watcher.close();
        await clients[0]!.del(`${prefix}:live-queue:watch:a`, `${prefix}:live-queue:watch:*`).catch(() => {});
        for (const r of clients) r.disconnect();
      }
    },
  );
});
