// Rows locked until the transaction ends, for admin changes that read before they write.
//
// A site's row: settings are changed by reading them, merging a patch and writing them back (src/sites/site.service.ts): two changes at once (two admins, or an admin and an
// author's erasure taking an address off the block list) would each write their own merge over the
// other's. Taken first, the lock makes them run one after the other, each merging over the latest.
import type { DbOrTx } from '../db/database.ts';

/** Locks the site's row; false when there is no such site (the caller's own read then says so). */
export async function lockSite(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db.selectFrom('sites').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row !== undefined;
}

/**
 * Locks a webhook endpoint's row; false when there is none (any more). Two removals at once: the second
 * waits for the first, then finds nothing and says so, instead of a second success and audit row.
 */
export async function lockEndpoint(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db.selectFrom('webhook_endpoints').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row !== undefined;
}
