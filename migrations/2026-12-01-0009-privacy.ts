// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

/** Filter reasons without what they quoted: only each reason's action and code. */
const codesOnly = (column: string) => sql`(
  select coalesce(jsonb_agg(jsonb_build_object('action', r->'action', 'code', r->'code')), '[]'::jsonb)
  from jsonb_array_elements(case when jsonb_typeof(${sql.ref(column)}) = 'array' then ${sql.ref(column)} else '[]'::jsonb end) r
  where jsonb_typeof(r) = 'object')`;

export async function up(db: Kysely<any>): Promise<void> {
  // An event copies its comment's name and text: when the comment is deleted for good (spam purged),
  // its events go with it (and their deliveries and attempts, which already cascade from events).
  await sql`alter table events drop constraint if exists events_comment_id_fkey`.execute(db);
  await sql`alter table events add constraint events_comment_id_fkey
            foreign key (comment_id) references comments (id) on delete cascade`.execute(db);
  // Events of spam purged before this migration lost their comment and kept its text.
  await sql`delete from events where comment_id is null`.execute(db);
  // Retention deletes dispatched events by age, per site.
  await sql`create index events_dispatched_idx on events (site_id, dispatched_at) where dispatched_at is not null`.execute(
    db,
  );

  // Set when an admin edits an article's URL or title: comments never change them after that.
  await db.schema.alterTable('articles').addColumn('edited_at', 'timestamptz').execute();

  // Comments deleted before erasure covered every copy: clear what they left behind, as erasure now
  // does (their reasons keep only codes, as these rules could not be repeated here).
  await sql`update comments set reasons = ${codesOnly('comments.reasons')} where status = 'deleted'`.execute(db);
  await sql`update moderation_log m set reasons = ${codesOnly('m.reasons')},
              note = case when m.to_status = 'deleted' then m.note else null end
            from comments c where c.id = m.comment_id and c.status = 'deleted'`.execute(db);
  await sql`update events e set payload = jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set(e.payload,
              '{data,comment,name}', '""'), '{data,comment,body}', '""'), '{data,comment,html}', '""'),
              '{data,comment,avatar}', '{"initials":"","color":"hsl(0 0% 60%)"}'),
              '{data,reasons}', (select ${codesOnly('s.x')} from (select e.payload->'data'->'reasons' as x) s))
            from comments c
            where c.id = e.comment_id and c.status = 'deleted' and jsonb_typeof(e.payload->'data'->'comment') = 'object'`.execute(
    db,
  );
  await sql`update webhook_attempts a set response_excerpt = null
            from webhook_deliveries d, events e, comments c
            where d.id = a.delivery_id and e.id = d.event_id and c.id = e.comment_id and c.status = 'deleted'`.execute(
    db,
  );
  await sql`delete from idempotency_keys k using comments c
            where c.status = 'deleted' and k.response->>'id' = c.id::text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').dropColumn('edited_at').execute();
  await sql`drop index if exists events_dispatched_idx`.execute(db);
  await sql`alter table events drop constraint if exists events_comment_id_fkey`.execute(db);
  await sql`alter table events add constraint events_comment_id_fkey
            foreign key (comment_id) references comments (id) on delete set null`.execute(db);
}
