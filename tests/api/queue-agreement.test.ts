// A process must hand events to the queue its deployment's workers read: a CLI run with DATABASE_URL
// but without REDIS_URL on a PostgreSQL + Redis deployment refuses instead of stranding its events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import type { Container } from '../../src/container.ts';
import { agreeOnQueue, QueueMismatchError, queueIdentity, recordQueue } from '../../src/jobs/queue-agreement.ts';
import { createSite, submit } from '../support/http.ts';
import { testDb, testQueue } from '../support/stores.ts';
import { createOtherProcess, createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let receiver: Receiver;
beforeAll(async () => {
  ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  receiver = await startReceiver();
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx.close();
  await receiver.close();
});

// PGlite in memory has one process, the test's own; on PostgreSQL other processes open the same schema.
const anotherProcess = createOtherProcess;

async function cli(container: Container, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, container, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("the deployment's queue backend", () => {
  it.skipIf(testQueue() !== 'redis')(
    'a process without REDIS_URL on a Redis deployment refuses to start, naming REDIS_URL; with it, it starts',
    async () => {
      const attempt = anotherProcess({ ...ctx.config, redisUrl: null });
      await expect(attempt).rejects.toBeInstanceOf(QueueMismatchError);
      await expect(attempt).rejects.toThrow(/take jobs from Redis .*REDIS_URL is not set here/);
      await expect(anotherProcess({ ...ctx.config, redisPrefix: 'someone-else' })).rejects.toThrow(
        /REDIS_PREFIX is "someone-else" here, but this deployment's workers use "test-/,
      );
      const same = await anotherProcess(ctx.config);
      await same.close();
    },
  );

  it('refuses the other backend than the one recorded, and accepts it once the operator records it', async () => {
    const db = ctx.container.database.db;
    const recorded = queueIdentity(ctx.config);
    await expect(agreeOnQueue(db, recorded)).resolves.toBeUndefined();
    const other =
      recorded.backend === 'redis' ? ({ backend: 'database' } as const) : ({ backend: 'redis', prefix: 'p' } as const);
    await expect(agreeOnQueue(db, other)).rejects.toThrow(
      recorded.backend === 'redis'
        ? /REDIS_URL is not set here/
        : /the database \(no REDIS_URL\).*REDIS_URL is set here/,
    );
    // `npm run migrate -- --record-queue` with the new environment moves the deployment…
    await recordQueue(db, other);
    await expect(agreeOnQueue(db, other)).resolves.toBeUndefined();
    await expect(agreeOnQueue(db, recorded)).rejects.toBeInstanceOf(QueueMismatchError);
    // …and back, for the rest of this file.
    await recordQueue(db, recorded);
    await expect(agreeOnQueue(db, recorded)).resolves.toBeUndefined();
  });

  it("a CLI run with the deployment's environment hands comments:set-status events to its workers", async () => {
    await createSite(ctx, 'agree', { moderation: 'all' });
    await ctx.container.webhooks.create('agree', { url: `${receiver.url}/agree`, events: ['comment.approved'] });
    const c = await submit(ctx, 'agree');
    const process = testDb() === 'postgres' ? await anotherProcess(ctx.config) : ctx.container;
    try {
      const res = await cli(process, 'comments:set-status', '--id', c.body.id, '--status', 'approved');
      expect(res.code).toBe(0);
    } finally {
      if (process !== ctx.container) await process.close();
    }
    const [got] = await receiver.waitFor((all) => all.some((r) => r.path === '/agree'));
    expect(got!.json).toMatchObject({ type: 'comment.approved', data: { comment: { id: c.body.id } } });
  });
});
