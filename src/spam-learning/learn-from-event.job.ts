// The "events" queue's first step: a lifecycle event moved a comment, so the learned spam model
// learns what the comment's log now teaches. Events of a filter's first status teach nothing and
// are skipped without a query more; everything else is idempotent (see spam-training.service.ts).
import type { Db } from '../db/database.ts';
import { findEvent } from '../events/outbox.repository.ts';
import type { Job } from '../jobs/job-queue.ts';
import type { SpamTraining } from './spam-training.service.ts';

export function createLearnFromEventJob(deps: { db: Db; training: SpamTraining }) {
  return async function learnFromEvent(job: Job): Promise<void> {
    const event = await findEvent(deps.db, String(job.data.eventId ?? ''));
    if (!event?.comment_id) return;
    const actor = (event.payload as { data?: { actor?: { type?: unknown } } }).data?.actor?.type;
    if (actor === 'filter') return;
    await deps.training.learnComment(event.comment_id);
  };
}
