// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A reader's wish to be mailed about replies to their comment ('replies') or about every new comment
  // on the article ('thread'). Nothing is sent until confirmed_at is set through the signed link mailed
  // to the address (double opt-in). Holds the address: moderation side only; erasure deletes the rows.
  await db.schema
    .createTable('mail_subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('replies', 'thread')`))
    // The comment it was made with: replies to it are what 'replies' asks for.
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    // The article's id as the site names it (what lifecycle events carry).
    .addColumn('article_key', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('confirmed_at', 'timestamptz')
    // Where the confirming click came from (client address key), as evidence of consent.
    .addColumn('confirmed_from', 'text')
    .execute();
  await sql`create index mail_subscriptions_comment_idx on mail_subscriptions (comment_id)`.execute(db);
  await sql`create index mail_subscriptions_thread_idx on mail_subscriptions (site_id, article_key) where kind = 'thread'`.execute(
    db,
  );
  await sql`create index mail_subscriptions_hash_idx on mail_subscriptions (site_id, email_hash)`.execute(db);

  // Addresses that unsubscribed from a whole site or bounced: only the keyed hash is kept, so we can
  // refuse to mail them again without keeping the address.
  await db.schema
    .createTable('mail_suppressions')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('unsubscribed', 'bounced')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('mail_suppressions_pk', ['site_id', 'email_hash'])
    .execute();

  // Authors whose address was confirmed through a mailed link, per site (by the keyed email hash).
  await db.schema
    .createTable('verified_authors')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('verified_authors_pk', ['site_id', 'email_hash'])
    .execute();

  // How often a moderator wants mail about newly held comments of a site, and when the last one went.
  await db.schema
    .createTable('moderator_alerts')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('immediate', 'hourly', 'daily', 'off')`))
    .addColumn('last_sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('moderator_alerts_pk', ['user_id', 'site_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['moderator_alerts', 'verified_authors', 'mail_suppressions', 'mail_subscriptions']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
