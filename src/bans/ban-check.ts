// The submission's hook into bans: a banned author's new comment is rejected, with the ban as one of
// its reasons (moderators see why; the author is answered "pending" unless the site reveals rejections).
import type { BanRow } from '../db/schema.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import { decide, type Verdict } from '../domain/verdict.ts';
import { banVerdict } from './ban-subject.ts';

/** The filters' decision, with the author's active ban (if any) added as a reason. */
export function withBan<D extends { status: CommentStatus; verdicts: Verdict[] }>(decision: D, ban: BanRow | null): D {
  if (!ban) return decision;
  const verdicts = [...decision.verdicts, banVerdict(ban)];
  return { ...decision, ...decide(verdicts), verdicts };
}
