// The one place a comment's status changes. Every change writes its moderation-log row and its
// lifecycle events (the outbox), and keeps the article's published count and thread version right,
// all inside the caller's transaction.
import type { DbOrTx } from '../db/database.ts';
import type { CommentStatus } from '../db/schema.ts';
import { bumpThread } from '../articles/article.repository.ts';
import { updateCommentStatus } from '../comments/comment.repository.ts';
import type { ArticleSnapshot, CommentSnapshot } from '../events/event-payload.ts';
import { recordTransitionEvents } from '../events/outbox.ts';
import { insertLogEntry } from './moderation-log.repository.ts';

export type Actor = { type: 'filter' | 'user' | 'system' | 'cli'; id: string };

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

/** Which moves moderators may make (DESIGN.md "Comment lifecycle"). Filters set the first status. */
const ALLOWED: Record<CommentStatus, CommentStatus[]> = {
  pending: ['approved', 'rejected', 'spam', 'deleted'],
  approved: ['rejected', 'spam', 'deleted'],
  rejected: ['approved', 'pending', 'spam', 'deleted'],
  spam: ['approved', 'pending', 'rejected', 'deleted'],
  deleted: [],
};

export function canTransition(from: CommentStatus, to: CommentStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** Applies the change; returns the ids of the events it wrote. */
export async function applyTransition(db: DbOrTx, t: Transition): Promise<string[]> {
  const from = t.comment.status;
  if (!t.inserted) {
    await updateCommentStatus(db, t.comment.id, {
      status: t.to,
      ...(t.reasons !== undefined ? { reasons: t.reasons } : {}),
      ...(t.to === 'approved' && !t.comment.publishedAt ? { publishedAt: new Date() } : {}),
    });
  }
  const wasPublished = from === 'approved';
  const isPublished = t.to === 'approved';
  if (wasPublished !== isPublished) await bumpThread(db, t.comment.articleId, isPublished ? 1 : -1);
  await insertLogEntry(db, {
    commentId: t.comment.id,
    siteId: t.comment.siteId,
    actorType: t.actor.type,
    actorId: t.actor.id,
    from,
    to: t.to,
    reasons: t.reasons ?? [],
    note: t.note ?? null,
  });
  return recordTransitionEvents(db, { comment: t.comment, article: t.article, from, to: t.to, actor: t.actor, reasons: t.reasons ?? [] });
}
