// The events job, against the real queue (BullMQ under this test's own Redis prefix, or the database
// queue) and a real SMTP server process: one job per lifecycle event does every step itself (spam
// model, webhooks, subscriber mail, moderator alerts) and queues only the mail that is to be sent; run
// again after a failure in a later step, or replayed whole, it sends each mail once.
import { type ConnectionOptions, Queue } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { countUndispatched } from '../../src/events/outbox.repository.ts';
import type { Job, QueueName } from '../../src/jobs/job-queue.ts';
import { readEventsOf } from '../../src/webhooks/process-event.job.ts';
import { createUser } from '../support/accounts.ts';
import { createSite, submit } from '../support/http.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver, waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let receiver: SmtpReceiver;
let hooks: Receiver;
const OPEN = 'evjob-open';
const HELD = 'evjob-held';
const BATCH = 'evjob-batch';
const MODERATOR = 'watcher@example.com';
const COUNTED: QueueName[] = ['events', 'mail', 'webhooks'];

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  ctx = await createTestContext(
    {
      SMTP_URL: receiver.url,
      MAIL_FROM: 'Example News <noreply@example.com>',
      PUBLIC_URL: 'https://comments.example',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    },
    { smtpTimeouts: { connectionMs: 1_000, greetingMs: 1_000, socketMs: 3_000 } },
  );
  await createSite(ctx, OPEN, { moderation: 'none' });
  await createSite(ctx, HELD, { moderation: 'all' });
  await createSite(ctx, BATCH, { moderation: 'none' });
  hooks = await startReceiver();
  await createUser(ctx, MODERATOR, 'moderator', [HELD]);
  const cli = (...argv: string[]) => runCli(argv, ctx.container, { out: () => {}, err: () => {} });
  expect(await cli('alerts:set', '--email', MODERATOR, '--site', HELD, '--frequency', 'immediate')).toBe(0);
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx?.close();
  await receiver?.stop();
  await hooks?.close();
});

async function settled(): Promise<void> {
  await ctx.container.relay.drain();
  await waitUntil(
    async () => {
      if ((await countUndispatched(ctx.container.database.db)) > 0) return false;
      const c = await ctx.container.queue.counts();
      return c.events.waiting + c.events.active + c.mail.waiting + c.mail.active === 0;
    },
    20_000,
    'queues to settle',
  );
}

const jobMetric = async (queue: QueueName, outcome: 'completed' | 'retry') => {
  const metric = await ctx.container.metrics.registry.getSingleMetric('comments_jobs_total')?.get();
  return metric?.values.find((v) => v.labels.queue === queue && v.labels.outcome === outcome)?.value ?? 0;
};

/**
 * Every job the queue has been given so far, per queue: BullMQ's own counts under this test's prefix, or
 * the database queue's rows. The embedded mode holds events jobs in memory only (the outbox row is their
 * record): those are counted as they finish.
 */
async function jobsGiven(): Promise<Record<string, number>> {
  const { container } = ctx;
  const out: Record<string, number> = {};
  for (const name of COUNTED) {
    if (container.queue.kind === 'bullmq') {
      const q = new Queue(name, {
        connection: container.redis as unknown as ConnectionOptions,
        prefix: container.config.redisPrefix,
      });
      try {
        const c = await q.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed', 'prioritized', 'paused');
        out[name] = Object.values(c).reduce((a, b) => a + b, 0);
      } finally {
        await q.close();
      }
    } else {
      const row = await container.database.db
        .selectFrom('jobs')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('queue', '=', name)
        .executeTakeFirstOrThrow();
      out[name] = row.n;
    }
  }
  if (container.database.kind === 'pglite' && container.queue.kind === 'database')
    out.events = (out.events ?? 0) + (await jobMetric('events', 'completed'));
  return out;
}

const to = (address: string) => receiver.messages.filter((m) => m.envelope.to.includes(address));
const eventsOf = (commentId: string) =>
  ctx.container.database.db.selectFrom('events').select(['id', 'type']).where('comment_id', '=', commentId).execute();

describe('the events job', () => {
  it('costs a published comment without subscribers one events job for its two events (two, embedded) and no mail job', async () => {
    await settled();
    const before = await jobsGiven();
    const c = await submit(ctx, OPEN, { articleId: 'counted', email: 'plain@example.org' });
    expect(c.status).toBe(201);
    expect(c.body.status).toBe('approved');
    // Taken by a worker first: settled()'s drain would hand any event still waiting over again, alone.
    await waitUntil(async () => (await countUndispatched(ctx.container.database.db)) === 0, 20_000, 'the events taken');
    await settled();
    const after = await jobsGiven();
    expect((await eventsOf(c.body.id)).map((e) => e.type).sort()).toEqual(['comment.approved', 'comment.created']);
    // The writer hands over its commit's two events as one job; the embedded mode's in-memory lane
    // settles jobs by event id, so there each event keeps a job of its own.
    const embedded = ctx.container.database.kind === 'pglite' && ctx.container.queue.kind === 'database';
    expect(Object.fromEntries(COUNTED.map((q) => [q, after[q]! - before[q]!]))).toEqual({
      events: embedded ? 2 : 1,
      mail: 0,
      webhooks: 0,
    });
  });

  it('retried after a failure in its alert step, and replayed whole, sends each mail once', async () => {
    const db = ctx.container.database.db;
    const author = 'held.author@example.org';
    await settled();
    const retriesBefore = await jobMetric('events', 'retry');
    // A real failure in the last step: the alerts table is gone while the held comment's status event runs.
    await sql`alter table moderator_alerts rename to moderator_alerts_away`.execute(db);
    let restored = false;
    try {
      const c = await submit(ctx, HELD, {
        articleId: 'replayed',
        email: author,
        name: 'Held Author',
        notify: 'replies',
      });
      expect(c.status).toBe(201);
      expect(c.body.status).toBe('pending');
      // The subscriber step ran (its confirmation, queued as a mail job, went out) and the alert step failed.
      await waitUntil(async () => to(author).length > 0, 10_000, 'the confirmation');
      await waitUntil(async () => (await jobMetric('events', 'retry')) > retriesBefore, 10_000, 'a failed events run');
      expect(to(MODERATOR)).toHaveLength(0);
      await sql`alter table moderator_alerts_away rename to moderator_alerts`.execute(db);
      restored = true;
      // The retry runs every step again: the alert goes out now, the confirmation is not queued again.
      await waitUntil(async () => to(MODERATOR).length > 0, 15_000, 'the alert after the retry');
      await settled();
      expect(to(author)).toHaveLength(1);
      expect(to(MODERATOR)).toHaveLength(1);

      // Replayed whole, under job ids of their own (as if handed over again): nothing more is sent.
      const events = await eventsOf(c.body.id);
      expect(events).toHaveLength(2);
      for (const e of events)
        await ctx.container.queue.producer.add('events', 'event', { eventId: e.id }, { jobId: `replay-${e.id}` });
      await settled();
      expect(to(author)).toHaveLength(1);
      expect(to(MODERATOR)).toHaveLength(1);
      expect(to(author)[0]!.parsed.subject).toContain('Confirm');
    } finally {
      if (!restored) await sql`alter table moderator_alerts_away rename to moderator_alerts`.execute(db);
    }
  });
});

// The writer hands one tick's events over as one job carrying their ids (events/relay.ts); the embedded
// mode keeps a job per event (its in-memory lane settles jobs by event id), so these run on PostgreSQL.
describe.skipIf(process.env.TEST_DB === 'pglite')('a batched events job', () => {
  const db = () => ctx.container.database.db;
  /** As if just written and never handed over: the events undispatched again. */
  const undispatch = (ids: string[]) =>
    sql`update events set dispatched_at = null where id = any(${ids}::uuid[])`.execute(db());
  const deliveriesOf = async (endpointId: string, eventIds: string[]) =>
    (
      await db()
        .selectFrom('webhook_deliveries')
        .select('event_id')
        .where('endpoint_id', '=', endpointId)
        .where('event_id', 'in', eventIds)
        .execute()
    )
      .map((d) => d.event_id)
      .sort();
  /** A fresh endpoint of the batch site: deliveries to it show which events a run processed. */
  const endpoint = async (path: string) =>
    (await ctx.container.webhooks.create(BATCH, { url: `${hooks.url}${path}`, events: ['comment.approved'] })).endpoint;
  const approvedOn = async (articleId: string) => {
    const c = await submit(ctx, BATCH, { articleId });
    expect(c.status).toBe(201);
    // Taken by the batch its writer handed over (settled()'s drain would hand them over alone).
    await waitUntil(async () => (await countUndispatched(db())) === 0, 10_000, 'the events taken');
    await settled();
    return (await eventsOf(c.body.id)).find((e) => e.type === 'comment.approved')!.id;
  };
  const batch = (ids: string[]) =>
    ctx.container.queue.producer.add('events', 'event', { eventIds: ids }, { jobId: `test-batch-${ids[0]}` });

  it('runs its other events when one fails, and hands the failing one over alone to be retried', async () => {
    await settled();
    const [a, failing, b] = [await approvedOn('batch-a'), await approvedOn('batch-x'), await approvedOn('batch-b')];
    const hook = await endpoint('/batch-failing');
    const retriesBefore = await jobMetric('events', 'retry');
    // A real failure of one event's webhook step: the database refuses its delivery row, and only its.
    await sql`create function refuse_delivery() returns trigger language plpgsql as $$
      begin raise exception 'refused for the test'; end $$`.execute(db());
    await sql
      .raw(`create trigger refuse_delivery before insert on webhook_deliveries for each row
        when (new.event_id = '${failing}') execute function refuse_delivery()`)
      .execute(db());
    let restored = false;
    try {
      await undispatch([a, failing, b]);
      await batch([a, failing, b]);
      // The events before and after the failing one in the batch are processed.
      await waitUntil(async () => (await deliveriesOf(hook.id, [a, b])).length === 2, 10_000, 'both deliveries');
      // Handed over alone (job id = its event id), it fails again on its own retries.
      await waitUntil(async () => (await jobMetric('events', 'retry')) > retriesBefore, 10_000, 'its own retry');
      expect(await countUndispatched(db())).toBe(0);
      expect(await deliveriesOf(hook.id, [failing])).toEqual([]);
      await sql`drop trigger refuse_delivery on webhook_deliveries`.execute(db());
      restored = true;
      // Its retry succeeds now; nothing failed for good.
      await waitUntil(async () => (await deliveriesOf(hook.id, [failing])).length === 1, 15_000, 'its delivery');
      await settled();
      expect((await ctx.container.queue.counts()).events.failed).toBe(0);
      expect(await deliveriesOf(hook.id, [a, failing, b])).toEqual([a, failing, b].sort());
      await hooks.waitFor((all) => all.filter((r) => r.path === '/batch-failing').length >= 3);
    } finally {
      if (!restored) await sql`drop trigger if exists refuse_delivery on webhook_deliveries`.execute(db());
      await sql`drop function if exists refuse_delivery()`.execute(db());
    }
  });

  it('is harmless handed over twice, and next to the sweeper handing its events over alone', async () => {
    await settled();
    const ids = [await approvedOn('twice-a'), await approvedOn('twice-b')];
    const hook = await endpoint('/batch-twice');
    await undispatch(ids);
    // The same batch twice (the second add a no-op), and the sweeper's pass over the same events.
    await Promise.all([batch(ids), batch(ids), ctx.container.relay.sweep(0)]);
    await settled();
    expect(await countUndispatched(db())).toBe(0);
    expect(await deliveriesOf(hook.id, ids)).toEqual([...ids].sort());
    await hooks.waitFor((all) => all.filter((r) => r.path === '/batch-twice').length >= 2);
    // Each event's delivery sent once, however many runs saw it.
    await settled();
    const sent = hooks.received.filter((r) => r.path === '/batch-twice').map((r) => r.json?.data?.comment?.id);
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(2);
  });

  it('leaves out, on its first attempt only, events marked dispatched before it took them', async () => {
    await settled();
    const ids = [await approvedOn('first-a'), await approvedOn('first-b')];
    // Both were taken (marked) by the jobs their writer queued, as if the sweeper had handed them over.
    expect(await countUndispatched(db())).toBe(0);
    const run = (more: Partial<Job>) =>
      readEventsOf(db(), {
        id: 'b',
        name: 'event',
        data: { eventIds: ids },
        attemptsMade: 0,
        maxAttempts: 10,
        ...more,
      });
    expect(await run({})).toEqual([]);
    // A retry, or a run taken up again after its worker died: it may have marked them itself.
    expect((await run({ attemptsMade: 1 })).map((t) => t.event.id)).toEqual(ids);
    expect((await run({ startedBefore: true })).map((t) => t.event.id)).toEqual(ids);
    // Undispatched, they are the batch's to run, in its order.
    await undispatch(ids);
    expect((await run({})).map((t) => t.event.id)).toEqual(ids);
    expect(await countUndispatched(db())).toBe(0);
  });

  it('leaves events nobody handed over to the sweeper, which recovers them one job each', async () => {
    await settled();
    const ids = [await approvedOn('swept-a'), await approvedOn('swept-b')];
    const hook = await endpoint('/batch-swept');
    // Written, then the writer died before its hand-off: only the outbox knows them.
    await undispatch(ids);
    expect(await countUndispatched(db())).toBe(2);
    expect(await ctx.container.relay.sweep(0)).toBe(2);
    await settled();
    expect(await deliveriesOf(hook.id, ids)).toEqual([...ids].sort());
    // Recovered events are handed over alone, under their event ids.
    if (ctx.container.queue.kind === 'bullmq') {
      const q = new Queue('events', {
        connection: ctx.container.redis as unknown as ConnectionOptions,
        prefix: ctx.container.config.redisPrefix,
      });
      try {
        for (const id of ids) expect((await q.getJob(id))?.data).toEqual({ eventId: id, recovered: true });
      } finally {
        await q.close();
      }
    }
  });
});
