// The "events" job's first step: a lifecycle event moved a comment, so the learned spam model
// learns what the comment's log now teaches. It is given the event the job read (container.ts reads
// it once for every step). Events of a filter's first status teach nothing and are skipped without a
// query; everything else is idempotent (see spam-training.service.ts).
import type { EventRow } from '../db/schema.ts';
import type { SpamTraining } from './spam-training.service.ts';

export function createLearnFromEventJob(deps: { training: SpamTraining }) {
  return async function learnFromEvent(event: EventRow): Promise<void> {
    if (!event.comment_id) return;
    const actor = (event.payload as { data?: { actor?: { type?: unknown } } }).data?.actor?.type;
    if (actor === 'filter') return;
    await deps.training.learnComment(event.comment_id);
  };
}
