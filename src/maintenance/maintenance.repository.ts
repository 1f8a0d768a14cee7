import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';

/** Deletes spam older than the retention; spam that has replies stays (replies keep their place). */
export async function purgeSpam(db: DbOrTx, siteId: string, olderThan: Date): Promise<number> {
  const res = await db
    .deleteFrom('comments')
    .where('site_id', '=', siteId)
    .where('status', '=', 'spam')
    .where('updated_at', '<', olderThan)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('comments as child').select(sql`1`.as('one')).whereRef('child.parent_id', '=', 'comments.id'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Closes the site's open articles whose first comment is older than the cut-off. */
export async function closeArticlesBefore(db: DbOrTx, siteId: string, firstCommentBefore: Date): Promise<number> {
  const res = await db
    .updateTable('articles')
    .set({ closed_at: new Date(), thread_version: sql`thread_version + 1` })
    .where('site_id', '=', siteId)
    .where('closed_at', 'is', null)
    .where('first_comment_at', '<', firstCommentBefore)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
