// The outbox rows a status change writes (with it, in one statement: see transition.repository.ts).

import type { CommentStatus } from '../domain/comment-status.ts';
import { type EventType, statusEventType } from '../domain/event-types.ts';
import type { OutboxEvent } from '../events/outbox.repository.ts';
import { uuidv7 } from '../shared/ids.ts';
import { type ArticleSnapshot, buildEventPayload, type CommentSnapshot } from './event-payload.ts';

/** The events one status change emits (a new comment: `comment.created` and its first status). */
export function transitionEvents(t: {
  comment: CommentSnapshot;
  article: ArticleSnapshot;
  from: CommentStatus | null;
  to: CommentStatus;
  actor: { type: string; id: string };
  reasons: unknown[];
}): OutboxEvent[] {
  const types: EventType[] = t.from === null ? ['comment.created', statusEventType(t.to)] : [statusEventType(t.to)];
  const at = new Date();
  return types.map((type) => ({
    id: uuidv7(at.getTime()),
    type,
    payload: buildEventPayload({ type, at, ...t }),
  }));
}
