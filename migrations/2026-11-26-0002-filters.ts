// Frozen in time: this file must never import application code.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Duplicate check on submit: the same author's comments on one article.
  await db.schema
    .createIndex('comments_article_author_idx')
    .on('comments')
    .columns(['article_id', 'email_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('comments_article_author_idx').ifExists().execute();
}
