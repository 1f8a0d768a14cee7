// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // An article's own moderation mode, which wins over the site's: null follows the site. A newsroom
  // pre-moderates one heated story without holding every other thread on the site.
  await db.schema
    .alterTable('articles')
    .addColumn('moderation_mode', 'text', (c) => c.check(sql`moderation_mode in ('all', 'first', 'none')`))
    // Reopened by hand: the site's close-after-days rule no longer closes it (closing by hand still does).
    .addColumn('reopened_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').dropColumn('moderation_mode').dropColumn('reopened_at').execute();
}
