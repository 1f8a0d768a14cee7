// The queue without Redis: jobs are rows in the database, so they survive a restart, and several
// worker processes on one PostgreSQL share them safely (FOR UPDATE SKIP LOCKED).
//
// Bookkeeping is batched: jobs added, and jobs completed, within one tick of the event loop are written
// in one statement each, and a queue found empty is not asked again until something is added to it (or
// the poll timer fires, for jobs other processes add). In the embedded mode one queue (the events) can
// be held in memory: its jobs are never written, because the outbox row is already their durable record
// (the caller marks it settled once the job has run; the outbox sweeper hands over again what a crash
// cut off). A job that fails in memory is retried from the table like any other.
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
 * The only consumer (embedded) knows every job the table gets: its own adds wake the queue, and a job due
 * later (delayed, or retried) wakes it when due. The poll is then only a safety net (and what finds jobs a
 * previous run left due later), not 20 claims a second.
 */
const EXCLUSIVE_POLL_MS = 5_000;
/** A wake-up for a job due later fires this much after its time: a timer may fire a millisecond early. */
const DUE_MARGIN_MS = 10;

/** Calls made within one tick become one call of `run` with all their items; every caller gets its answer. */
function batcher<T, R>(run: (items: T[]) => Promise<R>): (item: T) => Promise<R> {
  let items: T[] = [];
  let next: Promise<R> | null = null;
  return (item) => {
    items.push(item);
    next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const batch = items;
      items = [];
      next = null;
      return run(batch);
    });
    return next;
  };
}

/** A job held in memory: what the producer was given. */
interface MemoryJob {
  jobId: string;
  name: string;
  data: Record<string, unknown>;
}

/**
 * `lockMs` must exceed any job's run time (webhook requests time out after 10 s). `exclusive`: this
 * process is the only consumer (embedded PGlite), so jobs found active at start were cut off by a
 * stop and are resumed at once. `memory` (exclusive only): the queue whose jobs are held in memory,
 * and how their durable record learns that they ran (the job ids given, in one call per batch). A job
 * run from memory sees `data.inMemory === true`.
 */
export function createDatabaseQueue(deps: {
  db: Db;
  log: Logger;
  retry: RetryPolicy;
  lockMs: number;
  exclusive: boolean;
  pollMs?: number;
  memory?: { queue: QueueName; settled(jobIds: string[]): Promise<void> };
}): QueueBackend {
  const { db, log, retry } = deps;
  const pollMs = deps.pollMs ?? (deps.exclusive ? EXCLUSIVE_POLL_MS : POLL_MS);
  const LOCK_MS = Math.max(deps.lockMs, 30_000);
  let running = false;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const wakers = new Map<QueueName, () => void>();
  const scheduled = new Set<string>();

  const insert = batcher(async (batches: Parameters<typeof repo.insertJobs>[1][]) =>
    repo.insertJobs(db, batches.flat()),
  );
  const complete = batcher((claims: repo.JobClaim[]) => repo.completeJobs(db, claims));

  const lane = deps.memory
    ? {
        queue: deps.memory.queue,
        settle: batcher((batches: string[][]) => deps.memory!.settled(batches.flat())),
        waiting: [] as MemoryJob[],
        /** Waiting or running: adding one of these again is a no-op, as adding an existing job id is. */
        held: new Set<string>(),
        active: 0,
      }
    : null;

  const rowId = (queue: QueueName, jobId: string) => `${queue}:${jobId}`;

  /** Exclusive: wakes the queue when a job it was given for later is due (other consumers poll for it). */
  function wakeWhenDue(queue: QueueName, runAt: Date): void {
    if (!deps.exclusive) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        wakers.get(queue)?.();
      },
      Math.max(0, runAt.getTime() - Date.now()) + DUE_MARGIN_MS,
    );
    timer.unref();
    timers.add(timer);
  }

  async function runJob(
    queue: QueueName,
    handler: JobHandler,
    row: Awaited<ReturnType<typeof repo.claimDueJobs>>[number],
  ) {
    const claim = { id: row.id, attempt: row.attempts_made };
    const job: Job = {
      id: row.id,
      name: row.name,
      data: row.data as Record<string, unknown>,
      attemptsMade: row.attempts_made - 1,
      maxAttempts: row.max_attempts,
    };
    // As BullMQ renews its locks: a job that runs longer than the lock (an import) keeps it while it
    // runs, so no other worker takes it; a killed worker stops renewing and the job is handed on.
    const renew = setInterval(() => void repo.extendJobLock(db, claim, LOCK_MS).catch(() => {}), LOCK_MS / 3);
    renew.unref();
    let settled = true;
    try {
      await handler(job);
      clearInterval(renew);
      settled = (await complete(claim)).has(row.id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof PermanentJobError || row.attempts_made >= row.max_attempts) {
        log.warn({ queue, jobId: row.id, attempts: row.attempts_made, err: message }, 'job failed');
        settled = await repo.failJob(db, claim, message);
      } else {
        const delay = retry.delayMs(queue, row.attempts_made, err);
        log.info(
          { queue, jobId: row.id, attempt: row.attempts_made, retryInMs: delay, err: message },
          'job will retry',
        );
        const runAt = new Date(Date.now() + delay);
        settled = await repo.retryJob(db, claim, runAt, message);
        if (settled) wakeWhenDue(queue, runAt);
      }
    } finally {
      clearInterval(renew);
    }
    // Its lock expired and another worker took the job: the outcome is that worker's to record.
    if (!settled) log.warn({ queue, jobId: row.id, attempt: row.attempts_made }, 'job lock lost before it finished');
  }

  async function runMemoryJob(queue: QueueName, handler: JobHandler, m: MemoryJob, maxAttempts: number) {
    const id = rowId(queue, m.jobId);
    let failure: unknown = null;
    try {
      await handler({ id, name: m.name, data: { ...m.data, inMemory: true }, attemptsMade: 0, maxAttempts });
    } catch (err) {
      failure = err ?? new Error('job failed');
    }
    // A failure to record the outcome leaves the outbox row unsettled: the sweeper hands it over again.
    try {
      if (failure === null) return await lane!.settle([m.jobId]);
      const message = failure instanceof Error ? failure.message : String(failure);
      if (failure instanceof PermanentJobError || maxAttempts <= 1) {
        log.warn({ queue, jobId: id, attempts: 1, err: message }, 'job failed');
        return await lane!.settle([m.jobId]);
      }
      // From here on the job is a row like any other, retried on the queue's schedule.
      const delay = retry.delayMs(queue, 1, failure);
      log.info({ queue, jobId: id, attempt: 1, retryInMs: delay, err: message }, 'job will retry');
      const runAt = new Date(Date.now() + delay);
      await insert([{ id, queue, name: m.name, data: m.data, maxAttempts, runAt, attemptsMade: 1 }]);
      wakeWhenDue(queue, runAt);
    } finally {
      lane!.held.delete(m.jobId);
    }
  }

  function consume(queue: QueueName, handler: JobHandler, concurrency: number) {
    let active = 0;
    let polling = false;
    // The last claim found fewer jobs than it asked for: no need to ask again until one is added here.
    let drained = false;
    const memory = lane?.queue === queue ? lane : null;
    const start = (run: Promise<void>, fromMemory: boolean) => {
      active++;
      if (fromMemory) memory!.active++;
      const p = run
        .catch((err) => log.error({ err, queue }, 'job bookkeeping failed'))
        .finally(() => {
          active--;
          if (fromMemory) memory!.active--;
          inFlight.delete(p);
          void poll(false);
        });
      inFlight.add(p);
    };
    const poll = async (fromTimer: boolean) => {
      if (!running) return;
      while (memory && active < concurrency && memory.waiting.length > 0)
        start(runMemoryJob(queue, handler, memory.waiting.shift()!, retry.maxAttempts[queue]), true);
      if (polling || (drained && !fromTimer)) return;
      const free = concurrency - active;
      if (free <= 0) return;
      polling = true;
      try {
        const rows = await repo.claimDueJobs(db, queue, free, LOCK_MS);
        drained = rows.length < free;
        for (const row of rows) start(runJob(queue, handler, row), false);
      } catch (err) {
        log.warn({ err: (err as Error).message, queue }, 'queue poll failed');
      } finally {
        polling = false;
      }
    };
    wakers.set(queue, () => {
      drained = false;
      void poll(false);
    });
    const timer = setInterval(() => void poll(true), pollMs);
    timer.unref();
    timers.add(timer);
    void poll(true);
  }

  return {
    kind: 'database',
    producer: {
      async add(queue, name, data, opts) {
        await this.addBulk(queue, [{ name, data, opts }]);
      },
      async addBulk(queue, jobs) {
        if (jobs.length === 0) return;
        let rows = jobs;
        if (lane?.queue === queue) {
          // Delayed jobs need the table's clock; the rest wait here.
          rows = jobs.filter((j) => j.opts.delayMs);
          for (const j of jobs) {
            if (j.opts.delayMs || lane.held.has(j.opts.jobId)) continue;
            lane.held.add(j.opts.jobId);
            lane.waiting.push({ jobId: j.opts.jobId, name: j.name, data: j.data });
          }
          if (rows.length < jobs.length) wakers.get(queue)?.();
          if (rows.length === 0) return;
        }
        const added = rows.map((j) => ({
          id: rowId(queue, j.opts.jobId),
          queue,
          name: j.name,
          data: j.data,
          maxAttempts: retry.maxAttempts[queue],
          runAt: new Date(Date.now() + (j.opts.delayMs ?? 0)),
        }));
        await insert(added);
        if (rows.some((j) => !j.opts.delayMs)) wakers.get(queue)?.();
        const later = new Set(added.filter((_, i) => rows[i]!.opts.delayMs).map((j) => j.runAt.getTime()));
        for (const at of later) wakeWhenDue(queue, new Date(at));
      },
    },

    async startWorkers(handlers: Record<QueueName, JobHandler>, opts?: WorkerOptions) {
      running = true;
      const released = await repo.releaseStalledJobs(db, deps.exclusive);
      if (released) log.info({ released }, 'picked up jobs left running by a stopped worker');
      const stalled = setInterval(
        () =>
          void repo
            .releaseStalledJobs(db)
            .then((n) => {
              if (n > 0) for (const wake of wakers.values()) wake();
            })
            .catch(() => {}),
        LOCK_MS,
      );
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
      if (lane) {
        out[lane.queue].waiting += lane.waiting.length;
        out[lane.queue].active += lane.active;
      }
      return out;
    },

    async close() {
      running = false;
      for (const t of timers) clearInterval(t);
      timers.clear();
      // Jobs waiting in memory are dropped: their outbox rows are not settled, so the next start's
      // sweep hands them over again.
      if (lane) {
        for (const m of lane.waiting) lane.held.delete(m.jobId);
        lane.waiting = [];
      }
      // In-flight jobs finish (each is bounded by its own timeouts); if we were killed instead,
      // their lock expires and another start picks them up.
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 15_000).unref())]);
    },
  };
}
