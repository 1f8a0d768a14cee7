// The moderation log: one row per status change (who, from, to, reasons, note). The only module that
// writes the table; the row is written in the statement that changes the comment.
import { type RawBuilder, sql } from 'kysely';
import { type DbOrTx, jsonb } from '../db/database.ts';
import type { ModerationLogRow } from '../db/schema.ts';
import type { ActorType } from '../domain/actor.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import { redactReasons } from '../domain/redacted-reason.ts';

export interface LogEntryInput {
  commentId: string;
  siteId: string;
  actorType: ActorType;
  actorId: string;
  from: CommentStatus | null;
  to: CommentStatus;
  reasons: unknown[];
  note: string | null;
}

/** The log row as the body of a data-modifying CTE: written only when the CTE `source` returned the comment's id. */
export function insertLogRowFrom(source: string, e: Omit<LogEntryInput, 'commentId'>): RawBuilder<unknown> {
  return sql`insert into moderation_log (comment_id, site_id, actor_type, actor_id, from_status, to_status, reasons, note)
    select id, ${e.siteId}, ${e.actorType}, ${e.actorId}, ${e.from}::text, ${e.to}, ${jsonb(e.reasons)}, ${e.note}::text
    from ${sql.table(source)}`;
}

/**
 * Many log rows (bulk actions): one per row of the CTE `input` (columns id, site_id, actor_type, actor_id,
 * from_status, to_status, log_reasons, note) whose comment the CTE `source` returned.
 */
export function insertLogRowsFrom(source: string, input: string): RawBuilder<unknown> {
  return sql`insert into moderation_log (comment_id, site_id, actor_type, actor_id, from_status, to_status, reasons, note)
    select i.id, i.site_id, i.actor_type, i.actor_id, i.from_status, i.to_status, i.log_reasons, i.note
    from ${sql.table(input)} as i join ${sql.table(source)} as s on s.id = i.id`;
}

/**
 * Erasure: the log rows of these comments keep who changed what and when, with their reasons redacted
 * and without the moderators' notes (a note about a comment quotes it or names its author).
 */
export async function eraseLogOfComments(db: DbOrTx, commentIds: string[]): Promise<number> {
  if (commentIds.length === 0) return 0;
  const rows = await db
    .selectFrom('moderation_log')
    .select(['id', 'reasons'])
    .where('comment_id', 'in', commentIds)
    .execute();
  for (const r of rows) {
    await db
      .updateTable('moderation_log')
      .set({ reasons: JSON.stringify(redactReasons(r.reasons)), note: null })
      .where('id', '=', r.id)
      .execute();
  }
  return rows.length;
}

export async function listLogForComment(db: DbOrTx, commentId: string): Promise<ModerationLogRow[]> {
  return db.selectFrom('moderation_log').selectAll().where('comment_id', '=', commentId).orderBy('id', 'asc').execute();
}

/**
 * For each comment, the status it had before it last entered its current status: what "restore"
 * returns a rejected or spam comment to.
 */
export async function statusesBeforeCurrent(
  db: DbOrTx,
  comments: { id: string; status: CommentStatus }[],
): Promise<Map<string, CommentStatus | null>> {
  if (comments.length === 0) return new Map();
  const rows = await db
    .selectFrom('moderation_log')
    .select(['comment_id', 'from_status', 'to_status'])
    .distinctOn('comment_id')
    .where(
      'comment_id',
      'in',
      comments.map((c) => c.id),
    )
    .orderBy('comment_id')
    .orderBy('id', 'desc')
    .execute();
  const current = new Map(comments.map((c) => [c.id, c.status]));
  return new Map(
    rows.filter((r) => r.to_status === current.get(r.comment_id)).map((r) => [r.comment_id, r.from_status]),
  );
}

/** Each comment's latest log row: who set its current status (the moderator's email for user actions) and when. */
export async function lastChangesOf(
  db: DbOrTx,
  commentIds: string[],
): Promise<Map<string, { actor_type: ActorType; actor_id: string; actor_email: string | null; created_at: Date }>> {
  if (commentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('moderation_log')
    .leftJoin('users', (j) => j.on(sql`users.id::text`, '=', sql.ref('moderation_log.actor_id')))
    .select([
      'moderation_log.comment_id',
      'moderation_log.actor_type',
      'moderation_log.actor_id',
      'moderation_log.created_at',
      'users.email as actor_email',
    ])
    .distinctOn('moderation_log.comment_id')
    .where('moderation_log.comment_id', 'in', commentIds)
    .orderBy('moderation_log.comment_id')
    .orderBy('moderation_log.id', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.comment_id, { ...r, actor_type: r.actor_type as ActorType }]));
}

/** The moderation log across sites, newest first, with the moderator's email for user actions. */
export async function listModerationLog(
  db: DbOrTx,
  q: {
    siteIds: string[] | null;
    actorId?: string;
    to?: CommentStatus;
    commentId?: string;
    beforeId?: number;
    limit: number;
  },
): Promise<(ModerationLogRow & { actor_email: string | null })[]> {
  let query = db
    .selectFrom('moderation_log')
    .leftJoin('users', (j) => j.on(sql`users.id::text`, '=', sql.ref('moderation_log.actor_id')))
    .selectAll('moderation_log')
    .select('users.email as actor_email');
  if (q.siteIds) query = query.where('moderation_log.site_id', 'in', q.siteIds.length ? q.siteIds : ['']);
  if (q.actorId) query = query.where('moderation_log.actor_id', '=', q.actorId);
  if (q.to) query = query.where('moderation_log.to_status', '=', q.to);
  if (q.commentId) query = query.where('moderation_log.comment_id', '=', q.commentId);
  if (q.beforeId !== undefined) query = query.where('moderation_log.id', '<', String(q.beforeId));
  return query.orderBy('moderation_log.id', 'desc').limit(q.limit).execute();
}

/** Imported comments' first log rows (from nothing to the source's status), for every row the CTE `source` returned. */
export function insertImportLogRowsFrom(
  source: string,
  e: { siteId: string; actorType: ActorType; actorId: string; note: string },
): RawBuilder<unknown> {
  return sql`insert into moderation_log (comment_id, site_id, actor_type, actor_id, from_status, to_status, reasons, note)
    select id, ${e.siteId}, ${e.actorType}, ${e.actorId}, null, status, '[]'::jsonb, ${e.note}::text
    from ${sql.table(source)}`;
}
