// Runs one job through the app's real queue (BullMQ or the database queue) and waits for its outcome:
// what a scheduled job does, triggered now and deterministically instead of after a sleep.
import { randomUUID } from 'node:crypto';
import { type ConnectionOptions, Queue } from 'bullmq';
import type { QueueName } from '../../src/jobs/job-queue.ts';
import type { TestContext } from './test-app.ts';
import { waitUntil } from './webhook-receiver.ts';

async function stateOf(ctx: TestContext, queue: QueueName, jobId: string): Promise<string> {
  const { container } = ctx;
  if (container.queue.kind === 'database') {
    const row = await container.database.db
      .selectFrom('jobs')
      .select('status')
      .where('id', '=', `${queue}:${jobId}`)
      .executeTakeFirst();
    return row?.status ?? 'unknown';
  }
  const q = new Queue(queue, {
    connection: container.redis as unknown as ConnectionOptions,
    prefix: container.config.redisPrefix,
  });
  try {
    return await q.getJobState(jobId);
  } finally {
    await q.close();
  }
}

/** Adds the job and resolves once a worker completed it; rejects if it failed for good. */
export async function runJob(
  ctx: TestContext,
  queue: QueueName,
  name: string,
  data: Record<string, unknown> = {},
  timeoutMs = 20_000,
): Promise<void> {
  const jobId = `test-${name}-${randomUUID()}`;
  await ctx.container.queue.producer.add(queue, name, data, { jobId });
  const state = await waitUntil(
    async () => {
      const s = await stateOf(ctx, queue, jobId);
      return s === 'completed' || s === 'failed' ? s : false;
    },
    timeoutMs,
    `job ${name} to finish`,
  );
  if (state === 'failed') throw new Error(`job ${name} failed`);
}
