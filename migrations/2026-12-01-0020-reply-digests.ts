// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per recipient (address hash) per published comment they are told about: how it was told.
  // 'single' rows are the per-recipient daily cap's count (single mails in the last 24 hours); 'digest'
  // rows wait for the recipient's next digest, which claims them under a key (digest_key, also the
  // mail's dedupe key) and marks them sent. Only the keyed hash: the address stays on the subscription.
  await db.schema
    .createTable('mail_notifications')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    // Unsubscribing (or erasure) removes the subscription, and with it what was still to be sent.
    .addColumn('subscription_id', 'uuid', (c) => c.notNull().references('mail_subscriptions.id').onDelete('cascade'))
    // The lifecycle event that published the comment: the digest reads the comment's text from it.
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('single', 'digest')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('digest_key', 'text')
    .addColumn('digest_sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('mail_notifications_pk', ['site_id', 'email_hash', 'comment_id'])
    .execute();
  await sql`create index mail_notifications_recent_idx on mail_notifications (site_id, email_hash, created_at)`.execute(
    db,
  );
  await sql`create index mail_notifications_digest_idx on mail_notifications (site_id, email_hash) where mode = 'digest' and digest_sent_at is null`.execute(
    db,
  );
  await sql`create index mail_notifications_subscription_idx on mail_notifications (subscription_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_notifications').ifExists().execute();
}
