import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { SiteRow } from '../db/schema.ts';

export type { SiteRow };

export async function findSite(db: DbOrTx, id: string): Promise<SiteRow | undefined> {
  return await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSites(db: DbOrTx): Promise<SiteRow[]> {
  return await db.selectFrom('sites').selectAll().orderBy('id').execute();
}

export async function insertSite(
  db: DbOrTx,
  site: { id: string; name: string; settings: object },
): Promise<SiteRow | undefined> {
  return await db
    .insertInto('sites')
    .values({ id: site.id, name: site.name, settings: JSON.stringify(site.settings) })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * Saves the site and counts the save in its version; with `expectedVersion`, only if the row still has
 * that version (undefined when it has not: someone else saved meanwhile, nothing was written).
 */
export async function updateSite(
  db: DbOrTx,
  id: string,
  patch: { name?: string; settings?: object },
  expectedVersion?: number,
): Promise<SiteRow | undefined> {
  let query = db
    .updateTable('sites')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.settings !== undefined ? { settings: JSON.stringify(patch.settings) } : {}),
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('id', '=', id);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  return await query.returningAll().executeTakeFirst();
}
