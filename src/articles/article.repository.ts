// Articles: created on their first comment, counted and versioned as comments are published, closed
// by their rules. The only module that writes the table.
import { type RawBuilder, sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { ArticleRow } from '../db/schema.ts';
import type { ModerationMode } from '../domain/moderation-mode.ts';

export async function findArticle(db: DbOrTx, siteId: string, externalId: string): Promise<ArticleRow | undefined> {
  return db
    .selectFrom('articles')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** Creates the article on its first comment; a concurrent first comment's insert wins and is returned. */
export async function findOrCreateArticle(
  db: DbOrTx,
  a: { siteId: string; externalId: string; url: string | null; title: string | null },
): Promise<ArticleRow> {
  const inserted = await db
    .insertInto('articles')
    .values({ site_id: a.siteId, external_id: a.externalId, url: a.url, title: a.title })
    .onConflict((oc) => oc.columns(['site_id', 'external_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? (await findArticle(db, a.siteId, a.externalId))!;
}

/**
 * A comment's correction of the article's URL or title (article-url.ts says when), applied only if
 * the article still has the URL the decision was made on and no admin has edited it meanwhile.
 */
export async function correctArticle(
  db: DbOrTx,
  id: number,
  expectedUrl: string | null,
  patch: { url?: string; title?: string },
): Promise<ArticleRow | undefined> {
  return db
    .updateTable('articles')
    .set({ ...patch, thread_version: sql`thread_version + 1` })
    .where('id', '=', id)
    .where('edited_at', 'is', null)
    .where(sql<boolean>`url is not distinct from ${expectedUrl}`)
    .returningAll()
    .executeTakeFirst();
}

/** An admin's edit of the URL or title: final, comments never change them afterwards. */
export async function editArticle(
  db: DbOrTx,
  id: number,
  patch: { url?: string | null; title?: string | null },
): Promise<ArticleRow> {
  return db
    .updateTable('articles')
    .set({ ...patch, edited_at: new Date(), thread_version: sql`thread_version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Approved comments a thread does not show, by article: those under a parent that is not published
 * (pending, rejected or spam; a deleted parent keeps its place as a placeholder, so its replies show).
 * Walked down from the unpublished comments (a partial index holds them per article), so the cost is
 * theirs and their replies', not the thread's.
 */
async function unshownApproved(db: DbOrTx, articleIds: number[]): Promise<Map<number, number>> {
  if (articleIds.length === 0) return new Map();
  const { rows } = await sql<{ article_id: number; n: number }>`
    with recursive unshown (id, article_id, status) as (
      select id, article_id, status from comments
        where article_id = any(${articleIds}::bigint[]) and status in ('pending', 'rejected', 'spam')
      union
      select c.id, c.article_id, c.status from comments c join unshown u on c.parent_id = u.id
    )
    select article_id, count(*)::int as n from unshown where status = 'approved' group by article_id`.execute(db);
  return new Map(rows.map((r) => [Number(r.article_id), r.n]));
}

/** The article's published count as its thread shows it: approved comments under published parents. */
export async function shownCount(db: DbOrTx, article: Pick<ArticleRow, 'id' | 'published_count'>): Promise<number> {
  const unshown = await unshownApproved(db, [article.id]);
  return article.published_count - (unshown.get(article.id) ?? 0);
}

/** Published counts by the publisher's article ids, as the threads show them (shownCount). */
export async function countsByExternalId(
  db: DbOrTx,
  siteId: string,
  externalIds: string[],
): Promise<Map<string, number>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('articles')
    .select(['id', 'external_id', 'published_count'])
    .where('site_id', '=', siteId)
    .where('external_id', 'in', externalIds)
    .execute();
  const unshown = await unshownApproved(
    db,
    rows.map((r) => r.id),
  );
  return new Map(rows.map((r) => [r.external_id, r.published_count - (unshown.get(r.id) ?? 0)]));
}

/**
 * The article's counters after a comment's change, as the body of a data-modifying CTE that runs only
 * when the CTE `source` returned the comment: the first comment's time (kept once set), and the
 * published count and thread version (the public ETag) when the change publishes or unpublishes.
 * Null when there is nothing to change.
 */
export function updateCountersFrom(
  source: string,
  c: { articleId: number; publishedDelta: -1 | 0 | 1; firstCommentAt?: Date },
): RawBuilder<unknown> | null {
  if (!c.firstCommentAt && c.publishedDelta === 0) return null;
  const first = c.firstCommentAt ? sql`first_comment_at = coalesce(first_comment_at, ${c.firstCommentAt}),` : sql``;
  return sql`update articles set ${first}
      published_count = published_count + ${c.publishedDelta},
      thread_version = thread_version + ${c.publishedDelta === 0 ? 0 : 1}
    where id = ${c.articleId} and exists (select 1 from ${sql.table(source)})
    ${c.publishedDelta === 0 ? sql`and first_comment_at is null` : sql``}`;
}

/**
 * The counters of every article a bulk action touched, in one CTE: from the CTE `input` (columns id,
 * article_id, published_delta) for the comments the CTE `source` returned; each published/unpublished
 * comment moves its article's thread version, as updateCountersFrom does for one.
 */
export function updateManyCountersFrom(source: string, input: string): RawBuilder<unknown> {
  return sql`update articles set published_count = articles.published_count + d.delta,
      thread_version = articles.thread_version + d.moves
    from (select i.article_id, sum(i.published_delta)::int as delta, count(*)::int as moves
          from ${sql.table(input)} as i join ${sql.table(source)} as s on s.id = i.id
          where i.published_delta <> 0 group by i.article_id) as d
    where articles.id = d.article_id`;
}

/**
 * The counters of the articles of several new comments (a group commit) in one CTE, as updateCountersFrom
 * does for one: from the CTE `input` (id, article_id, published_delta, created_at) for the comments the CTE
 * `source` returned.
 */
export function updateNewCommentCountersFrom(source: string, input: string): RawBuilder<unknown> {
  return sql`update articles set first_comment_at = coalesce(articles.first_comment_at, d.first),
      published_count = articles.published_count + d.delta,
      thread_version = articles.thread_version + d.moves
    from (select i.article_id, min(i.created_at) as first, sum(i.published_delta)::int as delta,
                 (count(*) filter (where i.published_delta <> 0))::int as moves
          from ${sql.table(input)} as i join ${sql.table(source)} as s on s.id = i.id
          group by i.article_id) as d
    where articles.id = d.article_id and (d.moves > 0 or articles.first_comment_at is null)`;
}

/** Closes the site's open articles whose first comment is older than the cut-off. */
export async function closeArticlesBefore(db: DbOrTx, siteId: string, firstCommentBefore: Date): Promise<number> {
  const res = await db
    .updateTable('articles')
    .set({ closed_at: new Date(), thread_version: sql`thread_version + 1` })
    .where('site_id', '=', siteId)
    .where('closed_at', 'is', null)
    // A moderator reopened it: the rule no longer closes it.
    .where('reopened_at', 'is', null)
    .where('first_comment_at', '<', firstCommentBefore)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The article, locked until the transaction ends: two moderators' changes apply one after the other. */
export async function findArticleForUpdate(
  tx: DbOrTx,
  siteId: string,
  externalId: string,
): Promise<ArticleRow | undefined> {
  return tx
    .selectFrom('articles')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('external_id', '=', externalId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * A moderator's close, reopen or moderation mode. Closing and reopening change what the public thread
 * says (closed or not), so they bump its version (the ETag); a mode change does not show there.
 */
export async function setArticleControls(
  db: DbOrTx,
  id: number,
  patch: { closed_at?: Date | null; reopened_at?: Date | null; moderation_mode?: ModerationMode | null },
): Promise<ArticleRow> {
  const threadChanged = patch.closed_at !== undefined;
  return db
    .updateTable('articles')
    .set({ ...patch, ...(threadChanged ? { thread_version: sql`thread_version + 1` } : {}) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An import's threads, looked up in one statement: the site's articles with any of these URLs or ids. */
export async function findArticlesForImport(
  db: DbOrTx,
  siteId: string,
  urls: string[],
  externalIds: string[],
): Promise<Pick<ArticleRow, 'id' | 'external_id' | 'url'>[]> {
  if (urls.length === 0 && externalIds.length === 0) return [];
  return db
    .selectFrom('articles')
    .select(['id', 'external_id', 'url'])
    .where('site_id', '=', siteId)
    .where((eb) =>
      eb.or([sql<boolean>`url = any(${urls}::text[])`, sql<boolean>`external_id = any(${externalIds}::text[])`]),
    )
    .orderBy('id')
    .execute();
}

/**
 * Imported threads' articles, in one statement: created with what the source says of them (URL,
 * title, closed); one that exists (created meanwhile) is left exactly as it is (an import never
 * overwrites) and found instead. Returns the ids by external id.
 */
export async function createImportedArticles(
  db: DbOrTx,
  siteId: string,
  list: { externalId: string; url: string | null; title: string | null; closedAt: Date | null }[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (list.length === 0) return ids;
  const inserted = await db
    .insertInto('articles')
    .values(
      list.map((a) => ({
        site_id: siteId,
        external_id: a.externalId,
        url: a.url,
        title: a.title,
        closed_at: a.closedAt,
      })),
    )
    .onConflict((oc) => oc.columns(['site_id', 'external_id']).doNothing())
    .returning(['id', 'external_id'])
    .execute();
  for (const r of inserted) ids.set(r.external_id, r.id);
  const missing = list.map((a) => a.externalId).filter((id) => !ids.has(id));
  if (missing.length) {
    const found = await db
      .selectFrom('articles')
      .select(['id', 'external_id'])
      .where('site_id', '=', siteId)
      .where(sql<boolean>`external_id = any(${missing}::text[])`)
      .execute();
    for (const r of found) ids.set(r.external_id, r.id);
  }
  return ids;
}

/**
 * After an import: published counts recounted from the comments, the first comment's time moved back
 * to the oldest one, and the thread version bumped (the public ETag changes).
 */
export async function recountArticles(db: DbOrTx, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`update articles a set
      published_count = c.published,
      first_comment_at = least(a.first_comment_at, c.first),
      thread_version = a.thread_version + 1
    from (select article_id, (count(*) filter (where status = 'approved'))::int as published, min(created_at) as first
          from comments where article_id in (${sql.join(ids)}) group by article_id) c
    where a.id = c.article_id`.execute(db);
}

/** One page of a site's articles for an export, in id order (or the one article asked for). */
export async function listArticlesForExport(
  db: DbOrTx,
  siteId: string,
  q: { afterId: number; limit: number; externalId?: string },
): Promise<ArticleRow[]> {
  let query = db.selectFrom('articles').selectAll().where('site_id', '=', siteId).where('id', '>', q.afterId);
  if (q.externalId !== undefined) query = query.where('external_id', '=', q.externalId);
  return query.orderBy('id').limit(q.limit).execute();
}
