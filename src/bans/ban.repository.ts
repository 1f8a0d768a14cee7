import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { BanKind, BanRow } from '../db/schema.ts';
import { ERASED, type Scrubber } from '../shared/scrub.ts';

/**
 * The new ban, unless one of the same kind and value is already in force on the site (the partial
 * unique index): then undefined, and nothing is written. Two concurrent inserts of one value cannot
 * both succeed: the second waits for the first to commit, then does nothing. Bans of that value that
 * ran out first count as lifted when they expired, so they do not stand in the way.
 */
export async function insertBanUnlessActive(
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
  now: Date,
): Promise<BanRow | undefined> {
  await db
    .updateTable('bans')
    .set((eb) => ({ lifted_at: eb.ref('expires_at') }))
    .where('site_id', '=', b.siteId)
    .where('kind', '=', b.kind)
    .where('match_key', '=', b.matchKey)
    .where('lifted_at', 'is', null)
    .where('expires_at', '<=', now)
    .execute();
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
    .onConflict((oc) => oc.columns(['site_id', 'kind', 'match_key']).where('lifted_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The ban in force on the site for exactly this kind and match key, with its creator's email when a user made it. */
export async function findActiveBan(
  db: DbOrTx,
  siteId: string,
  kind: BanKind,
  matchKey: string,
  now: Date,
): Promise<(BanRow & { creator_email: string | null }) | undefined> {
  return db
    .selectFrom('bans')
    .leftJoin('users', (j) =>
      j.on(sql`users.id::text`, '=', sql.ref('bans.created_by_id')).on('bans.created_by_type', '=', 'user'),
    )
    .selectAll('bans')
    .select('users.email as creator_email')
    .where('bans.site_id', '=', siteId)
    .where('bans.kind', '=', kind)
    .where('bans.match_key', '=', matchKey)
    .where('bans.lifted_at', 'is', null)
    .where((eb) => eb.or([eb('bans.expires_at', 'is', null), eb('bans.expires_at', '>', now)]))
    .executeTakeFirst();
}

/**
 * The oldest ban in force on the site that matches the author's email HMAC, email domain (or a parent
 * domain) or IP (an address, or a CIDR range containing it), as a query: the submission folds it into
 * its one read. IP bans are compared as PostgreSQL inet values; the CASE keeps the cast away from the
 * match keys of other kinds (an HMAC is no address), since AND does not fix an evaluation order.
 */
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
        ...(who.ip
          ? [sql<boolean>`case when kind = 'ip' then match_key::inet >>= ${who.ip}::inet else false end`]
          : []),
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

/** Lifts the ban unless it already was; false when it was (a colleague's lift committed first). */
export async function liftBan(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('bans')
    .set({ lifted_at: at })
    .where('id', '=', id)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Erasure of an author on a site. Their email bans stay in force (they match on the HMAC) but no longer
 * show the address; bans on exactly their IP addresses (or an IPv6 reader's /64) go, since a ban
 * matches on the address in clear; moderators' reasons lose the author's name, email and addresses.
 */
export async function eraseBansOfAuthor(
  db: DbOrTx,
  siteId: string,
  a: { emailHash: string; ipKeys: string[]; scrub: Scrubber },
): Promise<number> {
  const hidden = await db
    .updateTable('bans')
    .set({ value: ERASED })
    .where('site_id', '=', siteId)
    .where('kind', '=', 'email')
    .where('match_key', '=', a.emailHash)
    .where('value', '!=', ERASED)
    .executeTakeFirst();
  const removed = a.ipKeys.length
    ? await db
        .deleteFrom('bans')
        .where('site_id', '=', siteId)
        .where('kind', '=', 'ip')
        .where('match_key', 'in', a.ipKeys)
        .executeTakeFirst()
    : { numDeletedRows: 0n };
  let reworded = 0;
  if (!a.scrub.empty) {
    const rows = await db
      .selectFrom('bans')
      .select(['id', 'reason'])
      .where('site_id', '=', siteId)
      .where('reason', 'is not', null)
      .execute();
    for (const r of rows) {
      const reason = a.scrub.text(r.reason!);
      if (reason === r.reason) continue;
      await db.updateTable('bans').set({ reason }).where('id', '=', r.id).execute();
      reworded++;
    }
  }
  return Number(hidden.numUpdatedRows) + Number(removed.numDeletedRows) + reworded;
}

/** Whether an email ban is in force for this HMAC (so erasing a block-list entry need not add one). */
export async function hasActiveEmailBan(db: DbOrTx, siteId: string, emailHash: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('bans')
    .select('id')
    .where('site_id', '=', siteId)
    .where('kind', '=', 'email')
    .where('match_key', '=', emailHash)
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  return row !== undefined;
}
