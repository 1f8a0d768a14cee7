// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The learned spam score (issue 16): per site, how many moderator decisions of each kind were
  // learned, and a version the API processes compare to know when to reload the site's model.
  await db.schema
    .createTable('spam_models')
    .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.id').onDelete('cascade'))
    .addColumn('spam_decisions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ham_decisions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    // Decisions learned since the site's tokens were last pruned to their bound.
    .addColumn('since_prune', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Per site and token, how many learned spam and ham decisions held it. Tokens from names and
  // emails are keyed hashes (src/spam/features.ts): no personal data. Gone with the site.
  await db.schema
    .createTable('spam_tokens')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('spam', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ham', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('spam_tokens_pkey', ['site_id', 'token'])
    .execute();
  // What each decided comment taught, with the exact tokens counted, so an undo (or a replayed
  // event) subtracts or skips exactly that. Gone with the comment (the counts stay).
  await db.schema
    .createTable('spam_lessons')
    .addColumn('comment_id', 'uuid', (c) => c.primaryKey().references('comments.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull().check(sql`label in ('spam', 'ham')`))
    .addColumn('tokens', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index spam_lessons_site_idx on spam_lessons (site_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spam_lessons').ifExists().execute();
  await db.schema.dropTable('spam_tokens').ifExists().execute();
  await db.schema.dropTable('spam_models').ifExists().execute();
}
