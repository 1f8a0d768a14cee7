// Hands outbox events to the queue. The process that wrote an event pushes its id right after its
// commit; the worker that takes the event marks it dispatched (events.dispatched_at, in the statement
// that reads it), so the hand-off costs the writer no statement. The sweeper (in workers) picks up
// events a few seconds old that no worker took (Redis down, the writer died between its commit and the
// hand-off) and marks them itself, so a backlog is handed over again at most once. The sweeper hands each
// event over alone, under its event id as the job id, so an event it hands over twice still runs once.
// The writer hands over the events of one tick (a group commit's comments, each with its two events) as
// ONE job carrying their ids (eventsJobs): one queue job, one statement taking them all, instead of one per
// event. Its job id names its first event (batchJobId); an event it holds that the sweeper also hands over
// (taken by no worker for seconds) may run twice, which every step of the events job allows (each is
// idempotent per event, as a retry requires).
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { Producer } from '../jobs/job-queue.ts';
import { listUndispatched, markDispatched, preloadEvents } from './outbox.repository.ts';

const BATCH = 200;
/** The most event ids one events job carries: bounds a job's run (its events are processed in turn). */
const EVENTS_PER_JOB = 100;

/** The job id of a batched events job: never an event id, so an event of it handed over alone is not taken for it. */
const batchJobId = (ids: string[]) => `batch-${ids[0]}`;

/** The events jobs handing `ids` over: one per event, or (`batched`) one per EVENTS_PER_JOB of them. */
function eventsJobs(ids: string[], batched: boolean) {
  if (!batched) return ids.map((id) => ({ name: 'event', data: { eventId: id }, opts: { jobId: id } }));
  const jobs = [];
  for (let i = 0; i < ids.length; i += EVENTS_PER_JOB) {
    const part = ids.slice(i, i + EVENTS_PER_JOB);
    // A batch of one is an ordinary events job: the same job id the sweeper would use.
    jobs.push(
      part.length === 1
        ? { name: 'event', data: { eventId: part[0]! }, opts: { jobId: part[0]! } }
        : { name: 'event', data: { eventIds: part }, opts: { jobId: batchJobId(part) } },
    );
  }
  return jobs;
}

/**
 * `settledByWorkers`: the queue keeps what it is given only in memory (the embedded events), so only the
 * worker that has run an event may mark it; the sweeper then marks nothing and pages on instead, and an
 * event it hands over twice is a no-op as long as the queue still holds it. Such a queue also settles
 * its jobs by job id (database-queue.ts's memory lane), so there each event keeps a job of its own.
 */
export function createRelay(deps: { db: Db; producer: Producer; log: Logger; settledByWorkers?: boolean }) {
  const { db, producer, log } = deps;
  const marks = !deps.settledByWorkers;
  let scheduled = false;
  let running: Promise<number> | null = null;
  let warned = false;

  /** Dispatches undispatched events; returns how many were handed over. */
  async function dispatch(olderThanMs = 0): Promise<number> {
    let total = 0;
    let after: { id: string; created_at: Date } | undefined;
    for (;;) {
      // No lock is held while the queue is called: two relays may hand over the same event, and the
      // job id makes the second a no-op.
      const batch = await listUndispatched(db, BATCH, olderThanMs, marks ? undefined : after);
      after = batch.at(-1);
      // `recovered`: found by a pass over the outbox rather than handed over by the process that wrote
      // them, which may have died before refreshing the caches; the event job does it then.
      await producer.addBulk(
        'events',
        batch.map((e) => ({ name: 'event', data: { eventId: e.id, recovered: true }, opts: { jobId: e.id } })),
      );
      if (marks)
        await markDispatched(
          db,
          batch.map((e) => e.id),
        );
      const handed = batch.length;
      total += handed;
      if (handed < BATCH) return total;
    }
  }

  function runOnce(olderThanMs: number): Promise<number> {
    if (!running) {
      running = dispatch(olderThanMs)
        .then((n) => {
          if (warned) log.info('event relay recovered');
          warned = false;
          return n;
        })
        .catch((err) => {
          // The events stay in the outbox; the sweeper retries.
          if (!warned)
            log.warn(
              { err: (err as Error).message },
              'event relay could not reach the queue; events stay in the outbox',
            );
          warned = true;
          return 0;
        })
        .finally(() => {
          running = null;
        });
    }
    return running;
  }

  // Event ids handed over by the processes that wrote them, flushed together on the next tick. Not
  // marked here: the worker that takes them does (see takeEvent in outbox.repository.ts).
  let pushed: string[] = [];
  const flushPushed = async () => {
    const ids = pushed;
    pushed = [];
    try {
      // Where events are kept in memory, this tick's are read in one statement, not once each by their jobs.
      await preloadEvents(db, ids).catch(() => {});
      await producer.addBulk('events', eventsJobs(ids, marks));
    } catch (err) {
      // They stay undispatched in the outbox; the sweeper hands them over later.
      if (!warned)
        log.warn({ err: (err as Error).message }, 'event relay could not reach the queue; events stay in the outbox');
      warned = true;
    }
  };

  return {
    /** After a commit whose event ids are known: hand them over on the next tick, with any others. */
    push(ids: string[]): void {
      if (ids.length === 0) return;
      if (pushed.length === 0) setImmediate(() => void flushPushed());
      pushed.push(...ids);
    },
    /** After a commit that wrote events: dispatch soon, coalescing bursts into one pass. */
    kick(): void {
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        void runOnce(0).then(() => undefined);
      });
    },
    /** The sweeper's pass: events a few seconds old that no relay handed over. */
    sweep(olderThanMs = 5_000): Promise<number> {
      return runOnce(olderThanMs);
    },
    /** Waits for a pass in progress (tests, shutdown). */
    async drain(): Promise<number> {
      await running;
      return runOnce(0);
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;
