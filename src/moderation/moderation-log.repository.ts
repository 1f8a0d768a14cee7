import type { DbOrTx } from '../db/database.ts';
import type { CommentStatus, ModerationLogRow } from '../db/schema.ts';

export interface LogEntryInput {
  commentId: string;
  siteId: string;
  actorType: 'filter' | 'user' | 'system' | 'cli';
  actorId: string;
  from: CommentStatus | null;
  to: CommentStatus;
  reasons: unknown[];
  note: string | null;
}

export async function insertLogEntry(db: DbOrTx, e: LogEntryInput): Promise<void> {
  await db
    .insertInto('moderation_log')
    .values({
      comment_id: e.commentId,
      site_id: e.siteId,
      actor_type: e.actorType,
      actor_id: e.actorId,
      from_status: e.from,
      to_status: e.to,
      reasons: JSON.stringify(e.reasons),
      note: e.note,
    })
    .execute();
}

export async function listLogForComment(db: DbOrTx, commentId: string): Promise<ModerationLogRow[]> {
  return db.selectFrom('moderation_log').selectAll().where('comment_id', '=', commentId).orderBy('id', 'asc').execute();
}
