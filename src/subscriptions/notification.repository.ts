// mail_notifications: how each recipient was told of each published comment (a single mail, or a
// place in their next digest). The only writer. The daily cap is decided here under a row lock, so
// two replies published at once cannot both slip under it.
import { type ColumnType, type Kysely, type Selectable, sql } from 'kysely';
import type { DbOrTx, Tx } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export type NoticeMode = 'single' | 'digest';

interface MailNotificationsTable {
  site_id: string;
  email_hash: string;
  comment_id: string;
  subscription_id: string;
  event_id: string;
  mode: NoticeMode;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  digest_key: string | null;
  digest_sent_at: Date | null;
}
export type NotificationRow = Selectable<MailNotificationsTable>;

const t = (db: DbOrTx) =>
  (db as Kysely<Database>).withTables<{
    mail_notifications: MailNotificationsTable;
    mail_subscriptions: { id: string; site_id: string; email_hash: string };
  }>();

const DAY_MS = 86_400_000;

/**
 * Decides, once per recipient and comment, whether the notice goes as a single mail or into the
 * digest: single while the recipient got fewer than `cap` single mails in the 24 hours before `now`.
 * The recipient's subscription rows are locked first (in id order, so two callers never deadlock):
 * a concurrent decision for the same address waits, then counts what this one inserted. A second call
 * for the same comment (a retried job) answers the first decision.
 */
export async function admitNotice(
  tx: Tx,
  n: { siteId: string; emailHash: string; commentId: string; subscriptionId: string; eventId: string },
  cap: number,
  now: Date,
): Promise<NoticeMode> {
  await t(tx)
    .selectFrom('mail_subscriptions')
    .select('id')
    .where('site_id', '=', n.siteId)
    .where('email_hash', '=', n.emailHash)
    .orderBy('id')
    .forUpdate()
    .execute();
  const decided = await t(tx)
    .selectFrom('mail_notifications')
    .select('mode')
    .where('site_id', '=', n.siteId)
    .where('email_hash', '=', n.emailHash)
    .where('comment_id', '=', n.commentId)
    .executeTakeFirst();
  if (decided) return decided.mode;
  const { sent } = await t(tx)
    .selectFrom('mail_notifications')
    .select(sql<number>`count(*)::int`.as('sent'))
    .where('site_id', '=', n.siteId)
    .where('email_hash', '=', n.emailHash)
    .where('mode', '=', 'single')
    .where('created_at', '>', new Date(now.getTime() - DAY_MS))
    .executeTakeFirstOrThrow();
  const mode: NoticeMode = sent < cap ? 'single' : 'digest';
  await t(tx)
    .insertInto('mail_notifications')
    .values({
      site_id: n.siteId,
      email_hash: n.emailHash,
      comment_id: n.commentId,
      subscription_id: n.subscriptionId,
      event_id: n.eventId,
      mode,
      created_at: now,
    })
    .execute();
  return mode;
}

/** Recipients with digest entries not yet sent (claimed or not). */
export async function listDigestRecipients(db: DbOrTx): Promise<{ site_id: string; email_hash: string }[]> {
  return t(db)
    .selectFrom('mail_notifications')
    .select(['site_id', 'email_hash'])
    .distinct()
    .where('mode', '=', 'digest')
    .where('digest_sent_at', 'is', null)
    .execute();
}

/**
 * Claims a recipient's unclaimed digest entries made before `before` under `key`. Only unclaimed rows
 * change, so two runs never claim one entry twice; returns how many were claimed.
 */
export async function claimDigest(
  db: DbOrTx,
  r: { siteId: string; emailHash: string },
  before: Date,
  key: string,
): Promise<number> {
  const res = await t(db)
    .updateTable('mail_notifications')
    .set({ digest_key: key })
    .where('site_id', '=', r.siteId)
    .where('email_hash', '=', r.emailHash)
    .where('mode', '=', 'digest')
    .where('digest_key', 'is', null)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Claimed entries whose digest has not gone out yet (a run cut off, or a send to retry), oldest first. */
export async function listClaimedUnsent(
  db: DbOrTx,
  r: { siteId: string; emailHash: string },
): Promise<NotificationRow[]> {
  return t(db)
    .selectFrom('mail_notifications')
    .selectAll()
    .where('site_id', '=', r.siteId)
    .where('email_hash', '=', r.emailHash)
    .where('mode', '=', 'digest')
    .where('digest_key', 'is not', null)
    .where('digest_sent_at', 'is', null)
    .orderBy('created_at')
    .orderBy('comment_id')
    .execute();
}

export async function markDigestSent(db: DbOrTx, key: string, at: Date): Promise<void> {
  await t(db).updateTable('mail_notifications').set({ digest_sent_at: at }).where('digest_key', '=', key).execute();
}
