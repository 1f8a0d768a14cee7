// What a lifecycle event does to the model, given what the comment has taught it so far. A
// moderator's "approved" teaches ham, "spam" teaches spam; a rejection for another reason, a
// return to the queue or a restore teaches nothing and takes back what the comment taught before.
// Filters' own decisions teach nothing (the model would learn its own mistakes), and neither do
// transitions moderators did not choose (deletion by the author, hiding after reports).
//
// Keyed by the comment's current lesson, the plan is idempotent: replaying an event whose lesson
// is already recorded plans nothing, so a worker that stores the lesson in the same transaction as
// the count changes can replay events safely.
import type { SpamLabel } from './spam-counts.ts';

export interface TrainingPlan {
  untrain: SpamLabel | null;
  train: SpamLabel | null;
  /** The comment's lesson after the event: store it with the counts. */
  lesson: SpamLabel | null;
}

export interface Transition {
  /** The status the comment moved to. */
  to: string;
  /** Whether a moderator chose it (not a filter, the author, or reader reports). */
  byModerator: boolean;
}

/** The lesson a moderator's decision teaches: approved is ham, spam is spam, anything else none. */
export function lessonOf(status: string): SpamLabel | null {
  return status === 'approved' ? 'ham' : status === 'spam' ? 'spam' : null;
}

export function planTraining(current: SpamLabel | null, transition: Transition): TrainingPlan {
  if (!transition.byModerator || transition.to === 'deleted') return { untrain: null, train: null, lesson: current };
  const lesson = lessonOf(transition.to);
  if (lesson === current) return { untrain: null, train: null, lesson };
  return { untrain: current, train: lesson, lesson };
}
