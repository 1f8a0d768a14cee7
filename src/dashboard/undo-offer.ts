// The no-JavaScript undo: after a decision posted by a plain form, the page it redirects to
// ("Approved 1 comment.") shows an Undo button that posts the undo, like the keyboard's `z`. Which
// comments, and the status each was given, come from the moderator's own latest log rows, never from
// the URL: only the notice's action and count are read from it. The undo itself is conditional (the
// status the decision set), so a colleague's later change is never taken back.
import type { CommentStatus } from '../domain/comment-status.ts';
import type { Principal } from '../domain/principal.ts';
import { MODERATION_ACTIONS, type ModerationAction } from '../moderation/moderation.service.ts';
import type { ReviewService } from '../review/review.service.ts';

/** A selection larger than a page is not offered an undo here. */
const MAX_UNDO_OFFER = 25;
/** A notice reloaded (or bookmarked) later offers nothing. */
const OFFER_MS = 10 * 60_000;

export interface UndoEntry {
  id: string;
  status: CommentStatus;
}

const SETS: Record<Exclude<ModerationAction, 'undo'>, CommentStatus[]> = {
  approve: ['approved'],
  reject: ['rejected'],
  spam: ['spam'],
  restore: ['approved', 'pending'],
};

/** The offer for a page's `?done=ACTION&n=N` notice, from the moderator's own latest log rows. */
export async function undoOffer(
  review: ReviewService,
  who: Principal,
  done: string | undefined,
  count: string | undefined,
): Promise<UndoEntry[] | null> {
  const action = MODERATION_ACTIONS.find((a) => a === done);
  const n = Number(count);
  if (!action || action === 'undo' || !Number.isInteger(n) || n < 1 || n > MAX_UNDO_OFFER) return null;
  // One more row than the decision's: it must belong to an earlier decision.
  const { entries } = await review.log(who, { moderator: who.userId, limit: n + 1 });
  return undoOfferFrom(action, n, entries);
}

/**
 * The comments of the notice's decision: the moderator's `n` latest log rows, when they are one
 * decision (written in one transaction, so with one time, and the row before them is not), recent, made
 * by that action and not undos themselves; else null.
 */
function undoOfferFrom(
  action: ModerationAction,
  n: number,
  latest: { commentId: string; to: CommentStatus; note: string | null; createdAt: Date }[],
  now = Date.now(),
): UndoEntry[] | null {
  if (action === 'undo' || latest.length < n) return null;
  const at = latest[0]!.createdAt.getTime();
  if (latest[n] && latest[n]!.createdAt.getTime() === at) return null;
  latest = latest.slice(0, n);
  const ids = new Set(latest.map((e) => e.commentId));
  const fits =
    latest.every((e) => e.createdAt.getTime() === at) &&
    latest.every(
      (e) =>
        SETS[action].includes(e.to) &&
        now - e.createdAt.getTime() < OFFER_MS &&
        !(e.note === 'Undo' || e.note?.startsWith('Undo: ')),
    );
  return fits && ids.size === n ? latest.map((e) => ({ id: e.commentId, status: e.to })) : null;
}
