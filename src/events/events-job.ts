// The "events" job's run over the events it took: one event (the sweeper's hand-off, the embedded
// mode's, a job queued before batching) or a batch (the events a writer handed over in one tick, see
// relay.ts). A batch's events go through the steps in turn; one that fails does not fail the others:
// once the rest have run it is handed over again alone, under its event id (a job with its own retries,
// as it would have had before batching), and the batch completes. Only when that hand-off fails too
// (Redis down) does the batch fail, to be retried whole: every step is idempotent per event, so the
// events that had run run again harmlessly.
import type { Job, Producer } from '../jobs/job-queue.ts';

/** The data of an events job that hands over alone an event that failed in a batch. */
const requeuedEvent = (eventId: string) => ({ eventId, requeued: true });

/** Whether this run of `job` is its events' first attempt (a requeued event has failed once in a batch). */
export const firstAttempt = (job: Job) =>
  job.attemptsMade === 0 && job.startedBefore !== true && job.data.requeued !== true;

export async function runEventsJob<E extends { event: { id: string } }>(
  job: Job,
  taken: E[],
  steps: (taken: E) => Promise<void>,
  producer: () => Producer,
): Promise<void> {
  // Not a batch: the job's own retries cover its event.
  if (!Array.isArray(job.data.eventIds)) {
    for (const t of taken) await steps(t);
    return;
  }
  const failed: { id: string; err: unknown }[] = [];
  for (const t of taken) {
    try {
      await steps(t);
    } catch (err) {
      failed.push({ id: t.event.id, err });
    }
  }
  if (failed.length === 0) return;
  try {
    await producer().addBulk(
      'events',
      failed.map((f) => ({ name: 'event', data: requeuedEvent(f.id), opts: { jobId: f.id } })),
    );
  } catch {
    // Could not hand them over: the batch fails with the first event's error and is retried whole.
    throw failed[0]!.err;
  }
}
