// The production queue: BullMQ on Redis. Producers fail fast when Redis is down (the outbox keeps the
// event); workers wait for Redis to come back. The producers have a connection of their own: ioredis
// copies every script defined on a connection (BullMQ defines about fifty) into each multi() and
// pipeline() made on it, which made the request path's own Redis commands several times dearer.
import { type ConnectionOptions, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createRedis, waitUntilReady } from '../shared/redis.ts';
import {
  type AddOptions,
  type JobHandler,
  PermanentJobError,
  QUEUE_NAMES,
  type QueueBackend,
  type QueueName,
  type WorkerOptions,
} from './job-queue.ts';
import type { RetryPolicy } from './retry-policy.ts';

export async function createBullmqQueue(deps: {
  redisUrl: string;
  prefix: string;
  log: Logger;
  retry: RetryPolicy;
  lockDurationMs?: number;
}): Promise<QueueBackend> {
  const { log, retry, prefix } = deps;
  // Fails fast like the request path's connection; ready before the first event is handed over.
  const producerConnection = createRedis(deps.redisUrl, 'command', log);
  await waitUntilReady(producerConnection, 2_000);
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  const workerConnections: Redis[] = [];

  /** BullMQ would wait for a connection that never came up; the outbox keeps the job instead. */
  const requireConnection = () => {
    if (producerConnection.status !== 'ready') throw new Error(`Redis is not connected (${producerConnection.status})`);
  };

  const jobOptions = (name: QueueName, opts: AddOptions) => ({
    jobId: opts.jobId,
    ...(opts.delayMs ? { delay: opts.delayMs } : {}),
    attempts: retry.maxAttempts[name],
    backoff: { type: 'policy' },
    // Completed jobs are kept a day so a re-add of the same id stays a no-op (dedupe window).
    removeOnComplete: { age: 86_400, count: 50_000 },
    removeOnFail: { age: 7 * 86_400 },
  });

  const queue = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: producerConnection as unknown as ConnectionOptions, prefix });
      q.on('error', (err) => log.warn({ err: err.message, queue: name }, 'queue error'));
      queues.set(name, q);
    }
    return q;
  };

  return {
    kind: 'bullmq',
    producer: {
      async add(name, jobName, data, opts) {
        requireConnection();
        await queue(name).add(jobName, data, jobOptions(name, opts));
      },
      async addBulk(name, jobs) {
        if (jobs.length === 0) return;
        requireConnection();
        await queue(name).addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: jobOptions(name, j.opts) })));
      },
    },

    async startWorkers(handlers: Record<QueueName, JobHandler>, opts?: WorkerOptions) {
      for (const name of QUEUE_NAMES) {
        const connection = createRedis(deps.redisUrl, 'worker', log);
        workerConnections.push(connection);
        const handler = handlers[name];
        const worker = new Worker(
          name,
          async (job) => {
            try {
              await handler({
                id: job.id!,
                name: job.name,
                data: job.data,
                attemptsMade: job.attemptsMade,
                // BullMQ counts every start (a stalled job taken up again too), not only failed attempts.
                startedBefore: job.attemptsStarted > 1,
                maxAttempts: job.opts.attempts ?? 1,
              });
            } catch (err) {
              if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
              throw err;
            }
          },
          {
            connection: connection as unknown as ConnectionOptions,
            prefix,
            concurrency: opts?.concurrency[name] ?? 5,
            // A killed worker's job is taken over once its lock lapses (checked as often as the lock lasts).
            lockDuration: deps.lockDurationMs ?? 30_000,
            stalledInterval: deps.lockDurationMs ?? 30_000,
            // Delay before the retry that follows failed attempt number `attemptsMade`.
            settings: {
              backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
                retry.delayMs(name, attemptsMade, err),
            },
          },
        );
        worker.on('error', (err) => log.warn({ err: err.message, queue: name }, 'worker error'));
        worker.on('failed', (job, err) => {
          if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
            log.warn({ queue: name, jobId: job.id, err: err.message }, 'job failed');
        });
        workers.push(worker);
      }
    },

    async schedule(name, everyMs) {
      await queue('maintenance').upsertJobScheduler(
        name,
        { every: everyMs },
        { name, data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
      );
    },

    async counts() {
      const out = {} as Awaited<ReturnType<QueueBackend['counts']>>;
      for (const name of QUEUE_NAMES) {
        const c = await queue(name).getJobCounts('waiting', 'delayed', 'active', 'failed', 'prioritized');
        out[name] = {
          waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          failed: c.failed ?? 0,
        };
      }
      return out;
    },

    async close() {
      // Worker.close() waits for the jobs in flight to finish; a killed worker's jobs are picked up
      // again after their lock expires (BullMQ's stalled-job check).
      // Bounded: with Redis down, BullMQ's close would wait for it.
      const bounded = (p: Promise<unknown>, ms: number) =>
        Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, ms).unref())]);
      await bounded(Promise.all(workers.map((w) => w.close())), 15_000);
      await bounded(Promise.all([...queues.values()].map((q) => q.close())), 2_000);
      for (const c of workerConnections) c.disconnect();
      producerConnection.disconnect();
    },
  };
}
