import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { ArticleRow } from '../db/schema.ts';

export async function findArticle(db: DbOrTx, siteId: string, externalId: string): Promise<ArticleRow | undefined> {
  return db
    .selectFrom('articles')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export async function findArticleById(db: DbOrTx, id: number): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds the article or creates it on its first comment; url and title fill in when first known. */
export async function findOrCreateArticle(
  db: DbOrTx,
  a: { siteId: string; externalId: string; url: string | null; title: string | null },
): Promise<ArticleRow> {
  const existing = await findArticle(db, a.siteId, a.externalId);
  if (existing && (existing.url || !a.url) && (existing.title || !a.title)) return existing;
  return db
    .insertInto('articles')
    .values({ site_id: a.siteId, external_id: a.externalId, url: a.url, title: a.title })
    .onConflict((oc) =>
      oc.columns(['site_id', 'external_id']).doUpdateSet({
        url: sql`coalesce(articles.url, excluded.url)`,
        title: sql`coalesce(articles.title, excluded.title)`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countsByExternalId(
  db: DbOrTx,
  siteId: string,
  externalIds: string[],
): Promise<Map<string, number>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('articles')
    .select(['external_id', 'published_count'])
    .where('site_id', '=', siteId)
    .where('external_id', 'in', externalIds)
    .execute();
  return new Map(rows.map((r) => [r.external_id, r.published_count]));
}

export async function setArticleClosed(db: DbOrTx, articleId: number, closed: boolean): Promise<void> {
  await db
    .updateTable('articles')
    .set({ closed_at: closed ? new Date() : null })
    .where('id', '=', articleId)
    .execute();
}
