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

/**
 * Claims the key inside the submitting transaction. A concurrent request with the same key blocks on
 * the primary key until this transaction ends, then sees the stored response. Returns false when the
 * key is already taken.
 */
export async function claimIdempotencyKey(db: DbOrTx, siteId: string, key: string, stored: StoredResponse): Promise<boolean> {
  const row = await db
    .insertInto('idempotency_keys')
    .values({ site_id: siteId, key, fingerprint: stored.fingerprint, status_code: stored.statusCode, response: JSON.stringify(stored.response) })
    .onConflict((oc) =>
      oc
        .columns(['site_id', 'key'])
        .doUpdateSet({
          fingerprint: (eb) => eb.ref('excluded.fingerprint'),
          status_code: (eb) => eb.ref('excluded.status_code'),
          response: (eb) => eb.ref('excluded.response'),
          created_at: sql`now()`,
        })
        .where(sql<boolean>`idempotency_keys.created_at <= now() - ${KEY_TTL}`),
    )
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function purgeExpiredIdempotencyKeys(db: DbOrTx): Promise<number> {
  const res = await db.deleteFrom('idempotency_keys').where(sql<boolean>`created_at <= now() - ${KEY_TTL}`).executeTakeFirst();
  return Number(res.numDeletedRows);
}
