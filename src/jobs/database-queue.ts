// The queue without Redis: jobs are rows in the database, so they survive a restart, and several
// worker processes on one PostgreSQL share them safely (FOR UPDATE SKIP LOCKED).
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import * as repo from './job.repository.ts';
import {
  type Job,
  type JobHandler,
  PermanentJobError,
  QUEUE_NAMES,
  type QueueBackend,
  type QueueName,
  type WorkerOptions,
} from './job-queue.ts';
import type { RetryPolicy } from './retry-policy.ts';

const POLL_MS = 250;

/**
 * `lockMs` must exceed any job's run time (webhook requests time out after 10 s). `exclusive`: this
 * process is the only consumer (embedded PGlite), so jobs found active at start were cut off by a
 * stop and are resumed at once.
 */
export function createDatabaseQueue(deps: {
  db: Db;
  log: Logger;
  retry: RetryPolicy;
  lockMs: number;
  exclusive: boolean;
  pollMs?: number;
}): QueueBackend {
  const { db, log, retry } = deps;
  const pollMs = deps.pollMs ?? POLL_MS;
  const LOCK_MS = Math.max(deps.lockMs, 30_000);
  let running = false;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const wakers = new Map<QueueName, () => void>();
  const scheduled = new Set<string>();

  async function runJob(
    queue: QueueName,
    handler: JobHandler,
    row: Awaited<ReturnType<typeof repo.claimDueJobs>>[number],
  ) {
    const job: Job = {
      id: row.id,
      name: row.name,
      data: row.data as Record<string, unknown>,
      attemptsMade: row.attempts_made - 1,
      maxAttempts: row.max_attempts,
    };
    // As BullMQ renews its locks: a job that runs longer than the lock (an import) keeps it while it
    // runs, so no other worker takes it; a killed worker stops renewing and the job is handed on.
    const renew = setInterval(() => void repo.extendJobLock(db, row.id, LOCK_MS).catch(() => {}), LOCK_MS / 3);
    renew.unref();
    try {
      await handler(job);
      clearInterval(renew);
      await repo.completeJob(db, row.id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof PermanentJobError || row.attempts_made >= row.max_attempts) {
        log.warn({ queue, jobId: row.id, attempts: row.attempts_made, err: message }, 'job failed');
        await repo.failJob(db, row.id, message);
      } else {
        const delay = retry.delayMs(queue, row.attempts_made, err);
        log.info(
          { queue, jobId: row.id, attempt: row.attempts_made, retryInMs: delay, err: message },
          'job will retry',
        );
        await repo.retryJob(db, row.id, new Date(Date.now() + delay), message);
      }
    } finally {
      clearInterval(renew);
    }
  }

  function consume(queue: QueueName, handler: JobHandler, concurrency: number) {
    let active = 0;
    let polling = false;
    const poll = async () => {
      if (!running || polling) return;
      polling = true;
      try {
        const free = concurrency - active;
        if (free > 0) {
          const rows = await repo.claimDueJobs(db, queue, free, LOCK_MS);
          for (const row of rows) {
            active++;
            const p = runJob(queue, handler, row)
              .catch((err) => log.error({ err, queue }, 'job bookkeeping failed'))
              .finally(() => {
                active--;
                inFlight.delete(p);
                void poll();
              });
            inFlight.add(p);
          }
        }
      } catch (err) {
        log.warn({ err: (err as Error).message, queue }, 'queue poll failed');
      } finally {
        polling = false;
      }
    };
    wakers.set(queue, () => void poll());
    const timer = setInterval(() => void poll(), pollMs);
    timer.unref();
    timers.add(timer);
    void poll();
  }

  return {
    kind: 'database',
    producer: {
      async add(queue, name, data, opts) {
        await this.addBulk(queue, [{ name, data, opts }]);
      },
      async addBulk(queue, jobs) {
        if (jobs.length === 0) return;
        await repo.insertJobs(
          db,
          jobs.map((j) => ({
            id: `${queue}:${j.opts.jobId}`,
            queue,
            name: j.name,
            data: j.data,
            maxAttempts: retry.maxAttempts[queue],
            runAt: new Date(Date.now() + (j.opts.delayMs ?? 0)),
          })),
        );
        if (jobs.some((j) => !j.opts.delayMs)) wakers.get(queue)?.();
      },
    },

    async startWorkers(handlers: Record<QueueName, JobHandler>, opts?: WorkerOptions) {
      running = true;
      const released = await repo.releaseStalledJobs(db, deps.exclusive);
      if (released) log.info({ released }, 'picked up jobs left running by a stopped worker');
      const stalled = setInterval(() => void repo.releaseStalledJobs(db).catch(() => {}), LOCK_MS);
      stalled.unref();
      timers.add(stalled);
      for (const queue of QUEUE_NAMES) consume(queue, handlers[queue], opts?.concurrency[queue] ?? 5);
    },

    async schedule(name, everyMs) {
      if (scheduled.has(name)) return; // registering again is a no-op, as with BullMQ
      scheduled.add(name);
      // Every worker ticks; the job id of the time slot makes one run per slot across processes.
      const tick = () => {
        const slot = Math.floor(Date.now() / everyMs);
        this.producer
          .add('maintenance', name, {}, { jobId: `${name}-${slot}` })
          .catch((err) => log.warn({ err: (err as Error).message, name }, 'could not schedule'));
      };
      const timer = setInterval(tick, Math.min(everyMs, 60_000));
      timer.unref();
      timers.add(timer);
      tick();
    },

    async counts() {
      const out = Object.fromEntries(QUEUE_NAMES.map((q) => [q, { waiting: 0, active: 0, failed: 0 }])) as Awaited<
        ReturnType<QueueBackend['counts']>
      >;
      for (const r of await repo.countJobs(db)) {
        const entry = out[r.queue as QueueName];
        if (entry) entry[r.status as 'waiting' | 'active' | 'failed'] = r.n;
      }
      return out;
    },

    async close() {
      running = false;
      for (const t of timers) clearInterval(t);
      timers.clear();
      // In-flight jobs finish (each is bounded by its own timeouts); if we were killed instead,
      // their lock expires and another start picks them up.
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 15_000).unref())]);
    },
  };
}
