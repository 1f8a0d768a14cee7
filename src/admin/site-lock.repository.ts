// A site's row locked until the transaction ends. Settings are changed by reading them, merging a patch
// and writing them back (src/sites/site.service.ts): two changes at once (two admins, or an admin and an
// author's erasure taking an address off the block list) would each write their own merge over the
// other's. Taken first, the lock makes them run one after the other, each merging over the latest.
import type { DbOrTx } from '../db/database.ts';

/** Locks the site's row; false when there is no such site (the caller's own read then says so). */
export async function lockSite(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db.selectFrom('sites').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row !== undefined;
}
