// The database job queue (used when REDIS_URL is absent) with several consumers on one database: on
// PostgreSQL each consumer has its own connection pool, as separate worker processes would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { createDatabaseQueue } from '../../src/jobs/database-queue.ts';
import { type JobHandler, PermanentJobError, type QueueBackend } from '../../src/jobs/job-queue.ts';
import { createRetryPolicy } from '../../src/jobs/retry-policy.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { testDb } from '../support/stores.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let second: DatabaseHandle | null = null;
beforeAll(async () => {
  ctx = await createTestContext();
  // PGlite is one in-process database: both consumers share it (their claims still interleave).
  if (testDb() === 'postgres') second = createDatabase(ctx.config.database);
});
afterAll(async () => {
  await second?.close();
  await ctx.close();
});

function consumer(db: DatabaseHandle['db']): QueueBackend {
  return createDatabaseQueue({
    db,
    log: createLogger('silent'),
    retry: createRetryPolicy(),
    lockMs: 30_000,
    exclusive: false,
    pollMs: 5,
  });
}

describe('database job queue', () => {
  it('two concurrent consumers take 1,000 jobs exactly 1,000 times between them, none twice', async () => {
    const claims: string[] = [];
    const record: JobHandler = async (job) => void claims.push(job.id);
    const idle: JobHandler = async () => {};
    const handlers = { webhooks: record, events: idle, maintenance: idle, mail: idle, imports: idle };
    const a = consumer(ctx.container.database.db);
    const b = consumer(second?.db ?? ctx.container.database.db);
    const jobs = Array.from({ length: 1000 }, (_, i) => ({
      name: 'deliver',
      data: { i },
      opts: { jobId: `job-${i}` },
    }));
    await a.producer.addBulk('webhooks', jobs);
    const concurrency = { concurrency: { webhooks: 50 } };
    await Promise.all([a.startWorkers(handlers, concurrency), b.startWorkers(handlers, concurrency)]);
    await waitUntil(
      async () => {
        const { webhooks } = await a.counts();
        return webhooks.waiting === 0 && webhooks.active === 0;
      },
      30_000,
      'every job completed',
    );
    // close() waits for the jobs in flight, so every claim made has run its handler.
    await Promise.all([a.close(), b.close()]);
    expect(claims).toHaveLength(1000);
    expect(new Set(claims).size).toBe(1000);
  });
});

describe('a job whose lock expired and was taken by another worker', () => {
  it.each([
    ['completed', async () => {}],
    ['failed', async () => Promise.reject(new PermanentJobError('gone'))],
  ] as const)('is not %s by the worker that lost it', async (_outcome, finish) => {
    const db = ctx.container.database.db;
    const jobId = `lost-lock-${_outcome}`;
    const rowId = `webhooks:${jobId}`;
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((r) => (open = r));
      return { open, opened };
    };
    const aStarted = gate();
    const aGoes = gate();
    const bStarted = gate();
    const bGoes = gate();
    const idle: JobHandler = async () => {};
    const handlers = (webhooks: JobHandler) => ({
      webhooks,
      events: idle,
      maintenance: idle,
      mail: idle,
      imports: idle,
    });
    const a = consumer(db);
    const b = consumer(second?.db ?? db);
    await a.producer.add('webhooks', 'deliver', {}, { jobId });
    await a.startWorkers(
      handlers(async () => {
        aStarted.open();
        await aGoes.opened;
        await finish();
      }),
      // Busy with this job, A takes no other: only B can take it over.
      { concurrency: { webhooks: 1 } },
    );
    await aStarted.opened;
    // As if A had stalled past its lock: the lock runs out and B takes the job over.
    await db
      .updateTable('jobs')
      .set({ locked_until: new Date(Date.now() - 1_000) })
      .where('id', '=', rowId)
      .execute();
    await b.startWorkers(
      handlers(async () => {
        bStarted.open();
        await bGoes.opened;
      }),
    );
    await bStarted.opened;
    aGoes.open();
    await a.close(); // waits for A's run and its bookkeeping
    const row = async () =>
      db.selectFrom('jobs').select(['status', 'attempts_made']).where('id', '=', rowId).executeTakeFirstOrThrow();
    expect(await row()).toEqual({ status: 'active', attempts_made: 2 });
    bGoes.open();
    await b.close();
    expect(await row()).toEqual({ status: 'completed', attempts_made: 2 });
  });
});

// The only consumer (embedded) polls rarely: it knows each job it is given, and wakes up for one due later.
describe.runIf(testDb() === 'pglite')('an exclusive consumer', () => {
  it('runs a delayed job and a retried one when they are due, with no poll to find them', async () => {
    const ran: string[] = [];
    let tries = 0;
    const idle: JobHandler = async () => {};
    const queue = createDatabaseQueue({
      db: ctx.container.database.db,
      log: createLogger('silent'),
      retry: createRetryPolicy({ webhookScheduleMs: [100], jitter: 0 }),
      lockMs: 30_000,
      exclusive: true,
      // Longer than the wait below: only the wake-ups can run these jobs in time.
      pollMs: 600_000,
    });
    await queue.startWorkers({
      webhooks: async (job) => {
        if (job.name === 'flaky' && tries++ === 0) throw new Error('first try fails');
        ran.push(job.name);
      },
      events: idle,
      maintenance: idle,
      mail: idle,
      imports: idle,
    });
    await queue.producer.add('webhooks', 'delayed', {}, { jobId: 'exclusive-delayed', delayMs: 150 });
    await queue.producer.add('webhooks', 'flaky', {}, { jobId: 'exclusive-flaky' });
    try {
      await waitUntil(async () => ran.length === 2, 20_000, 'both jobs ran');
      expect(ran.sort()).toEqual(['delayed', 'flaky']);
      expect(tries).toBe(2);
    } finally {
      await queue.close();
    }
  });
});
