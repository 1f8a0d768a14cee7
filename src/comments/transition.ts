// The one way a comment's status changes, from its first status at submission to every later move:
// each change writes its moderation-log row and its lifecycle events (the outbox) and keeps the
// article's published count and thread version right, in one statement (transition.repository.ts).
import type { DbOrTx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import type { OutboxEvent } from '../events/outbox.repository.ts';
import { ConflictError } from '../shared/errors.ts';
import type { NewCommentRow } from './comment.repository.ts';
import type { ArticleSnapshot, CommentSnapshot } from './event-payload.ts';
import type { IdempotencyClaim } from './idempotency.repository.ts';
import {
  type TransitionOutcome,
  type TransitionWrite,
  type UpdateWrite,
  writeNewComments,
  writeTransition,
  writeTransitions,
} from './transition.repository.ts';
import { transitionEvents } from './transition-events.ts';

export interface Transition {
  /** The comment as it was before the change (status null: a new comment). */
  comment: CommentSnapshot;
  article: ArticleSnapshot;
  to: CommentStatus;
  actor: Actor;
  reasons?: unknown[];
  note?: string | null;
  /** More events written with the change, after its own (reports: `comment.reported` when they hide it). */
  extraEvents?: OutboxEvent[];
}

/** The events, log row and counters of a change; the comment's own write is the caller's. */
function plan(t: Transition): Omit<TransitionWrite, 'comment'> {
  const from = t.comment.status;
  const reasons = t.reasons ?? [];
  const wasPublished = from === 'approved';
  const isPublished = t.to === 'approved';
  const events = [
    ...transitionEvents({ comment: t.comment, article: t.article, from, to: t.to, actor: t.actor, reasons }),
    ...(t.extraEvents ?? []),
  ];
  return {
    log: {
      siteId: t.comment.siteId,
      actorType: t.actor.type,
      actorId: t.actor.id,
      from,
      to: t.to,
      reasons,
      note: t.note ?? null,
    },
    events,
    counters: {
      articleId: t.comment.articleId,
      publishedDelta: wasPublished === isPublished ? 0 : isPublished ? 1 : -1,
      ...(from === null ? { firstCommentAt: t.comment.createdAt } : {}),
    },
  };
}

/** A new comment with its first status, and the Idempotency-Key it claims. */
export type NewComment = Transition & { row: NewCommentRow; claim: IdempotencyClaim | null };

export interface StoredNewComment {
  outcome: TransitionOutcome;
  eventIds: string[];
}

/** A new comment stored with its first status; returns what was written and the ids of its events. */
export async function storeNewComment(db: DbOrTx, t: NewComment): Promise<StoredNewComment> {
  const p = plan(t);
  const outcome = await writeTransition(db, { ...p, comment: { insert: t.row, claim: t.claim } });
  return { outcome, eventIds: p.events.map((e) => e.id) };
}

/**
 * Several new comments in ONE statement (group-commit.ts), each with the outcome storeNewComment would
 * give it; at most one per Idempotency-Key. All or nothing: throws if the statement fails.
 */
export async function storeNewComments(db: DbOrTx, ts: NewComment[]): Promise<StoredNewComment[]> {
  const plans = ts.map((t) => plan(t));
  const outcomes = await writeNewComments(
    db,
    ts.map((t, i) => ({ ...plans[i]!, comment: { insert: t.row, claim: t.claim } })),
  );
  return outcomes.map((outcome, i) => ({ outcome, eventIds: plans[i]!.events.map((e) => e.id) }));
}

/**
 * An existing comment's change (a locked row, in the caller's transaction); returns the ids of its events.
 * Written only if the comment still has the status the change was decided on; otherwise nothing is written
 * and this throws (the caller's transaction rolls back).
 */
export async function applyTransition(db: DbOrTx, t: Transition): Promise<string[]> {
  const p = plan(t);
  const outcome = await writeTransition(db, { ...p, comment: { update: updateOf(t) } });
  if (outcome !== 'written') throw new ConflictError('The comment changed while this change was being made.');
  return p.events.map((e) => e.id);
}

/** Several existing comments' changes (locked rows, in the caller's transaction) in one statement; all or none. */
export async function applyTransitions(db: DbOrTx, ts: Transition[]): Promise<void> {
  const writes: UpdateWrite[] = ts.map((t) => ({ ...plan(t), comment: { update: updateOf(t) } }));
  const written = await writeTransitions(db, writes);
  if (written !== ts.length) throw new ConflictError('A comment changed while this change was being made.');
}

function updateOf(t: Transition): UpdateWrite['comment']['update'] {
  const from = t.comment.status;
  if (from === null) throw new Error('a change of an existing comment needs the status it was decided on');
  const publishes = t.to === 'approved' && !t.comment.publishedAt;
  return {
    id: t.comment.id,
    from,
    status: t.to,
    ...(t.reasons !== undefined ? { reasons: t.reasons } : {}),
    ...(publishes ? { publishedAt: new Date() } : {}),
  };
}
