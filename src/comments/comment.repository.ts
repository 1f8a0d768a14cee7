import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { CommentRow } from '../db/schema.ts';

export async function findComment(db: DbOrTx, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the row so concurrent status changes of one comment apply one after the other. */
export async function findCommentForUpdate(db: DbOrTx, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks several rows in id order (so concurrent batches cannot deadlock); missing ids are simply absent. */
export async function findCommentsForUpdate(db: DbOrTx, ids: string[]): Promise<CommentRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('comments').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

const PUBLIC_COLUMNS = [
  'id',
  'parent_id',
  'root_id',
  'depth',
  'name',
  'email_hash',
  'body',
  'status',
  'created_at',
] as const;
export type ThreadRow = Pick<CommentRow, (typeof PUBLIC_COLUMNS)[number]>;

/** One page of top-level comments that are visible on the thread (published, or deleted placeholders). */
export async function listTopLevelPage(
  db: DbOrTx,
  q: { articleId: number; sort: 'oldest' | 'newest'; after: { createdAt: Date; id: string } | null; limit: number },
): Promise<ThreadRow[]> {
  const forward = q.sort === 'oldest';
  let query = db
    .selectFrom('comments')
    .select(PUBLIC_COLUMNS)
    .where('article_id', '=', q.articleId)
    .where('parent_id', 'is', null)
    .where('status', 'in', ['approved', 'deleted']);
  if (q.after) {
    const cmp = forward ? sql`>` : sql`<`;
    query = query.where(sql<boolean>`(created_at, id) ${cmp} (${q.after.createdAt}, ${q.after.id}::uuid)`);
  }
  const dir = forward ? 'asc' : 'desc';
  return query.orderBy('created_at', dir).orderBy('id', dir).limit(q.limit).execute();
}

/** Published (and deleted placeholder) replies under the given top-level comments, oldest first. */
export async function listReplies(db: DbOrTx, rootIds: string[], limit: number): Promise<ThreadRow[]> {
  if (rootIds.length === 0) return [];
  return db
    .selectFrom('comments')
    .select(PUBLIC_COLUMNS)
    .where('root_id', 'in', rootIds)
    .where('parent_id', 'is not', null)
    .where('status', 'in', ['approved', 'deleted'])
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}

/** Erasure: the text and every personal detail blanked in place; the row keeps its place in the thread. */
export async function blankComment(db: DbOrTx, id: string): Promise<void> {
  await db
    .updateTable('comments')
    .set({ name: '', email: '', email_hash: '', ip: null, user_agent: null, body: '', updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function listCommentIdsByAuthor(db: DbOrTx, siteId: string, emailHash: string): Promise<string[]> {
  const rows = await db
    .selectFrom('comments')
    .select('id')
    .where('site_id', '=', siteId)
    .where('email_hash', '=', emailHash)
    .where('status', '!=', 'deleted')
    .execute();
  return rows.map((r) => r.id);
}

/** The author's comments on a site by status, for the filters (trust and history). */
export function authorCountsQuery(db: DbOrTx, siteId: string, emailHash: string) {
  return db
    .selectFrom('comments')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('site_id', '=', siteId)
    .where('email_hash', '=', emailHash)
    .groupBy('status');
}
