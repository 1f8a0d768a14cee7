import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { SiteRow as StoredSiteRow } from '../db/schema.ts';

/** The row with its version (migration 0031): how many times it was saved, for conditional saves. */
export type SiteRow = StoredSiteRow & { version: number };

export async function findSite(db: DbOrTx, id: string): Promise<SiteRow | undefined> {
  return (await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst()) as SiteRow | undefined;
}

export async function listSites(db: DbOrTx): Promise<SiteRow[]> {
  return (await db.selectFrom('sites').selectAll().orderBy('id').execute()) as SiteRow[];
}

export async function insertSite(
  db: DbOrTx,
  site: { id: string; name: string; settings: object },
): Promise<SiteRow | undefined> {
  return (await db
    .insertInto('sites')
    .values({ id: site.id, name: site.name, settings: JSON.stringify(site.settings) })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst()) as SiteRow | undefined;
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
      // Not in the row types of src/db/schema.ts (migration 0031 adds the column): typed as nothing.
      ...({ version: sql`version + 1` } as object),
    })
    .where('id', '=', id);
  if (expectedVersion !== undefined) query = query.where(sql<boolean>`version = ${expectedVersion}`);
  return (await query.returningAll().executeTakeFirst()) as SiteRow | undefined;
}
