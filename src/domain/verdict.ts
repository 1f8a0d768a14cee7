// A filter's answer about a comment, and how several answers combine into a first status.
import type { CommentStatus } from './comment-status.ts';

export type VerdictAction = 'approve' | 'hold' | 'reject' | 'spam';

export interface Verdict {
  action: VerdictAction;
  /** Stable machine-readable reason, e.g. "first_comment". */
  code: string;
  /** Plain words for moderators. */
  detail: string;
  /** Extra facts for moderators, e.g. the matched words and their positions. */
  data?: Record<string, unknown>;
}

const STRENGTH: Record<VerdictAction, number> = { approve: 0, hold: 1, reject: 2, spam: 3 };
const STATUS: Record<VerdictAction, CommentStatus> = {
  approve: 'approved',
  hold: 'pending',
  reject: 'rejected',
  spam: 'spam',
};

/** The strongest action wins (spam > reject > hold > approve); no verdict at all means approve. */
export function decide(verdicts: Verdict[]): { action: VerdictAction; status: CommentStatus } {
  let action: VerdictAction = 'approve';
  for (const v of verdicts) if (STRENGTH[v.action] > STRENGTH[action]) action = v.action;
  return { action, status: STATUS[action] };
}
