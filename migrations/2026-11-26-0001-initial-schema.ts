// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('title', 'text')
    .addColumn('closed_at', 'timestamptz')
    // Denormalised so counts and thread ETags never scan comments.
    .addColumn('published_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('thread_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_comment_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('articles_site_external_unique', ['site_id', 'external_id'])
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('parent_id', 'uuid', (c) => c.references('comments.id'))
    // The top-level ancestor (itself for top-level comments): one indexed lookup fetches a whole subthread.
    .addColumn('root_id', 'uuid', (c) => c.notNull())
    .addColumn('depth', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'approved', 'rejected', 'spam', 'deleted')`),
    )
    .addColumn('reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz')
    .execute();

  // Thread page: top-level published comments of one article in time order (both directions).
  await sql`create index comments_thread_top_idx on comments (article_id, created_at, id)
            where status = 'approved' and parent_id is null`.execute(db);
  // Replies of the top-level comments on a page.
  await sql`create index comments_thread_replies_idx on comments (root_id, created_at, id)
            where status = 'approved' and parent_id is not null`.execute(db);
  // Trust ("first" mode) and author history.
  await db.schema
    .createIndex('comments_author_idx')
    .on('comments')
    .columns(['site_id', 'email_hash', 'status'])
    .execute();
  // Review queue by status, newest first.
  await db.schema
    .createIndex('comments_queue_idx')
    .on('comments')
    .columns(['site_id', 'status', 'created_at'])
    .execute();
  await db.schema.createIndex('comments_parent_idx').on('comments').column('parent_id').execute();

  await db.schema
    .createTable('moderation_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('actor_type', 'text', (c) => c.notNull().check(sql`actor_type in ('filter', 'user', 'system', 'cli')`))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('moderation_log_comment_idx')
    .on('moderation_log')
    .columns(['comment_id', 'id'])
    .execute();
  await db.schema.createIndex('moderation_log_site_idx').on('moderation_log').columns(['site_id', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['site_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['idempotency_keys', 'moderation_log', 'comments', 'articles', 'sites']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
