// Idempotency-Key answers, stored with the comment they answered. The only module that writes the table.
import { type RawBuilder, sql } from 'kysely';
import { type DbOrTx, jsonb } from '../db/database.ts';

export interface StoredResponse {
  fingerprint: string;
  statusCode: number;
  response: unknown;
}

/** Keys are honoured for a day, like Stripe's; an older key counts as new. */
const KEY_TTL = sql`interval '24 hours'`;

export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
  statusCode: number;
  response: unknown;
}

/** Claims the key with its answer, as the body of a data-modifying CTE returning the key when claimed. */
export function claimKey(siteId: string, k: IdempotencyClaim): RawBuilder<unknown> {
  // An expired key (over a day old) may be reused; a live one is taken.
  return sql`insert into idempotency_keys (site_id, key, fingerprint, status_code, response)
    values (${siteId}, ${k.key}, ${k.fingerprint}, ${k.statusCode}, ${jsonb(k.response)})
    on conflict (site_id, key) do update set fingerprint = excluded.fingerprint, status_code = excluded.status_code,
      response = excluded.response, created_at = now()
    where idempotency_keys.created_at <= now() - ${KEY_TTL}
    returning key`;
}

/** Many claims at once (a group commit): from the CTE `input` (site_id, claim_key, fingerprint, status_code, response), returning site_id and key of each claimed. */
export function claimKeysFrom(input: string): RawBuilder<unknown> {
  return sql`insert into idempotency_keys (site_id, key, fingerprint, status_code, response)
    select i.site_id, i.claim_key, i.fingerprint, i.status_code, i.response
    from ${sql.table(input)} as i where i.claim_key is not null
    on conflict (site_id, key) do update set fingerprint = excluded.fingerprint, status_code = excluded.status_code,
      response = excluded.response, created_at = now()
    where idempotency_keys.created_at <= now() - ${KEY_TTL}
    returning site_id, key`;
}

export async function findIdempotentResponse(db: DbOrTx, siteId: string, key: string): Promise<StoredResponse | null> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'status_code', 'response'])
    .where('site_id', '=', siteId)
    .where('key', '=', key)
    .where(sql<boolean>`created_at > now() - ${KEY_TTL}`)
    .executeTakeFirst();
  return row ? { fingerprint: row.fingerprint, statusCode: row.status_code, response: row.response } : null;
}

export async function purgeExpiredIdempotencyKeys(db: DbOrTx): Promise<number> {
  const res = await db
    .deleteFrom('idempotency_keys')
    .where(sql<boolean>`created_at <= now() - ${KEY_TTL}`)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Gives an Idempotency-Key back when its comment turned out to be a duplicate and was not stored. */
export async function releaseIdempotencyKey(
  db: DbOrTx,
  siteId: string,
  key: string,
  fingerprint: string,
): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('site_id', '=', siteId)
    .where('key', '=', key)
    .where('fingerprint', '=', fingerprint)
    .execute();
}

/**
 * Erasure and purges: the stored answers naming these comments (an answer repeats the comment's name
 * and text for a day), found by the comment id the answer carries.
 */
export async function deleteKeysOfComments(db: DbOrTx, siteId: string, commentIds: string[]): Promise<number> {
  if (commentIds.length === 0) return 0;
  const res = await db
    .deleteFrom('idempotency_keys')
    .where('site_id', '=', siteId)
    .where(sql<string>`response->>'id'`, 'in', commentIds)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
