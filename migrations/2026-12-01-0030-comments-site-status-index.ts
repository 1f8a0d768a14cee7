// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

// A site's comments counted by status (the dashboard's tabs, and the live queue after every announced
// change) read this index alone instead of the whole table.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index comments_site_status_idx on comments (site_id, status)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists comments_site_status_idx`.execute(db);
}
