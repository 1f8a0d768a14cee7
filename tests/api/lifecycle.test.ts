// Deletion, erasure and the maintenance jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMaintenanceJob } from '../../src/maintenance/maintenance.job.ts';
import { createProcessEventJob, readEventOf } from '../../src/webhooks/process-event.job.ts';
import { call, createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'life', { moderation: 'none', spamRetentionDays: 7, closeAfterDays: 10 });
});
afterAll(() => ctx.close());

// The embedded mode (the pglite project) holds the events queue in memory: only the worker that has
// run an event marks it, and the sweeper marks nothing (the queue's held job ids dedupe its hand-overs).
const inMemory = () => ctx.container.database.kind === 'pglite' && ctx.container.queue.kind === 'database';

const actor = { type: 'cli' as const, id: 'test' };
const thread = async (article: string) => (await call(ctx, `/api/v1/sites/life/articles/${article}/comments`)).body;

describe('the relay', () => {
  it("hands a submission's events to the queue without marking them; the worker that takes one marks it", async () => {
    const db = ctx.container.database.db;
    const c = await submit(ctx, 'life', { articleId: 'relayed' });
    const events = await db
      .selectFrom('events')
      .select(['id', 'dispatched_at'])
      .where('comment_id', '=', c.body.id)
      .execute();
    expect(events.length).toBeGreaterThan(0);
    // No worker and no sweeper run in this file, and this runs first (no other test's relay pass is
    // under way): the submitting request's hand-over is the only thing that can have queued them, as one
    // job carrying their ids (held in memory, one job each).
    await waitUntil(
      async () => (await ctx.container.queue.counts()).events.waiting >= (inMemory() ? events.length : 1),
      5_000,
      "the submission's events to be queued",
    );
    const undispatched = async () =>
      (
        await db
          .selectFrom('events')
          .select('id')
          .where('comment_id', '=', c.body.id)
          .where('dispatched_at', 'is', null)
          .execute()
      ).length;
    // The request spent no statement marking them.
    expect(await undispatched()).toBe(events.length);
    // A sweep leaves fresh events to the workers they were handed to.
    expect(await ctx.container.relay.sweep()).toBe(0);
    const processEvent = createProcessEventJob({
      db,
      producer: () => ctx.container.queue.producer,
      threadCache: ctx.container.threadCache,
    });
    const job = { id: events[0]!.id, name: 'event', data: { eventId: events[0]!.id }, attemptsMade: 0, maxAttempts: 5 };
    // The events job's one read of its event (every step is given the row) is what marks it.
    const taken = await readEventOf(db, job);
    expect(taken?.event.id).toBe(events[0]!.id);
    expect(await undispatched()).toBe(events.length - 1);
    await processEvent(job, taken!);
    expect(await undispatched()).toBe(events.length - 1);
  });

  it('the sweeper hands over an event no process handed over, once', async () => {
    const db = ctx.container.database.db;
    const c = await submit(ctx, 'life', { articleId: 'orphaned' });
    await ctx.container.relay.drain();
    // As if the writer had died between its commit and the hand-off: never queued, a while ago.
    const orphan = await db
      .updateTable('events')
      .set({ dispatched_at: null, created_at: new Date(Date.now() - 60_000) })
      .where('comment_id', '=', c.body.id)
      .returning('id')
      .execute();
    expect(orphan.length).toBeGreaterThan(0);
    const marked = async () =>
      (
        await db
          .selectFrom('events')
          .select('id')
          .where('comment_id', '=', c.body.id)
          .where('dispatched_at', 'is not', null)
          .execute()
      ).length;
    if (inMemory()) {
      // Held in memory, the event is handed over once however often it is swept, and stays unmarked
      // until a worker has run it.
      const waiting = (await ctx.container.queue.counts()).events.waiting;
      await ctx.container.relay.sweep();
      await ctx.container.relay.sweep();
      expect((await ctx.container.queue.counts()).events.waiting).toBe(waiting);
      expect(await marked()).toBe(0);
    } else {
      expect(await ctx.container.relay.sweep()).toBe(orphan.length);
      expect(await marked()).toBe(orphan.length);
      // Handed over once: the next pass finds nothing more.
      expect(await ctx.container.relay.sweep()).toBe(0);
    }
  });

  it('invalidates a thread page once per change: not again for each event its writer handed over', async () => {
    const c = await submit(ctx, 'life', { articleId: 'storm' });
    const event = await ctx.container.database.db
      .selectFrom('events')
      .select('id')
      .where('comment_id', '=', c.body.id)
      .where('type', '=', 'comment.approved')
      .executeTakeFirstOrThrow();
    const invalidated: string[] = [];
    const processEvent = createProcessEventJob({
      db: ctx.container.database.db,
      producer: () => ctx.container.queue.producer,
      threadCache: { ...ctx.container.threadCache, invalidate: async (_s, article) => void invalidated.push(article) },
    });
    const job = (data: Record<string, unknown>) => ({
      id: event.id,
      name: 'event',
      data,
      attemptsMade: 0,
      maxAttempts: 5,
    });
    const run = async (j: ReturnType<typeof job>) =>
      processEvent(j, (await readEventOf(ctx.container.database.db, j))!);
    await run(job({ eventId: event.id }));
    expect(invalidated).toEqual([]);
    // Found by the sweeper: its writer may have died between commit and invalidation.
    await run(job({ eventId: event.id, recovered: true }));
    expect(invalidated).toEqual(['storm']);
  });
});

describe('deletion', () => {
  it('blanks text and personal data in place; replies keep their place under a placeholder', async () => {
    const parent = await submit(ctx, 'life', { articleId: 'd1', body: 'to be deleted', email: 'gone@example.com' });
    const reply = await submit(ctx, 'life', { articleId: 'd1', body: 'still here', parentId: parent.body.id });
    const lonely = await submit(ctx, 'life', { articleId: 'd1', body: 'deleted without replies' });
    await ctx.container.erasure.eraseComment(actor, parent.body.id, 'author asked');
    await ctx.container.erasure.eraseComment(actor, lonely.body.id);
    const t = await thread('d1');
    expect(t.article.commentCount).toBe(1);
    expect(t.comments).toHaveLength(1);
    expect(t.comments[0]).toMatchObject({ id: parent.body.id, deleted: true, name: '', html: '' });
    expect(t.comments[0].replies[0]).toMatchObject({ id: reply.body.id, html: '<p>still here</p>' });
    expect(JSON.stringify(t)).not.toContain('to be deleted');
    const { comment, log } = await ctx.container.moderation.show(parent.body.id);
    expect(comment).toMatchObject({ status: 'deleted', body: '', name: '', email: '', ip: null, userAgent: null });
    expect(log.at(-1)).toMatchObject({ from: 'approved', to: 'deleted', note: 'author asked' });
    // Nothing can revive a deleted comment, and nobody can reply to it.
    await expect(ctx.container.moderation.setStatus(parent.body.id, 'approved', actor)).rejects.toThrow(/cannot/);
    expect((await submit(ctx, 'life', { articleId: 'd1', parentId: parent.body.id })).status).toBe(404);
  });

  it('erases every comment of an author on a site, and writes comment.deleted events', async () => {
    const a = await submit(ctx, 'life', { articleId: 'd2', email: 'Erase.Me@example.com' });
    const b = await submit(ctx, 'life', { articleId: 'd3', email: 'erase.me@example.com' });
    await submit(ctx, 'life', { articleId: 'd2', email: 'keep@example.com' });
    expect(await ctx.container.erasure.eraseAuthor(actor, 'life', 'ERASE.ME@example.com')).toBe(2);
    const db = ctx.container.database.db;
    const events = await db
      .selectFrom('events')
      .select(['type', 'comment_id'])
      .where('type', '=', 'comment.deleted')
      .execute();
    expect(events.map((e) => e.comment_id)).toEqual(expect.arrayContaining([a.body.id, b.body.id]));
    expect((await thread('d2')).comments).toHaveLength(1);
  });
});

describe('maintenance', () => {
  const job = () =>
    createMaintenanceJob({
      db: ctx.container.database.db,
      sites: ctx.container.sites,
      relay: ctx.container.relay,
      producer: () => ctx.container.queue.producer,
      log: ctx.container.log,
    });
  const run = (name: string) => job()({ id: name, name, data: {}, attemptsMade: 0, maxAttempts: 1 });

  it('purges spam older than the site retention, keeping recent spam and spam with replies', async () => {
    const db = ctx.container.database.db;
    const old = await submit(ctx, 'life', { articleId: 'sp' });
    const recent = await submit(ctx, 'life', { articleId: 'sp' });
    const withReply = await submit(ctx, 'life', { articleId: 'sp' });
    await submit(ctx, 'life', { articleId: 'sp', parentId: withReply.body.id });
    for (const c of [old, recent, withReply]) await ctx.container.moderation.setStatus(c.body.id, 'spam', actor);
    await db
      .updateTable('comments')
      .set({ updated_at: new Date(Date.now() - 8 * 86_400_000) })
      .where('id', 'in', [old.body.id, withReply.body.id])
      .execute();
    await run('purge-spam');
    const left = await db.selectFrom('comments').select('id').where('status', '=', 'spam').execute();
    expect(left.map((r) => r.id).sort()).toEqual([recent.body.id, withReply.body.id].sort());
  });

  it('purges spam with its events and its Idempotency-Key answer, which copy its name and text', async () => {
    const db = ctx.container.database.db;
    const spam = await submit(
      ctx,
      'life',
      { articleId: 'sp2', body: 'cheap pills, purged' },
      { 'idempotency-key': 'sp2' },
    );
    const kept = await submit(
      ctx,
      'life',
      { articleId: 'sp2', body: 'recent spam, kept' },
      { 'idempotency-key': 'sp3' },
    );
    for (const c of [spam, kept]) await ctx.container.moderation.setStatus(c.body.id, 'spam', actor);
    await db
      .updateTable('comments')
      .set({ updated_at: new Date(Date.now() - 8 * 86_400_000) })
      .where('id', '=', spam.body.id)
      .execute();
    const eventsOf = async (id: string) =>
      (await db.selectFrom('events').select('id').where('comment_id', '=', id).execute()).length;
    expect(await eventsOf(spam.body.id)).toBe(3);
    await run('purge-spam');
    expect(await eventsOf(spam.body.id)).toBe(0);
    expect(await eventsOf(kept.body.id)).toBe(3);
    const orphans = await db.selectFrom('events').select('id').where('comment_id', 'is', null).execute();
    expect(orphans).toHaveLength(0);
    const keys = await db.selectFrom('idempotency_keys').select('key').where('key', 'in', ['sp2', 'sp3']).execute();
    expect(keys.map((k) => k.key)).toEqual(['sp3']);
  });

  it("deletes events dispatched longer ago than the site's retention, unless a delivery is still retried", async () => {
    const db = ctx.container.database.db;
    await createSite(ctx, 'keeps-events', { moderation: 'none', eventRetentionDays: 60 });
    const old = await submit(ctx, 'life', { articleId: 'ret' });
    const recent = await submit(ctx, 'life', { articleId: 'ret' });
    const retried = await submit(ctx, 'life', { articleId: 'ret' });
    const elsewhere = await submit(ctx, 'keeps-events', { articleId: 'ret' });
    await ctx.container.relay.drain();
    const longAgo = new Date(Date.now() - 31 * 86_400_000);
    await db
      .updateTable('events')
      .set({ dispatched_at: longAgo })
      .where('comment_id', 'in', [old.body.id, retried.body.id, elsewhere.body.id])
      .execute();
    await db
      .updateTable('events')
      .set({ dispatched_at: new Date() })
      .where('comment_id', '=', recent.body.id)
      .execute();
    const { id: endpointId } = (await ctx.container.webhooks.create('life', { url: 'https://hooks.example/ret' }))
      .endpoint;
    const retriedEvent = await db
      .selectFrom('events')
      .select('id')
      .where('comment_id', '=', retried.body.id)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('webhook_deliveries')
      .values({
        id: '0190a0a0-0000-7000-8000-0000000000d1',
        endpoint_id: endpointId,
        event_id: retriedEvent.id,
        status: 'pending',
      })
      .execute();
    await run('purge-events');
    const left = async (id: string) =>
      (await db.selectFrom('events').select('id').where('comment_id', '=', id).execute()).length;
    expect(await left(old.body.id)).toBe(0);
    expect(await left(recent.body.id)).toBeGreaterThan(0);
    expect(await left(retried.body.id)).toBeGreaterThan(0);
    expect(await left(elsewhere.body.id)).toBeGreaterThan(0);
    expect((await ctx.container.sites.get('life')).settings.eventRetentionDays).toBe(30);
  });

  it('closes articles past their closing age', async () => {
    const db = ctx.container.database.db;
    await submit(ctx, 'life', { articleId: 'aging' });
    await submit(ctx, 'life', { articleId: 'fresh' });
    await db
      .updateTable('articles')
      .set({ first_comment_at: new Date(Date.now() - 11 * 86_400_000) })
      .where('external_id', '=', 'aging')
      .execute();
    await run('close-articles');
    const rows = await db
      .selectFrom('articles')
      .select(['external_id', 'closed_at'])
      .where('external_id', 'in', ['aging', 'fresh'])
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.external_id, r.closed_at !== null]))).toEqual({
      aging: true,
      fresh: false,
    });
  });

  it('sweeps the outbox: every event is handed to the queue', async () => {
    await submit(ctx, 'life', { articleId: 'sweep' });
    await ctx.container.relay.drain();
    const db = ctx.container.database.db;
    await db
      .updateTable('events')
      .set({ dispatched_at: null, created_at: new Date(Date.now() - 60_000) })
      .execute();
    await run('sweep-outbox');
    const left = await db.selectFrom('events').select('id').where('dispatched_at', 'is', null).execute();
    const counts = await ctx.container.queue.counts();
    expect(counts.events.waiting).toBeGreaterThan(0); // no worker runs in this file
    if (inMemory()) {
      // Each event is held by the queue, once however often it is swept, unmarked until a worker has run it.
      expect(left.length).toBeGreaterThan(0);
      expect(counts.events.waiting).toBeGreaterThanOrEqual(left.length);
      await run('sweep-outbox');
      expect((await ctx.container.queue.counts()).events.waiting).toBe(counts.events.waiting);
    } else expect(left).toHaveLength(0);
  });
});
