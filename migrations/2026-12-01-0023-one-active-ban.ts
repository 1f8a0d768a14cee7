// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

// One ban in force per site, kind and match key: the same author, domain or IP banned twice (two
// moderators at once, or a second click) would otherwise make two rows, and lifting one would leave the
// other in force unseen. A partial unique index, so two concurrent inserts cannot both succeed.
export async function up(db: Kysely<any>): Promise<void> {
  // Expired bans are no longer in force: they count as lifted when they ran out, so they never block a
  // new ban of the same value.
  await sql`update bans set lifted_at = expires_at
            where lifted_at is null and expires_at is not null and expires_at <= now()`.execute(db);
  // Duplicates made before this index: the one that lasts longest (then the oldest) stays in force.
  await sql`update bans set lifted_at = now()
            where id in (
              select id from (
                select id, row_number() over (
                  partition by site_id, kind, match_key
                  order by (expires_at is null) desc, expires_at desc, created_at, id
                ) as n
                from bans where lifted_at is null
              ) ranked where n > 1
            )`.execute(db);
  await sql`create unique index bans_one_active_idx on bans (site_id, kind, match_key) where lifted_at is null`.execute(
    db,
  );
  // The unique index serves the same lookups.
  await sql`drop index if exists bans_match_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists bans_match_idx on bans (site_id, kind, match_key) where lifted_at is null`.execute(
    db,
  );
  await sql`drop index if exists bans_one_active_idx`.execute(db);
}
