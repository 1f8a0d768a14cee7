// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The last sequence number given to an event of the comment: the statement that writes a status
  // change's events raises it and numbers them, so receivers can order one comment's events.
  await db.schema
    .alterTable('comments')
    .addColumn('event_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Comments with events already: their next event comes after the ones they have.
  await sql`update comments c set event_seq = n.count
            from (select comment_id, count(*)::int as count from events where comment_id is not null group by comment_id) n
            where n.comment_id = c.id`.execute(db);

  // What every process of the deployment must agree on, recorded by the first process to start:
  // `queue` is where the workers take jobs from, so a process with another backend (a CLI run without
  // REDIS_URL) refuses instead of handing events to a queue no worker reads.
  await db.schema
    .createTable('deployment_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('deployment_settings').execute();
  await db.schema.alterTable('comments').dropColumn('event_seq').execute();
}
