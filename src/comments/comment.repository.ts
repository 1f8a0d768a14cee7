// Comments: stored with their first status, changed along their lifecycle, blanked on erasure, spam
// purged after its retention. The only module that writes the table.
import { type RawBuilder, sql } from 'kysely';
import { type DbOrTx, jsonb } from '../db/database.ts';
import type { CommentRow } from '../db/schema.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import { redactReasons } from '../domain/redacted-reason.ts';

export interface NewCommentRow {
  id: string;
  siteId: string;
  articleId: number;
  parentId: string | null;
  rootId: string;
  depth: number;
  name: string;
  email: string;
  emailHash: string;
  ip: string | null;
  userAgent: string | null;
  body: string;
  status: CommentStatus;
  reasons: unknown[];
  createdAt: Date;
}

export interface StatusUpdate {
  id: string;
  /** The status the change was decided on: the row is changed only while it still has it. */
  from: CommentStatus;
  status: CommentStatus;
  reasons?: unknown[];
  publishedAt?: Date;
}

const NO_PARENT = sql`'00000000-0000-0000-0000-000000000000'::uuid`;

/**
 * The new comment as the body of a data-modifying CTE returning its id; nothing (no id) when it
 * duplicates one (same author, article, parent and body: the unique index) or when `onlyIf` (the name
 * of an earlier CTE, such as the Idempotency-Key's claim) returned no row. It also returns `event_seq`,
 * the sequence number of the last of the `eventCount` events written with it.
 */
export function insertCommentReturningId(
  c: NewCommentRow,
  onlyIf: string | null,
  eventCount: number,
): RawBuilder<unknown> {
  const published = c.status === 'approved' ? c.createdAt : null;
  return sql`insert into comments (id, site_id, article_id, parent_id, root_id, depth, name, email, email_hash, ip,
                          user_agent, body, status, reasons, created_at, updated_at, published_at, event_seq)
    select ${c.id}::uuid, ${c.siteId}, ${c.articleId}, ${c.parentId}::uuid, ${c.rootId}::uuid, ${c.depth}, ${c.name},
           ${c.email}, ${c.emailHash}, ${c.ip}, ${c.userAgent}, ${c.body}, ${c.status}, ${jsonb(c.reasons)},
           ${c.createdAt}, ${c.createdAt}, ${published}::timestamptz, ${eventCount}::int
    ${onlyIf ? sql`where exists (select 1 from ${sql.table(onlyIf)})` : sql``}
    on conflict (article_id, email_hash, (coalesce(parent_id, ${NO_PARENT})), (md5(body))) where status <> 'deleted' and source_key is null do nothing
    returning id, event_seq`;
}

/**
 * Several new comments (a group commit, group-commit.ts) as the body of ONE data-modifying CTE, as
 * insertCommentReturningId inserts one: from the CTE `input` (the comment's columns, `event_count`,
 * `claim_key` and `ord`, the order the requests arrived in, which decides who wins a duplicate), each only
 * if it claims no key or the CTE `claimed` (site_id, key) returned its key.
 */
export function insertCommentsFrom(input: string, claimed: string): RawBuilder<unknown> {
  return sql`insert into comments (id, site_id, article_id, parent_id, root_id, depth, name, email, email_hash, ip,
                          user_agent, body, status, reasons, created_at, updated_at, published_at, event_seq)
    select i.id, i.site_id, i.article_id, i.parent_id, i.root_id, i.depth, i.name, i.email, i.email_hash, i.ip,
           i.user_agent, i.body, i.status, i.reasons, i.created_at, i.created_at,
           case when i.status = 'approved' then i.created_at end, i.event_count
    from ${sql.table(input)} as i
    where i.claim_key is null
       or exists (select 1 from ${sql.table(claimed)} as k where k.site_id = i.site_id and k.key = i.claim_key)
    order by i.ord
    on conflict (article_id, email_hash, (coalesce(parent_id, ${NO_PARENT})), (md5(body))) where status <> 'deleted' and source_key is null do nothing
    returning id, event_seq`;
}

/** A status change of an existing comment as the body of a data-modifying CTE returning its id and its raised `event_seq`. */
export function updateStatusReturningId(u: StatusUpdate, eventCount: number): RawBuilder<unknown> {
  const reasons = u.reasons !== undefined ? sql`, reasons = ${jsonb(u.reasons)}` : sql``;
  const published = u.publishedAt !== undefined ? sql`, published_at = ${u.publishedAt}` : sql``;
  // The row lock taken here orders concurrent changes of the comment, so their sequence numbers do too.
  return sql`update comments set status = ${u.status}, updated_at = ${new Date()}${reasons}${published},
      event_seq = event_seq + ${eventCount}::int
    where id = ${u.id} and status = ${u.from} returning id, event_seq`;
}

/**
 * Many comments' changes as the body of ONE data-modifying CTE (bulk actions): the rows come from the CTE
 * named `input` (columns id, from_status, to_status, reasons: null keeps them, published_at: null keeps it,
 * event_count). Like updateStatusReturningId, a row changes only while it still has the status decided on.
 */
export function updateStatusesFrom(input: string): RawBuilder<unknown> {
  const i = (column: string) => sql.ref(`${input}.${column}`);
  return sql`update comments set status = ${i('to_status')}, updated_at = ${new Date()},
      reasons = coalesce(${i('reasons')}, comments.reasons),
      published_at = coalesce(${i('published_at')}, comments.published_at),
      event_seq = comments.event_seq + ${i('event_count')}
    from ${sql.table(input)}
    where comments.id = ${i('id')} and comments.status = ${i('from_status')}
    returning comments.id, comments.event_seq`;
}

/** Events about a comment that change nothing else (reports): raises its `event_seq`, as the body of a CTE. */
export function raiseEventSeqReturningId(id: string, eventCount: number): RawBuilder<unknown> {
  return sql`update comments set event_seq = event_seq + ${eventCount}::int where id = ${id} returning id, event_seq`;
}

export async function findComment(db: DbOrTx, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The comment with its article's external id (what moderators are shown). */
export async function findCommentWithArticle(
  db: DbOrTx,
  id: string,
): Promise<(CommentRow & { article_external_id: string }) | undefined> {
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .selectAll('comments')
    .select('articles.external_id as article_external_id')
    .where('comments.id', '=', id)
    .executeTakeFirst();
}

/** Several comments with their articles' external ids, in one query (what a bulk action answers with). */
export async function findCommentsWithArticle(
  db: DbOrTx,
  ids: string[],
): Promise<(CommentRow & { article_external_id: string })[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .selectAll('comments')
    .select('articles.external_id as article_external_id')
    .where('comments.id', 'in', ids)
    .execute();
}

/** A locked comment with what its events say of its article. */
export type LockedComment = CommentRow & {
  article_external_id: string;
  article_url: string | null;
  article_title: string | null;
};

/** Locks several rows in id order (so concurrent batches cannot deadlock); missing ids are simply absent. */
export async function findCommentsForUpdate(db: DbOrTx, ids: string[]): Promise<LockedComment[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .selectAll('comments')
    .select([
      'articles.external_id as article_external_id',
      'articles.url as article_url',
      'articles.title as article_title',
    ])
    .where('comments.id', 'in', ids)
    .orderBy('comments.id')
    .forUpdate('comments')
    .execute();
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

/**
 * Erasure: the text and every personal detail of deleted comments blanked in place, the filter
 * reasons redacted (they quote the text, the email, the IP); the row keeps its place in the thread.
 * Only deleted rows: blank live rows would collide in the duplicate index. Safe to run again.
 */
export async function blankComments(db: DbOrTx, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .selectFrom('comments')
    .select(['id', 'reasons'])
    .where('id', 'in', ids)
    .where('status', '=', 'deleted')
    .execute();
  for (const r of rows) {
    await db
      .updateTable('comments')
      .set({
        name: '',
        email: '',
        email_hash: '',
        ip: null,
        user_agent: null,
        body: '',
        reasons: JSON.stringify(redactReasons(r.reasons)),
        updated_at: new Date(),
      })
      .where('id', '=', r.id)
      .execute();
  }
  return rows.length;
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

/**
 * The author's comments on a site by status, for the filters (trust and history), and how many of each
 * were written under this name (case-insensitive): `first` mode trusts name and email together.
 */
export function authorCountsQuery(db: DbOrTx, siteId: string, emailHash: string, name: string) {
  return db
    .selectFrom('comments')
    .select([
      'status',
      sql<number>`count(*)::int`.as('n'),
      sql<number>`(count(*) filter (where lower(name) = lower(${name})))::int`.as('same_name'),
    ])
    .where('site_id', '=', siteId)
    .where('email_hash', '=', emailHash)
    .groupBy('status');
}

/**
 * Deletes spam older than the retention; spam that has replies stays (replies keep their place).
 * Returns the ids deleted: their events, deliveries and log rows go with them (foreign keys), and the
 * caller clears what holds copies without a key (Idempotency-Key answers).
 */
export async function purgeSpam(db: DbOrTx, siteId: string, olderThan: Date): Promise<string[]> {
  const rows = await db
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
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** An imported comment: its first status comes from the source system, and its source key finds it again. */
export interface ImportedCommentRow {
  id: string;
  articleId: number;
  parentId: string | null;
  rootId: string;
  depth: number;
  name: string;
  email: string;
  emailHash: string;
  ip: string | null;
  userAgent: string | null;
  body: string;
  status: CommentStatus;
  createdAt: Date;
  sourceKey: string;
}

/**
 * Imported comments as the body of a data-modifying CTE returning the ids and statuses stored: one
 * statement for a whole batch (arrays unnested, so the statement's size does not grow with it). A row
 * whose source key is already there (a concurrent import) is left alone: imports never overwrite.
 */
export function insertImportedReturning(siteId: string, rows: ImportedCommentRow[]): RawBuilder<unknown> {
  const col = <T>(pick: (r: ImportedCommentRow) => T) => rows.map(pick);
  return sql`insert into comments (id, site_id, article_id, parent_id, root_id, depth, name, email, email_hash, ip,
                          user_agent, body, status, reasons, created_at, updated_at, published_at, source_key)
    select u.id, ${siteId}, u.article_id, u.parent_id, u.root_id, u.depth, u.name, u.email, u.email_hash, u.ip,
           u.user_agent, u.body, u.status, '[]'::jsonb, u.created_at, now(),
           case when u.status = 'approved' then u.created_at end, u.source_key
    from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.articleId)}::int[], ${col((r) => r.parentId)}::uuid[],
                ${col((r) => r.rootId)}::uuid[], ${col((r) => r.depth)}::int[], ${col((r) => r.name)}::text[],
                ${col((r) => r.email)}::text[], ${col((r) => r.emailHash)}::text[], ${col((r) => r.ip)}::text[],
                ${col((r) => r.userAgent)}::text[], ${col((r) => r.body)}::text[], ${col((r) => r.status)}::text[],
                ${col((r) => r.createdAt.toISOString())}::timestamptz[], ${col((r) => r.sourceKey)}::text[])
         as u (id, article_id, parent_id, root_id, depth, name, email, email_hash, ip, user_agent, body, status,
               created_at, source_key)
    on conflict do nothing
    returning id, status`;
}

export interface ThreadPlace {
  id: string;
  rootId: string;
  depth: number;
  /** The source key it was found by (or its id, for a restore of our own export). */
  key: string;
}

/**
 * Where already-imported comments sit: found by source key, or (a restore of our own export into the
 * site it came from) by id, so an import never adds a comment twice.
 */
export async function findImportedPlaces(
  db: DbOrTx,
  siteId: string,
  sourceKeys: string[],
  ownIds: string[],
): Promise<ThreadPlace[]> {
  if (sourceKeys.length === 0 && ownIds.length === 0) return [];
  const rows = await db
    .selectFrom('comments')
    .select(['id', 'root_id', 'depth', 'source_key'])
    .where('site_id', '=', siteId)
    .where((eb) =>
      eb.or([
        // One array parameter each, not one parameter per key: a batch of thousands stays one short statement.
        ...(sourceKeys.length ? [sql<boolean>`source_key = any(${sourceKeys}::text[])`] : []),
        ...(ownIds.length ? [sql<boolean>`id = any(${ownIds}::uuid[])`] : []),
      ]),
    )
    .execute();
  return rows.flatMap((r) => {
    const places: ThreadPlace[] = [];
    if (r.source_key) places.push({ id: r.id, rootId: r.root_id, depth: r.depth, key: r.source_key });
    if (ownIds.includes(r.id)) places.push({ id: r.id, rootId: r.root_id, depth: r.depth, key: r.id });
    return places;
  });
}

export interface ExportCommentRow {
  id: string;
  parent_id: string | null;
  status: CommentStatus;
  name: string;
  email: string;
  ip: string | null;
  user_agent: string | null;
  body: string;
  created_at: Date;
}

/** One page of an article's comments for an export, oldest first (keyset on time and id). */
export async function listCommentsForExport(
  db: DbOrTx,
  articleId: number,
  after: { createdAt: Date; id: string } | null,
  limit: number,
): Promise<ExportCommentRow[]> {
  let q = db
    .selectFrom('comments')
    .select(['id', 'parent_id', 'status', 'name', 'email', 'ip', 'user_agent', 'body', 'created_at'])
    .where('article_id', '=', articleId);
  if (after) q = q.where(sql<boolean>`(created_at, id) > (${after.createdAt}, ${after.id}::uuid)`);
  return q.orderBy('created_at').orderBy('id').limit(limit).execute();
}

/** An author's own comment as they see it on "Manage my comments" and in their data export. */
export interface AuthorCommentRow {
  id: string;
  parent_id: string | null;
  status: CommentStatus;
  name: string;
  email: string;
  ip: string | null;
  user_agent: string | null;
  body: string;
  created_at: Date;
  published_at: Date | null;
  article_external_id: string;
  article_url: string | null;
  article_title: string | null;
}

/** Every comment of an author (by keyed email hash) on a site, newest first; erased ones are left out. */
export async function listCommentsOfAuthor(
  db: DbOrTx,
  siteId: string,
  emailHash: string,
  limit = 10_000,
): Promise<AuthorCommentRow[]> {
  return db
    .selectFrom('comments as c')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .select([
      'c.id',
      'c.parent_id',
      'c.status',
      'c.name',
      'c.email',
      'c.ip',
      'c.user_agent',
      'c.body',
      'c.created_at',
      'c.published_at',
      'a.external_id as article_external_id',
      'a.url as article_url',
      'a.title as article_title',
    ])
    .where('c.site_id', '=', siteId)
    .where('c.email_hash', '=', emailHash)
    .where('c.status', '!=', 'deleted')
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
}
