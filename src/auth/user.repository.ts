import type { DbOrTx } from '../db/database.ts';
import type { UserRow } from '../db/schema.ts';
import type { UserRole } from '../domain/principal.ts';

export async function findUserByEmail(db: DbOrTx, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The account, locked until the transaction ends: two changes of one account run one after the other. */
export async function findUserByIdForUpdate(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * The account, share-locked until the transaction ends: a disable or a password change of it waits
 * for (or is seen by) what the caller does with it, such as making an API token.
 */
export async function findUserByIdForShare(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).forShare().executeTakeFirst();
}

/**
 * Locks every enabled admin, in id order (so two callers never deadlock), before a change that could
 * leave none: the count that follows then sees any such change a colleague committed meanwhile.
 */
export async function lockActiveAdmins(db: DbOrTx): Promise<void> {
  await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function listUsers(db: DbOrTx): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('email').execute();
}

/** Inserts the user unless the email is taken; undefined when it was. */
export async function insertUser(
  db: DbOrTx,
  u: { id: string; email: string; role: UserRole; passwordHash: string },
): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values({ id: u.id, email: u.email, role: u.role, password_hash: u.passwordHash })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateUser(
  db: DbOrTx,
  id: string,
  patch: { role?: UserRole; passwordHash?: string; disabledAt?: Date | null },
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      ...(patch.disabledAt !== undefined ? { disabled_at: patch.disabledAt } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function siteIdsByUser(db: DbOrTx, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return map;
  const rows = await db
    .selectFrom('user_sites')
    .selectAll()
    .where('user_id', 'in', userIds)
    .orderBy('site_id')
    .execute();
  for (const r of rows) map.get(r.user_id)?.push(r.site_id);
  return map;
}

export async function replaceUserSites(db: DbOrTx, userId: string, siteIds: string[]): Promise<void> {
  await db.deleteFrom('user_sites').where('user_id', '=', userId).execute();
  if (siteIds.length)
    await db
      .insertInto('user_sites')
      .values(siteIds.map((site_id) => ({ user_id: userId, site_id })))
      .execute();
}

export async function existingSiteIds(db: DbOrTx, siteIds: string[]): Promise<Set<string>> {
  if (siteIds.length === 0) return new Set();
  const rows = await db.selectFrom('sites').select('id').where('id', 'in', siteIds).execute();
  return new Set(rows.map((r) => r.id));
}

export async function countActiveAdmins(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
