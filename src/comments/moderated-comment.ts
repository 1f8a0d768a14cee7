// What moderators see of a comment and of its log: everything, including email, IP and user agent.
import type { CommentRow, ModerationLogRow } from '../db/schema.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import type { CommentSnapshot } from './event-payload.ts';

export interface ModeratedComment {
  id: string;
  siteId: string;
  /** The article's id as the publisher knows it (the one the review queue filters by). */
  articleId: string;
  parentId: string | null;
  name: string;
  email: string;
  emailHash: string;
  ip: string | null;
  userAgent: string | null;
  body: string;
  status: CommentStatus;
  reasons: unknown[];
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface LogEntry {
  id: string;
  commentId: string;
  siteId: string;
  actorType: string;
  actorId: string;
  /** The moderator's email when the actor is a user account. */
  actorEmail?: string | null;
  from: CommentStatus | null;
  to: CommentStatus;
  reasons: unknown[];
  note: string | null;
  createdAt: Date;
}

/** A comment row with its article's external id: internal article numbers stay in the data layer. */
export type CommentWithArticle = CommentRow & { article_external_id: string };

export function toModeratedComment(r: CommentWithArticle): ModeratedComment {
  return {
    id: r.id,
    siteId: r.site_id,
    articleId: r.article_external_id,
    parentId: r.parent_id,
    name: r.name,
    email: r.email,
    emailHash: r.email_hash,
    ip: r.ip,
    userAgent: r.user_agent,
    body: r.body,
    status: r.status,
    reasons: r.reasons,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    publishedAt: r.published_at,
  };
}

export function snapshotOf(r: CommentRow): CommentSnapshot {
  return {
    id: r.id,
    siteId: r.site_id,
    articleId: r.article_id,
    parentId: r.parent_id,
    name: r.name,
    body: r.body,
    emailHash: r.email_hash,
    createdAt: r.created_at,
    status: r.status,
    publishedAt: r.published_at,
  };
}

export function toLogEntry(r: ModerationLogRow & { actor_email?: string | null }): LogEntry {
  return {
    id: String(r.id),
    commentId: r.comment_id,
    siteId: r.site_id,
    actorType: r.actor_type,
    actorId: r.actor_id,
    ...(r.actor_email !== undefined ? { actorEmail: r.actor_email } : {}),
    from: r.from_status,
    to: r.to_status,
    reasons: r.reasons,
    note: r.note,
    createdAt: r.created_at,
  };
}
