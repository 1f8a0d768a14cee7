// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // An imported comment remembers where it came from ("wxr:1234"): the key that makes a second import
  // of the same file find it instead of adding it again. Null for comments posted here.
  await db.schema.alterTable('comments').addColumn('source_key', 'text').execute();
  await sql`create unique index comments_source_key_idx on comments (site_id, source_key)
            where source_key is not null`.execute(db);
  // The duplicate check guards the comment form; an old system's history may hold two identical
  // replies of one author, and both are imported (their source keys keep them apart).
  await sql`drop index comments_no_duplicates_idx`.execute(db);
  await sql`create unique index comments_no_duplicates_idx on comments
            (article_id, email_hash, (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid)), (md5(body)))
            where status <> 'deleted' and source_key is null`.execute(db);
  // An article's comments in order, whatever their status: what an export reads page by page and the
  // recount after an import counts (the other indexes hold only published or not imported rows).
  await sql`create index comments_article_order_idx on comments (article_id, created_at, id)`.execute(db);
  // Uploads through the admin API run as jobs; their progress is kept here, so any API process can
  // answer "how far is it".
  await db.schema
    .createTable('import_jobs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'completed', 'failed')`))
    .addColumn('progress', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('report', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_jobs').ifExists().execute();
  await sql`drop index if exists comments_article_order_idx`.execute(db);
  await sql`drop index comments_no_duplicates_idx`.execute(db);
  await sql`create unique index comments_no_duplicates_idx on comments
            (article_id, email_hash, (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid)), (md5(body)))
            where status <> 'deleted'`.execute(db);
  await sql`drop index if exists comments_source_key_idx`.execute(db);
  await db.schema.alterTable('comments').dropColumn('source_key').execute();
}
