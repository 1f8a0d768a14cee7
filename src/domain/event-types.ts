// The lifecycle events a comment emits (the outbox rows, and the webhooks publishers subscribe to).
import type { CommentStatus } from './comment-status.ts';

export const EVENT_TYPES = [
  'comment.created',
  'comment.approved',
  'comment.pending',
  'comment.rejected',
  'comment.spam',
  'comment.deleted',
  // Reader reports: a comment entered the Reported queue or was hidden by reports; a moderator decided its reports.
  'comment.reported',
  'report.resolved',
  // One event per finished import, with its counts (imported comments emit no events of their own).
  'import.completed',
  // A moderator (or the CLI) closed or reopened an article, or changed its own moderation mode.
  'article.closed',
  'article.opened',
  'article.updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function statusEventType(status: CommentStatus): EventType {
  return `comment.${status === 'approved' ? 'approved' : status}` as EventType;
}
