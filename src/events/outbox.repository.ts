import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { EventRow } from '../db/schema.ts';

export async function findEvent(db: DbOrTx, id: string): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Undispatched events, oldest first. `olderThanMs` lets the sweeper leave fresh events to the relay of the process that wrote them. */
export async function listUndispatched(db: DbOrTx, limit: number, olderThanMs = 0): Promise<{ id: string }[]> {
  let q = db.selectFrom('events').select('id').where('dispatched_at', 'is', null);
  if (olderThanMs > 0) q = q.where('created_at', '<', new Date(Date.now() - olderThanMs));
  return q.orderBy('created_at').orderBy('id').limit(limit).execute();
}

export async function markDispatched(db: DbOrTx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('events').set({ dispatched_at: new Date() }).where('id', 'in', ids).execute();
}

export async function countUndispatched(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('dispatched_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}
