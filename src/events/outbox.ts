// Writes lifecycle events into the outbox, inside the caller's transaction.
import type { DbOrTx } from '../db/database.ts';
import type { CommentStatus } from '../db/schema.ts';
import { uuidv7 } from '../shared/ids.ts';
import { insertEvent } from './event.repository.ts';
import { buildEventPayload, type ArticleSnapshot, type CommentSnapshot } from './event-payload.ts';
import { statusEventType, type EventType } from './event-types.ts';

export async function recordTransitionEvents(
  db: DbOrTx,
  t: { comment: CommentSnapshot; article: ArticleSnapshot; from: CommentStatus | null; to: CommentStatus; actor: { type: string; id: string }; reasons: unknown[] },
): Promise<string[]> {
  const types: EventType[] = t.from === null ? ['comment.created', statusEventType(t.to)] : [statusEventType(t.to)];
  const ids: string[] = [];
  const at = new Date();
  for (const type of types) {
    const id = uuidv7(at.getTime());
    await insertEvent(db, { id, siteId: t.comment.siteId, type, commentId: t.comment.id, payload: buildEventPayload({ type, at, ...t }) });
    ids.push(id);
  }
  return ids;
}
