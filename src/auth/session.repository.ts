import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { SessionRow, UserRow } from '../db/schema.ts';

/**
 * A sign-in's session, inserted only if the account still has the password hash the sign-in was
 * checked against and is enabled. The account's row is share-locked: a password change or a disable
 * committing meanwhile either waits for this insert (and then ends the session it made) or, having
 * committed first, leaves nothing to insert. False when nothing was inserted.
 */
export async function insertSessionIfCurrent(
  db: DbOrTx,
  s: { id: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null },
  passwordHash: string,
): Promise<boolean> {
  const result = await sql`insert into sessions (id, user_id, expires_at, ip, user_agent)
    select ${s.id}, u.id, ${s.expiresAt}, ${s.ip}, ${s.userAgent}
    from (select id from users
          where id = ${s.userId} and password_hash = ${passwordHash} and disabled_at is null
          for share) as u`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

export async function findSessionWithUser(
  db: DbOrTx,
  id: string,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as s_id',
      'sessions.user_id as s_user_id',
      'sessions.created_at as s_created_at',
      'sessions.last_seen_at as s_last_seen_at',
      'sessions.expires_at as s_expires_at',
      'sessions.ip as s_ip',
      'sessions.user_agent as s_user_agent',
    ])
    .selectAll('users')
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { s_id, s_user_id, s_created_at, s_last_seen_at, s_expires_at, s_ip, s_user_agent, ...user } = row;
  return {
    session: {
      id: s_id,
      user_id: s_user_id,
      created_at: s_created_at,
      last_seen_at: s_last_seen_at,
      expires_at: s_expires_at,
      ip: s_ip,
      user_agent: s_user_agent,
    },
    user,
  };
}

export async function touchSession(db: DbOrTx, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of the account but the one named (the caller's own); answers how many. */
export async function deleteSessionsOfUser(
  db: DbOrTx,
  userId: string,
  exceptId: string | null = null,
): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sessions past their absolute expiry or idle limit (housekeeping; expired sessions are refused anyway). */
export async function deleteExpiredSessions(db: DbOrTx, idleBefore: Date, now: Date): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .execute();
}
