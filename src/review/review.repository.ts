// Reads for the review queue: comments by status across the sites a moderator may see, counts,
// parents and the author's history (by email HMAC).
import { type ExpressionBuilder, sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { CommentRow, Database } from '../db/schema.ts';
import type { CommentStatus } from '../domain/comment-status.ts';

export interface QueueFilter {
  /** null: every site. */
  siteIds: string[] | null;
  siteId?: string | undefined;
  /** The article's external id (as publishers know it). */
  articleId?: string | undefined;
  /** An article as moderators name it: its title (case-insensitive substring) or its exact id. */
  article?: string | undefined;
  /** Text searched in body, name and email (case-insensitive substring). */
  q?: string | undefined;
}

export type QueueRow = CommentRow & {
  article_external_id: string;
  article_title: string | null;
  article_url: string | null;
};

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The filter's conditions on comments alone (sites and text). */
function commentConditions(eb: ExpressionBuilder<Database, 'comments'>, f: QueueFilter) {
  const conditions = [];
  if (f.siteIds) conditions.push(eb('comments.site_id', 'in', f.siteIds.length ? f.siteIds : ['']));
  if (f.siteId) conditions.push(eb('comments.site_id', '=', f.siteId));
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    conditions.push(
      eb.or([
        eb('comments.body', 'ilike', pattern),
        eb('comments.name', 'ilike', pattern),
        eb('comments.email', 'ilike', pattern),
      ]),
    );
  }
  return eb.and(conditions);
}

function where(eb: ExpressionBuilder<Database, 'comments' | 'articles'>, f: QueueFilter) {
  const conditions = [];
  if (f.siteIds) conditions.push(eb('comments.site_id', 'in', f.siteIds.length ? f.siteIds : ['']));
  if (f.siteId) conditions.push(eb('comments.site_id', '=', f.siteId));
  if (f.articleId) conditions.push(eb('articles.external_id', '=', f.articleId));
  if (f.article)
    conditions.push(
      eb.or([eb('articles.external_id', '=', f.article), eb('articles.title', 'ilike', `%${escapeLike(f.article)}%`)]),
    );
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    conditions.push(
      eb.or([
        eb('comments.body', 'ilike', pattern),
        eb('comments.name', 'ilike', pattern),
        eb('comments.email', 'ilike', pattern),
      ]),
    );
  }
  return eb.and(conditions);
}

/** The learned spam score a comment was given when posted (its learned_spam reason), or null. */
const learnedScore = sql<number | null>`(select (r->'data'->>'score')::float8
  from jsonb_array_elements(comments.reasons) r where r->>'code' = 'learned_spam' limit 1)`;

export type ScoreOrder = 'spam-first' | 'spam-last';

/** Where a page sorted by score ended: the last comment's score (unscored ones sort last) and id. */
export interface ScoreCursor {
  score: number;
  id: string;
}

/**
 * By learned spam score, most likely spam first (or last), keyset-paged by (score, id). Comments
 * never scored come after the scored ones either way (as -1 or 2).
 */
export async function listQueueByScore(
  db: DbOrTx,
  f: QueueFilter & { status: CommentStatus; order: ScoreOrder; after: ScoreCursor | null; limit: number },
): Promise<(QueueRow & { sort_score: number })[]> {
  const desc = f.order === 'spam-first';
  const key = sql<number>`coalesce(${learnedScore}, ${desc ? -1 : 2}::float8)`;
  let query = db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .selectAll('comments')
    .select([
      'articles.external_id as article_external_id',
      'articles.title as article_title',
      'articles.url as article_url',
      key.as('sort_score'),
    ])
    .where('comments.status', '=', f.status)
    .where((eb) => where(eb, f));
  if (f.after)
    query = desc
      ? query.where(sql<boolean>`(${key}, comments.id) < (${f.after.score}::float8, ${f.after.id}::uuid)`)
      : query.where(sql<boolean>`(${key}, comments.id) > (${f.after.score}::float8, ${f.after.id}::uuid)`);
  return query
    .orderBy(key, desc ? 'desc' : 'asc')
    .orderBy('comments.id', desc ? 'desc' : 'asc')
    .limit(f.limit)
    .execute();
}

/**
 * Newest first (or oldest first), keyset-paged by (created_at, id): `before` is where the previous page
 * ended, in the order of the page; `after` (newest first only) asks for what came in since.
 */
export async function listQueue(
  db: DbOrTx,
  f: QueueFilter & {
    status: CommentStatus;
    before: { createdAt: Date; id: string } | null;
    after?: { createdAt: Date; id: string } | null;
    oldestFirst?: boolean;
    limit: number;
  },
): Promise<QueueRow[]> {
  let query = db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .selectAll('comments')
    .select([
      'articles.external_id as article_external_id',
      'articles.title as article_title',
      'articles.url as article_url',
    ])
    .where('comments.status', '=', f.status)
    .where((eb) => where(eb, f));
  if (f.before)
    query = f.oldestFirst
      ? query.where(sql<boolean>`(comments.created_at, comments.id) > (${f.before.createdAt}, ${f.before.id}::uuid)`)
      : query.where(sql<boolean>`(comments.created_at, comments.id) < (${f.before.createdAt}, ${f.before.id}::uuid)`);
  if (f.after)
    query = query.where(sql<boolean>`(comments.created_at, comments.id) > (${f.after.createdAt}, ${f.after.id}::uuid)`);
  const dir = f.oldestFirst ? 'asc' : 'desc';
  return query.orderBy('comments.created_at', dir).orderBy('comments.id', dir).limit(f.limit).execute();
}

export async function countByStatus(db: DbOrTx, f: QueueFilter): Promise<Record<string, number>> {
  // Every comment has its article, so without an article filter the join changes no count, and
  // leaving it out lets a site's counts come from comments_site_status_idx alone (the live queue reads
  // them after every announced change: a join and a heap scan cost 36–46 ms on 100,000 comments).
  const rows =
    f.articleId || f.article
      ? await db
          .selectFrom('comments')
          .innerJoin('articles', 'articles.id', 'comments.article_id')
          .select(['comments.status', (eb) => eb.fn.countAll<number>().as('n')])
          .where((eb) => where(eb, f))
          .groupBy('comments.status')
          .execute()
      : await db
          .selectFrom('comments')
          .select(['comments.status', (eb) => eb.fn.countAll<number>().as('n')])
          .where((eb) => commentConditions(eb, f))
          .groupBy('comments.status')
          .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function findCommentsByIds(db: DbOrTx, ids: string[]): Promise<CommentRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('comments').selectAll().where('id', 'in', ids).execute();
}

/** Comments by status for each author (site + email HMAC) on the page. */
export async function authorStatusCounts(
  db: DbOrTx,
  authors: { siteId: string; emailHash: string }[],
): Promise<{ site_id: string; email_hash: string; status: CommentStatus; n: number }[]> {
  const hashes = [...new Set(authors.map((a) => a.emailHash).filter(Boolean))];
  if (hashes.length === 0) return [];
  const sites = [...new Set(authors.map((a) => a.siteId))];
  const rows = await db
    .selectFrom('comments')
    .select(['site_id', 'email_hash', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('site_id', 'in', sites)
    .where('email_hash', 'in', hashes)
    .groupBy(['site_id', 'email_hash', 'status'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** The names each author (site + email HMAC) on the page has written under, lower-cased, up to `limit` each. */
export async function namesOfAuthors(
  db: DbOrTx,
  authors: { siteId: string; emailHash: string }[],
): Promise<{ site_id: string; email_hash: string; name: string }[]> {
  const hashes = [...new Set(authors.map((a) => a.emailHash).filter(Boolean))];
  if (hashes.length === 0) return [];
  const sites = [...new Set(authors.map((a) => a.siteId))];
  return db
    .selectFrom('comments')
    .select(['site_id', 'email_hash', sql<string>`min(name)`.as('name')])
    .where('site_id', 'in', sites)
    .where('email_hash', 'in', hashes)
    .where('status', '<>', 'deleted')
    .groupBy(['site_id', 'email_hash', sql`lower(name)`])
    .execute();
}

export async function recentByAuthor(
  db: DbOrTx,
  siteId: string,
  emailHash: string,
  limit: number,
): Promise<QueueRow[]> {
  if (!emailHash) return [];
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .selectAll('comments')
    .select([
      'articles.external_id as article_external_id',
      'articles.title as article_title',
      'articles.url as article_url',
    ])
    .where('comments.site_id', '=', siteId)
    .where('comments.email_hash', '=', emailHash)
    .orderBy('comments.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function findQueueRow(db: DbOrTx, id: string): Promise<QueueRow | undefined> {
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .selectAll('comments')
    .select([
      'articles.external_id as article_external_id',
      'articles.title as article_title',
      'articles.url as article_url',
    ])
    .where('comments.id', '=', id)
    .executeTakeFirst();
}

/** What the log pages show of each comment: its author's name, the start of its text, its article. */
export async function commentSummaries(
  db: DbOrTx,
  ids: string[],
): Promise<{ id: string; name: string; excerpt: string; article_id: string; article_title: string | null }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select([
      'comments.id',
      'comments.name',
      sql<string>`left(comments.body, 121)`.as('excerpt'),
      'articles.external_id as article_id',
      'articles.title as article_title',
    ])
    .where('comments.id', 'in', ids)
    .execute();
}

/**
 * Per site, the IP the most of its last `window` comments came from (comments without an IP aside):
 * behind a reverse proxy without TRUST_PROXY every comment arrives from the proxy's address.
 */
export async function busiestIps(
  db: DbOrTx,
  siteIds: string[] | null,
  window: number,
): Promise<{ site_id: string; ip: string; n: number; total: number }[]> {
  const scope = siteIds ? sql`where s.id in (${sql.join(siteIds.length ? siteIds : [''])})` : sql``;
  const { rows } = await sql<{ site_id: string; ip: string; n: number; total: number }>`
    select s.id as site_id, t.ip, t.n::int as n, t.total::int as total
    from sites s
    cross join lateral (
      select c.ip, count(*) as n, sum(count(*)) over () as total
      from (select ip from comments where site_id = s.id and ip is not null order by created_at desc limit ${window}) c
      group by c.ip
      order by n desc, c.ip
      limit 1
    ) t
    ${scope}
    order by s.id`.execute(db);
  return rows;
}
