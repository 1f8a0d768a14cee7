// mail_subscriptions and mail_suppressions: the only writer of both tables.
import { type ColumnType, type Kysely, type Selectable, sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type SubscriptionKind = 'replies' | 'thread';

interface MailSubscriptionsTable {
  id: string;
  site_id: string;
  kind: SubscriptionKind;
  comment_id: string;
  article_key: string;
  email: string;
  email_hash: string;
  name: string | null;
  created_at: Timestamp;
  confirmed_at: Date | null;
  confirmed_from: string | null;
}
interface MailSuppressionsTable {
  site_id: string;
  email_hash: string;
  reason: 'unsubscribed' | 'bounced';
  created_at: Timestamp;
}
export type SubscriptionRow = Selectable<MailSubscriptionsTable>;

const t = (db: DbOrTx) =>
  (db as Kysely<Database>).withTables<{
    mail_subscriptions: MailSubscriptionsTable;
    mail_suppressions: MailSuppressionsTable;
  }>();

export async function insertSubscription(
  db: DbOrTx,
  s: Pick<SubscriptionRow, 'id' | 'site_id' | 'kind' | 'comment_id' | 'article_key' | 'email' | 'email_hash' | 'name'>,
): Promise<void> {
  await t(db).insertInto('mail_subscriptions').values(s).execute();
}

export async function findSubscription(db: DbOrTx, id: string): Promise<SubscriptionRow | undefined> {
  return t(db).selectFrom('mail_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The subscriptions made with a comment. */
export async function listOfComment(db: DbOrTx, commentId: string): Promise<SubscriptionRow[]> {
  return t(db).selectFrom('mail_subscriptions').selectAll().where('comment_id', '=', commentId).execute();
}

/** listOfComment for several comments in one statement (a batched events job). */
export async function listOfComments(db: DbOrTx, commentIds: string[]): Promise<SubscriptionRow[]> {
  if (commentIds.length === 0) return [];
  return t(db)
    .selectFrom('mail_subscriptions')
    .selectAll()
    .where(sql<boolean>`comment_id = any(${commentIds}::uuid[])`)
    .execute();
}

/**
 * listRecipients for several published comments in one statement (a batched events job): every confirmed,
 * unsuppressed subscription to one of these articles' threads or to replies to one of these parents, in
 * listRecipients' order; recipientsAmong picks each comment's own from them.
 */
export async function listRecipientsOfMany(
  db: DbOrTx,
  qs: { siteId: string; articleKey: string; parentId: string | null }[],
): Promise<SubscriptionRow[]> {
  if (qs.length === 0) return [];
  const replies = qs.filter((q) => q.parentId !== null);
  // Pairs as two arrays unnested together: one statement text whatever the number of comments.
  return t(db)
    .selectFrom('mail_subscriptions')
    .selectAll()
    .where('confirmed_at', 'is not', null)
    .where(
      sql<boolean>`((kind = 'thread' and (site_id, article_key) in
          (select * from unnest(${qs.map((q) => q.siteId)}::text[], ${qs.map((q) => q.articleKey)}::text[])))
        or (kind = 'replies' and (site_id, comment_id) in
          (select * from unnest(${replies.map((q) => q.siteId)}::text[], ${replies.map((q) => q.parentId)}::uuid[]))))`,
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('mail_suppressions as s')
            .select('s.email_hash')
            .whereRef('s.site_id', '=', 'mail_subscriptions.site_id')
            .whereRef('s.email_hash', '=', 'mail_subscriptions.email_hash'),
        ),
      ),
    )
    .orderBy('created_at')
    .execute();
}

/** Of listRecipientsOfMany's rows, those listRecipients would have returned for `q`, in the same order. */
export function recipientsAmong(
  rows: SubscriptionRow[],
  q: { siteId: string; articleKey: string; parentId: string | null },
): SubscriptionRow[] {
  return rows.filter(
    (s) =>
      s.site_id === q.siteId &&
      ((s.kind === 'thread' && s.article_key === q.articleKey) ||
        (q.parentId !== null && s.kind === 'replies' && s.comment_id === q.parentId)),
  );
}

/** Confirmed subscriptions a new published comment concerns: replies to `parentId`, and the article's thread. */
export async function listRecipients(
  db: DbOrTx,
  q: { siteId: string; articleKey: string; parentId: string | null },
): Promise<SubscriptionRow[]> {
  return t(db)
    .selectFrom('mail_subscriptions')
    .selectAll()
    .where('site_id', '=', q.siteId)
    .where('confirmed_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'thread'), eb('article_key', '=', q.articleKey)]),
        ...(q.parentId ? [eb.and([eb('kind', '=', 'replies'), eb('comment_id', '=', q.parentId)])] : []),
      ]),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('mail_suppressions as s')
            .select('s.email_hash')
            .whereRef('s.site_id', '=', 'mail_subscriptions.site_id')
            .whereRef('s.email_hash', '=', 'mail_subscriptions.email_hash'),
        ),
      ),
    )
    .orderBy('created_at')
    .execute();
}

/** Single use: only an unconfirmed row changes, so a second click finds nothing. */
export async function confirmSubscription(db: DbOrTx, id: string, at: Date, from: string | null): Promise<boolean> {
  const r = await t(db)
    .updateTable('mail_subscriptions')
    .set({ confirmed_at: at, confirmed_from: from })
    .where('id', '=', id)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteSubscription(db: DbOrTx, id: string): Promise<number> {
  const r = await t(db).deleteFrom('mail_subscriptions').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Every subscription of an address hash (on one site, or all). */
export async function listSubscriptionsOfHash(
  db: DbOrTx,
  emailHash: string,
  siteId?: string,
): Promise<SubscriptionRow[]> {
  let q = t(db).selectFrom('mail_subscriptions').selectAll().where('email_hash', '=', emailHash);
  if (siteId !== undefined) q = q.where('site_id', '=', siteId);
  return q.orderBy('created_at').execute();
}

export async function deleteSubscriptionsOfHash(db: DbOrTx, emailHash: string, siteId?: string): Promise<number> {
  let q = t(db).deleteFrom('mail_subscriptions').where('email_hash', '=', emailHash);
  if (siteId !== undefined) q = q.where('site_id', '=', siteId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertSuppression(
  db: DbOrTx,
  siteId: string,
  emailHash: string,
  reason: 'unsubscribed' | 'bounced',
): Promise<void> {
  await t(db)
    .insertInto('mail_suppressions')
    .values({ site_id: siteId, email_hash: emailHash, reason })
    .onConflict((oc) => oc.columns(['site_id', 'email_hash']).doNothing())
    .execute();
}

export async function isSuppressed(db: DbOrTx, siteId: string, emailHash: string): Promise<boolean> {
  const row = await t(db)
    .selectFrom('mail_suppressions')
    .select('email_hash')
    .where('site_id', '=', siteId)
    .where('email_hash', '=', emailHash)
    .executeTakeFirst();
  return row !== undefined;
}

/** Erasure of comments: the subscriptions made with them go (safe to run twice). */
export async function deleteSubscriptionsOfComments(db: DbOrTx, commentIds: string[]): Promise<number> {
  if (commentIds.length === 0) return 0;
  const r = await t(db).deleteFrom('mail_subscriptions').where('comment_id', 'in', commentIds).executeTakeFirst();
  return Number(r.numDeletedRows);
}
