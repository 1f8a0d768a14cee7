import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';

export interface StoredResponse {
  fingerprint: string;
  statusCode: number;
  response: unknown;
}

/** Keys are honoured for a day, like Stripe's; an older key counts as new. */
const KEY_TTL = sql`interval '24 hours'`;

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
