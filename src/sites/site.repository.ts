import type { DbOrTx } from '../db/database.ts';
import type { SiteRow } from '../db/schema.ts';

export async function findSite(db: DbOrTx, id: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSites(db: DbOrTx): Promise<SiteRow[]> {
  return db.selectFrom('sites').selectAll().orderBy('id').execute();
}

export async function insertSite(
  db: DbOrTx,
  site: { id: string; name: string; settings: object },
): Promise<SiteRow | undefined> {
  return db
    .insertInto('sites')
    .values({ id: site.id, name: site.name, settings: JSON.stringify(site.settings) })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateSite(
  db: DbOrTx,
  id: string,
  patch: { name?: string; settings?: object },
): Promise<SiteRow | undefined> {
  return db
    .updateTable('sites')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.settings !== undefined ? { settings: JSON.stringify(patch.settings) } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
