// Runs every filter over a comment and decides its first status: the strongest action wins
// (spam > reject > hold > approve) and every verdict is kept as a reason for moderators.

import type { CommentStatus } from '../domain/comment-status.ts';
import { decide, type Verdict, type VerdictAction } from '../domain/verdict.ts';
import type { Filter, FilterInput } from './filter.ts';
import { FILTERS } from './registry.ts';

export interface PipelineResult {
  action: VerdictAction;
  status: CommentStatus;
  verdicts: Verdict[];
}

export function runFilters(input: FilterInput, filters: readonly Filter[] = FILTERS): PipelineResult {
  const verdicts: Verdict[] = [];
  for (const filter of filters) {
    try {
      const verdict = filter.run(input);
      if (verdict) verdicts.push(verdict);
    } catch (err) {
      // A broken filter must neither lose the comment nor wave it through: a person looks at it.
      verdicts.push({
        action: 'hold',
        code: 'filter_failed',
        detail: `The ${filter.name} filter failed, so the comment waits for a moderator.`,
        data: {
          filter: filter.name,
          error: err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200),
        },
      });
    }
  }
  return { ...decide(verdicts), verdicts };
}
