// Writes lifecycle events into the outbox, inside the caller's transaction.
import type { DbOrTx } from '../db/database.ts';
import type { CommentStatus } from '../db/schema.ts';
import { uuidv7 } from '../shared/ids.ts';
import { insertEvents } from './event.repository.ts';
import { buildEventPayload, type ArticleSnapshot, type CommentSnapshot } from './event-payload.ts';
import { statusEventType, type EventType } from './event-types.ts';

export async function recordTransitionEvents(
  db: DbOrTx,
  t: { comment: CommentSnapshot; article: ArticleSnapshot; from: CommentStatus | null; to: CommentStatus; actor: { type: string; id: string }; reasons: unknown[] },
): Promise<string[]> {
  const types: EventType[] = t.from === null ? ['comment.created', statusEventType(t.to)] : [statusEventType(t.to)];
  const at = new Date();
  const events = types.map((type) => ({ id: uuidv7(at.getTime()), siteId: t.comment.siteId, type, commentId: t.comment.id, payload: buildEventPayload({ type, at, ...t }) }));
  await insertEvents(db, events);
  return events.map((e) => e.id);
}
