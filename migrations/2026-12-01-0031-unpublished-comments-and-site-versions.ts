// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

// The public counts leave out approved replies under an unpublished parent (the thread does not show
// them): they are found by walking down from an article's unpublished comments, which this index holds.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index comments_unpublished_idx on comments (article_id)
            where status in ('pending', 'rejected', 'spam')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists comments_unpublished_idx`.execute(db);
}
