import type { DbOrTx } from '../db/database.ts';
import type { BanKind, BanRow } from '../db/schema.ts';

export async function insertBan(
  db: DbOrTx,
  b: {
    id: string;
    siteId: string;
    kind: BanKind;
    value: string;
    matchKey: string;
    reason: string | null;
    createdBy: { type: string; id: string };
    expiresAt: Date | null;
  },
): Promise<BanRow> {
  return db
    .insertInto('bans')
    .values({
      id: b.id,
      site_id: b.siteId,
      kind: b.kind,
      value: b.value,
      match_key: b.matchKey,
      reason: b.reason,
      created_by_type: b.createdBy.type,
      created_by_id: b.createdBy.id,
      expires_at: b.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The first ban in force on the site that matches the author's email HMAC, email domain (or a parent domain) or IP. */
/** The oldest active ban matching the author, as a query (the submission folds it into one read). */
export function activeBanQuery(
  db: DbOrTx,
  siteId: string,
  who: { emailHash: string; domains: string[]; ip: string | null },
  now: Date,
) {
  return db
    .selectFrom('bans')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'email'), eb('match_key', '=', who.emailHash)]),
        ...(who.domains.length ? [eb.and([eb('kind', '=', 'domain'), eb('match_key', 'in', who.domains)])] : []),
        ...(who.ip ? [eb.and([eb('kind', '=', 'ip'), eb('match_key', '=', who.ip)])] : []),
      ]),
    )
    .orderBy('created_at')
    .limit(1);
}

export async function findBan(db: DbOrTx, id: string): Promise<BanRow | undefined> {
  return db.selectFrom('bans').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listBans(
  db: DbOrTx,
  q: { siteIds: string[] | null; activeAt: Date | null; limit: number },
): Promise<BanRow[]> {
  let query = db.selectFrom('bans').selectAll();
  if (q.siteIds) query = query.where('site_id', 'in', q.siteIds.length ? q.siteIds : ['']);
  if (q.activeAt) {
    const at = q.activeAt;
    query = query
      .where('lifted_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
  }
  return query.orderBy('created_at', 'desc').limit(q.limit).execute();
}

export async function liftBan(db: DbOrTx, id: string, at: Date): Promise<void> {
  await db.updateTable('bans').set({ lifted_at: at }).where('id', '=', id).where('lifted_at', 'is', null).execute();
}
