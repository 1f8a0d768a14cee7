// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

// The public counts leave out approved replies under an unpublished parent (the thread does not show
// them): they are found by walking down from an article's unpublished comments, which this index holds.
// A site's version counts its saves: a save made from an older version (two admins editing the
// settings at once) is refused instead of silently replacing the other's.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index comments_unpublished_idx on comments (article_id)
            where status in ('pending', 'rejected', 'spam')`.execute(db);
  await sql`alter table sites add column version integer not null default 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table sites drop column if exists version`.execute(db);
  await sql`drop index if exists comments_unpublished_idx`.execute(db);
}
