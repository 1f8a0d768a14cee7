import type { DbOrTx } from '../db/database.ts';
import type { ApiTokenRow, UserRow } from '../db/schema.ts';

export async function insertToken(
  db: DbOrTx,
  t: { id: string; userId: string; name: string; tokenHash: string; prefix: string },
): Promise<ApiTokenRow> {
  return db
    .insertInto('api_tokens')
    .values({ id: t.id, user_id: t.userId, name: t.name, token_hash: t.tokenHash, prefix: t.prefix })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findTokenWithUser(
  db: DbOrTx,
  tokenHash: string,
): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const token = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!token) return undefined;
  const user = await db.selectFrom('users').selectAll().where('id', '=', token.user_id).executeTakeFirst();
  return user ? { token, user } : undefined;
}

export async function findToken(db: DbOrTx, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTokensOfUser(db: DbOrTx, userId: string): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

/** Revokes the token unless it already was; false when it was. */
export async function revokeToken(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every live token of an account; answers how many. */
export async function revokeTokensOfUser(db: DbOrTx, userId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function touchToken(db: DbOrTx, id: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
