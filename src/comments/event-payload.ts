// What a lifecycle event says. Public fields only: email, IP and user agent are added at delivery
// time, and only for endpoints set to include personal data.

import type { CommentStatus } from '../domain/comment-status.ts';
import type { EventType } from '../domain/event-types.ts';
import { redactReasons } from '../domain/redacted-reason.ts';
import { DELETED_AVATAR, toPublicComment } from './public-comment.ts';

export interface CommentSnapshot {
  id: string;
  siteId: string;
  articleId: number;
  parentId: string | null;
  name: string;
  body: string;
  emailHash: string;
  createdAt: Date;
  status: CommentStatus | null;
  publishedAt: Date | null;
}

export interface ArticleSnapshot {
  externalId: string;
  url: string | null;
  title: string | null;
}

export interface EventPayload {
  type: EventType;
  timestamp: string;
  data: {
    comment: {
      id: string;
      parentId: string | null;
      status: CommentStatus;
      name: string;
      body: string;
      html: string;
      avatar: { initials: string; color: string };
      createdAt: string;
    };
    from: CommentStatus | null;
    to: CommentStatus;
    article: { id: string; url: string | null; title: string | null };
    site: { id: string };
    actor: { type: string; id: string };
    reasons: unknown[];
    /** 1, 2, 3… per comment in the order its events were written; set by the statement that stores the event. */
    sequence: number;
  };
}

/** An event before it is stored: its sequence number is given in the statement that stores it. */
export type UnsequencedEventPayload = Omit<EventPayload, 'data'> & { data: Omit<EventPayload['data'], 'sequence'> };

export function buildEventPayload(p: {
  type: EventType;
  at: Date;
  comment: CommentSnapshot;
  article: ArticleSnapshot;
  from: CommentStatus | null;
  to: CommentStatus;
  actor: { type: string; id: string };
  reasons: unknown[];
}): UnsequencedEventPayload {
  const deleted = p.to === 'deleted';
  const pub = toPublicComment({ ...p.comment, deleted });
  return {
    type: p.type,
    timestamp: p.at.toISOString(),
    data: {
      comment: {
        id: p.comment.id,
        parentId: p.comment.parentId,
        status: p.to,
        name: deleted ? '' : p.comment.name,
        body: deleted ? '' : p.comment.body,
        html: pub.html,
        avatar: pub.avatar,
        createdAt: p.comment.createdAt.toISOString(),
      },
      from: p.from,
      to: p.to,
      article: { id: p.article.externalId, url: p.article.url, title: p.article.title },
      site: { id: p.comment.siteId },
      actor: p.actor,
      reasons: p.reasons,
    },
  };
}

/**
 * An event as it reads once its comment is erased: what happened and when stays (type, statuses,
 * actor, article), nothing of what the author wrote or who they are (name, text, initials, the
 * reasons' matched values). Redelivering it sends this form.
 */
export function erasedEventPayload(stored: Record<string, unknown>): Record<string, unknown> {
  const payload = structuredClone(stored) as unknown as EventPayload;
  const data = payload?.data;
  if (!data || typeof data !== 'object') return stored;
  if (data.comment && typeof data.comment === 'object') {
    Object.assign(data.comment, { name: '', body: '', html: '', avatar: { ...DELETED_AVATAR } });
  }
  data.reasons = redactReasons(data.reasons);
  return payload as unknown as Record<string, unknown>;
}
