// The one place a comment's status changes. Every change writes its moderation-log row and its
// lifecycle events (the outbox), and keeps the article's published count and thread version right,
// all inside the caller's transaction.
import type { DbOrTx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import type { ArticleSnapshot, CommentSnapshot } from './event-payload.ts';
import { writeTransition } from './transition.repository.ts';
import { transitionEvents } from './transition-events.ts';

export interface Transition {
  /** The comment as it was before the change (status null: just inserted). */
  comment: CommentSnapshot;
  article: ArticleSnapshot;
  to: CommentStatus;
  actor: Actor;
  reasons?: unknown[];
  note?: string | null;
  /** True when the comment row was just inserted with status `to` already set. */
  inserted?: boolean;
}

/** Applies the change; returns the ids of the events it wrote. */
export async function applyTransition(db: DbOrTx, t: Transition): Promise<string[]> {
  const from = t.comment.status;
  const reasons = t.reasons ?? [];
  const wasPublished = from === 'approved';
  const isPublished = t.to === 'approved';
  const events = transitionEvents({ comment: t.comment, article: t.article, from, to: t.to, actor: t.actor, reasons });
  await writeTransition(db, {
    ...(t.inserted
      ? {}
      : {
          comment: {
            id: t.comment.id,
            status: t.to,
            ...(t.reasons !== undefined ? { reasons: t.reasons } : {}),
            ...(isPublished && !t.comment.publishedAt ? { publishedAt: new Date() } : {}),
          },
        }),
    ...(wasPublished !== isPublished ? { bump: { articleId: t.comment.articleId, delta: isPublished ? 1 : -1 } } : {}),
    log: {
      commentId: t.comment.id,
      siteId: t.comment.siteId,
      actorType: t.actor.type,
      actorId: t.actor.id,
      from,
      to: t.to,
      reasons,
      note: t.note ?? null,
    },
    events,
  });
  return events.map((e) => e.id);
}
