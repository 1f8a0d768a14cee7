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

export async function listLogForComment(db: DbOrTx, commentId: string): Promise<ModerationLogRow[]> {
  return db.selectFrom('moderation_log').selectAll().where('comment_id', '=', commentId).orderBy('id', 'asc').execute();
}
