// The time trap: people take a few seconds at least to write a comment; scripts post at once.
import type { Filter } from './filter.ts';

/** A form shown more than a month ago says nothing about speed (or the timestamp is made up). */
const MAX_MEANINGFUL_AGE_MS = 31 * 86_400_000;

export const timeTrapFilter: Filter = {
  name: 'time-trap',
  run({ comment, settings, now }) {
    const min = settings.minSubmitSeconds;
    if (comment.renderedAt === null || min <= 0) return null;
    const elapsed = now - comment.renderedAt;
    // In the future: the reader's clock is ahead of ours. Not evidence either way.
    if (!Number.isFinite(elapsed) || elapsed < 0 || elapsed > MAX_MEANINGFUL_AGE_MS) return null;
    if (elapsed >= min * 1000) return null;
    return {
      action: 'spam',
      code: 'time_trap',
      detail: `Submitted ${(elapsed / 1000).toFixed(1)} s after the form was shown; people take at least ${min} s.`,
      data: { elapsedMs: elapsed, minSeconds: min },
    };
  },
};
