// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A reader's report of a published comment. The reporter is a keyed hash (of the widget's token, or
  // of the client address when there is none); the address is kept only as a keyed hash too. The
  // weight is the reporter's reliability when they reported. Illegal-content notices (EU DSA Art. 16)
  // carry the notifier's name and address: moderation side only, erasure clears them.
  await db.schema
    .createTable('reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reporter_key', 'text', (c) => c.notNull())
    .addColumn('ip_key', 'text')
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('spam', 'abuse', 'off_topic', 'other', 'illegal')`),
    )
    .addColumn('detail', 'text')
    .addColumn('notice', 'jsonb')
    .addColumn('weight', 'double precision', (c) => c.notNull())
    // A reporter with no decided report yet: such reports count together at most the brigade cap.
    .addColumn('fresh', 'boolean', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`outcome in ('open', 'upheld', 'dismissed')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .execute();
  await sql`create unique index reports_reporter_idx on reports (comment_id, reporter_key)`.execute(db);
  await sql`create index reports_open_idx on reports (site_id, comment_id) where outcome = 'open'`.execute(db);

  // How often each reporter's reports were upheld or dismissed by moderators, per site.
  await db.schema
    .createTable('reporters')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('reporter_key', 'text', (c) => c.notNull())
    .addColumn('upheld', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dismissed', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('reporters_pk', ['site_id', 'reporter_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['reporters', 'reports']) await db.schema.dropTable(t).ifExists().execute();
}
