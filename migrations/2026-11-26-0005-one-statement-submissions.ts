// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A duplicate (same author, article, parent and text) is refused by the database itself, so a new
  // comment is stored in one statement, with no lock taken beforehand, and concurrent copies store one.
  await sql`create unique index comments_no_duplicates_idx on comments
            (article_id, email_hash, (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid)), (md5(body)))
            where status <> 'deleted'`.execute(db);
  // The unique index starts with the same columns: the plain one is redundant now.
  await db.schema.dropIndex('comments_article_author_idx').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('comments_article_author_idx')
    .on('comments')
    .columns(['article_id', 'email_hash'])
    .execute();
  await sql`drop index if exists comments_no_duplicates_idx`.execute(db);
}
