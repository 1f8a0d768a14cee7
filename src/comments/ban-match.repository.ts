// The comments a ban matches on a site (read here, where comments live): by email HMAC, by email
// domain or a subdomain of it, by IP inside an address or range. Deleted comments are left out.
import { sql } from 'kysely';
import type { BanImpact, BanMatch } from '../bans/ban-reach.ts';
import type { DbOrTx } from '../db/database.ts';

function matching(db: DbOrTx, siteId: string, m: BanMatch) {
  const q = db.selectFrom('comments').where('site_id', '=', siteId).where('status', '!=', 'deleted');
  if (m.kind === 'email') return q.where('email_hash', '=', m.key);
  if (m.kind === 'domain')
    // The key is a validated domain (letters, digits, dots, hyphens): no LIKE wildcards in it.
    return q.where((eb) =>
      eb.or([
        eb(sql`lower(email)`, 'like', `%@${m.key}`),
        eb(sql`split_part(lower(email), '@', 2)`, 'like', `%.${m.key}`),
      ]),
    );
  // Stored IPs are canonical (or null); the CASE keeps the cast away from nulls.
  return q.where(sql<boolean>`case when ip is null then false else ip::inet <<= ${m.key}::inet end`);
}

export async function banImpact(db: DbOrTx, siteId: string, m: BanMatch): Promise<BanImpact> {
  const row = await matching(db, siteId, m)
    .select([
      sql<number>`count(distinct email_hash)::int`.as('authors'),
      sql<number>`count(*)::int`.as('comments'),
      sql<number>`(count(*) filter (where status = 'pending'))::int`.as('held'),
    ])
    .executeTakeFirst();
  return { authors: row?.authors ?? 0, comments: row?.comments ?? 0, held: row?.held ?? 0 };
}

export async function heldIdsMatching(db: DbOrTx, siteId: string, m: BanMatch): Promise<string[]> {
  const rows = await matching(db, siteId, m)
    .where('status', '=', 'pending')
    .select('id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}
