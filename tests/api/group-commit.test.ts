// Group commit (src/comments/group-commit.ts): comments stored at the same moment share one statement,
// and each gets the answer it would get alone. The same writes are made one by one on one article and
// all at once on another, with duplicates, a shared Idempotency-Key and a row the database refuses (a
// trigger stands for any per-row failure); outcomes, stored rows and counters must match.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewComment, StoredNewComment } from '../../src/comments/transition.ts';
import { commentInput, createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
const db = () => ctx.container.database.db;
const REFUSED = 'the database refuses this comment';

beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'gc-site', { moderation: 'none' });
  await createSite(ctx, 'gc-http-seq', { moderation: 'none' });
  await createSite(ctx, 'gc-http-par', { moderation: 'none' });
  // A failure of one row inside the database (as a constraint or a bad value would be).
  await sql`create function refuse_marked_comment() returns trigger language plpgsql as $$
    begin
      if new.body = ${sql.lit(REFUSED)} then raise exception 'refused by the test'; end if;
      return new;
    end $$`.execute(db());
  await sql`create trigger refuse_marked_comment before insert on comments
    for each row execute function refuse_marked_comment()`.execute(db());
});
afterAll(() => ctx.close());

async function articleId(externalId: string): Promise<number> {
  const first = await submit(ctx, 'gc-site', { articleId: externalId, name: 'Reader seed' });
  expect(first.status).toBe(201);
  const row = await db()
    .selectFrom('articles')
    .select('id')
    .where('site_id', '=', 'gc-site')
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The writes of the scenario on one article: [label, comment]. */
function scenario(
  article: number,
  externalId: string,
  keyPrefix: string,
  withRefused: boolean,
): [string, NewComment][] {
  const make = (n: string, body: string, author: string, key: string | null): NewComment => {
    const id = randomUUID();
    const createdAt = new Date();
    const emailHash = `hash-${author}`;
    return {
      comment: {
        id,
        siteId: 'gc-site',
        articleId: article,
        parentId: null,
        name: `Reader ${n}`,
        body,
        emailHash,
        createdAt,
        status: null,
        publishedAt: null,
      },
      article: { externalId, url: null, title: null },
      to: 'approved',
      actor: { type: 'filter', id: 'submission' },
      reasons: [],
      row: {
        id,
        siteId: 'gc-site',
        articleId: article,
        parentId: null,
        rootId: id,
        depth: 0,
        name: `Reader ${n}`,
        email: `${author}@example.com`,
        emailHash,
        ip: null,
        userAgent: null,
        body,
        status: 'approved',
        reasons: [],
        createdAt,
      },
      claim: key
        ? { key: `${keyPrefix}${key}`, fingerprint: `print-${n}`, statusCode: 201, response: { id, n } }
        : null,
    };
  };
  return [
    ['lead', make('lead', 'The first one, alone in its statement', 'lead', null)],
    ['a', make('a', 'Body A', 'alice', null)],
    ['b', make('b', 'Body B', 'bob', 'k-b')],
    ['a-again', make('a-again', 'Body A', 'alice', null)],
    ...(withRefused ? [['refused', make('refused', REFUSED, 'mallory', null)] as [string, NewComment]] : []),
    ['b-retry', make('b-retry', 'Body B retried', 'bob', 'k-b')],
    ['c', make('c', 'Body C', 'carol', 'k-c')],
    ['d', make('d', 'Body D', 'dave', null)],
  ];
}

type Answer = { outcome: StoredNewComment['outcome'] } | { error: string };
const answer = (p: Promise<StoredNewComment>): Promise<Answer> =>
  p.then(
    (r) => ({ outcome: r.outcome }),
    (err: Error) => ({ error: /refused by the test/.test(err.message) ? 'refused' : err.message }),
  );

async function stored(article: number) {
  const comments = await db()
    .selectFrom('comments')
    .select(['id', 'body', 'name', 'event_seq'])
    .where('article_id', '=', article)
    .execute();
  const ids = comments.map((c) => c.id);
  const log = await db().selectFrom('moderation_log').select('comment_id').where('comment_id', 'in', ids).execute();
  const events = await db()
    .selectFrom('events')
    .select(['comment_id', 'payload'])
    .where('comment_id', 'in', ids)
    .execute();
  const counters = await db()
    .selectFrom('articles')
    .select(['published_count', 'thread_version', 'first_comment_at'])
    .where('id', '=', article)
    .executeTakeFirstOrThrow();
  return { comments, log, events, counters };
}

/** The scenario one by one on one article and handed in at once on another: the same answers and rows. */
async function compare(name: string, withRefused: boolean) {
  const seqArticle = await articleId(`${name}-one-by-one`);
  const parArticle = await articleId(`${name}-together`);
  const writer = ctx.container.submission.groupCommit;

  const oneByOne: Record<string, Answer> = {};
  for (const [label, w] of scenario(seqArticle, `${name}-one-by-one`, `${name}-seq-`, withRefused))
    oneByOne[label] = await answer(writer.store(w));

  const before = { ...writer.stats };
  const all = scenario(parArticle, `${name}-together`, `${name}-par-`, withRefused);
  // Handed in in one tick: the first is written at once, the others wait for it and go together.
  const together = Object.fromEntries(
    await Promise.all(all.map(async ([label, w]) => [label, await answer(writer.store(w))] as const)),
  );
  const stats = {
    batched: writer.stats.batched - before.batched,
    fallbacks: writer.stats.fallbacks - before.fallbacks,
  };

  expect(together).toEqual(oneByOne);
  expect(oneByOne).toMatchObject({
    lead: { outcome: 'written' },
    a: { outcome: 'written' },
    b: { outcome: 'written' },
    'a-again': { outcome: 'conflict' },
    ...(withRefused ? { refused: { error: 'refused' } } : {}),
    'b-retry': { outcome: 'key_taken' },
    c: { outcome: 'written' },
    d: { outcome: 'written' },
  });

  const [s, p] = [await stored(seqArticle), await stored(parArticle)];
  const names = (x: typeof s) => x.comments.map((c) => c.name).sort();
  expect(names(p)).toEqual(names(s));
  expect(names(p)).toEqual(['Reader a', 'Reader b', 'Reader c', 'Reader d', 'Reader lead', 'Reader seed'].sort());
  expect(p.log.length).toBe(s.log.length);
  expect(p.events.length).toBe(s.events.length);
  // Each comment's events numbered 1, 2, … as when written alone.
  const sequences = (x: typeof s) =>
    x.comments
      .map((c) => {
        const numbers = x.events
          .filter((e) => e.comment_id === c.id)
          .map((e) => (e.payload as { data: { sequence: number } }).data.sequence)
          .sort();
        return `${c.event_seq}:${numbers.join(',')}`;
      })
      .sort();
  expect(sequences(p)).toEqual(sequences(s));
  expect(p.counters.published_count).toBe(s.counters.published_count);
  expect(p.counters.published_count).toBe(6);
  expect(p.counters.thread_version).toBe(s.counters.thread_version);
  expect(p.counters.first_comment_at).toEqual(s.counters.first_comment_at === null ? null : expect.any(Date));
  return stats;
}

describe('group commit', () => {
  it('writes comments handed in together in one statement, each with the outcome it gets alone', async () => {
    const stats = await compare('gc-plain', false);
    // At least a, b, a-again, c, d together (lead too if the one-by-one run's last write was still
    // finishing); b-retry, with b's key, in the next statement; nothing had to be redone.
    expect(stats.batched).toBeGreaterThanOrEqual(5);
    expect(stats.fallbacks).toBe(0);
  });

  it('a row the database refuses fails alone: the batch is written again one by one', async () => {
    const stats = await compare('gc-refused', true);
    expect(stats.fallbacks).toBe(1);
  });

  it('concurrent POSTs answer as sequential ones, and every 201 is stored', async () => {
    const key = `shared-key-${randomUUID()}`;
    const inputs = (articleId: string) => {
      const same = commentInput({ articleId, name: 'Twin', email: 'twin@example.com', body: 'The same words twice' });
      const keyed = commentInput({ articleId, name: 'Keyed', email: 'keyed@example.com' });
      return [
        ...Array.from({ length: 6 }, () => ({ input: commentInput({ articleId }), headers: {} })),
        { input: same, headers: {} },
        { input: same, headers: {} },
        { input: keyed, headers: { 'idempotency-key': key } },
        { input: keyed, headers: { 'idempotency-key': key } },
        { input: commentInput({ articleId, body: REFUSED }), headers: {} },
        ...Array.from({ length: 5 }, () => ({ input: commentInput({ articleId }), headers: {} })),
      ];
    };
    // Answers without what differs by run (ids, times): status, problem code, comment status, replay.
    const shape = (r: Awaited<ReturnType<typeof submit>>) =>
      `${r.status} ${r.body?.code ?? r.body?.status ?? ''} ${r.headers.get('idempotent-replayed') ?? ''}`.trim();

    const seqAnswers: string[] = [];
    for (const { input, headers } of inputs('http-article'))
      seqAnswers.push(shape(await submit(ctx, 'gc-http-seq', input, headers)));
    const parResponses = await Promise.all(
      inputs('http-article').map(({ input, headers }) => submit(ctx, 'gc-http-par', input, headers)),
    );
    // Of two identical requests in flight together either may be the one that gets there first.
    expect(parResponses.map(shape).sort()).toEqual([...seqAnswers].sort());
    expect(seqAnswers.filter((a) => a.startsWith('201')).length).toBe(14);
    const created = parResponses.filter((r) => r.status === 201);
    const rows = await db().selectFrom('comments').select('id').where('site_id', '=', 'gc-http-par').execute();
    const ids = new Set(rows.map((r) => r.id));
    for (const r of created) expect(ids.has(r.body.id)).toBe(true);
    // The two keyed answers are one comment.
    const keyed = parResponses.filter((r) => r.body?.comment?.name === 'Keyed');
    expect(keyed).toHaveLength(2);
    expect(keyed[0]!.body.id).toBe(keyed[1]!.body.id);
    expect(ids.size).toBe(13);
  });
});
