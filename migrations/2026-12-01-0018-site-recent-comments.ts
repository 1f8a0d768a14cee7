// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A site's latest comments: the dashboard counts where its last 200 came from (one IP for most of
  // them means the service sees a proxy's address, TRUST_PROXY missing) on every queue page.
  await sql`create index comments_site_recent_idx on comments (site_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists comments_site_recent_idx`.execute(db);
}
