// The outbox (the events table): written in the statement that changes a comment, read by the relay
// and the event job, marked dispatched by the worker that takes the event (or by the sweeper when it
// hands one over). The only module that writes the table.
import { type RawBuilder, sql } from 'kysely';
import { type Db, type DbOrTx, jsonb } from '../db/database.ts';
import type { EventRow } from '../db/schema.ts';

export interface OutboxEvent {
  id: string;
  type: string;
  payload: object;
}

/**
 * A status change's events as the body of a data-modifying CTE (see comments/transition.repository.ts):
 * written only when the CTE named `source` returned the comment's id. `source` also returns `event_seq`,
 * the comment's sequence number raised by as many events as are written here: each event's payload gets
 * its own number as `data.sequence` (1, 2, 3… per comment, in the order of `events`), so receivers can
 * put one comment's events in order whatever order they arrive in.
 */
export function insertEventsFrom(source: string, siteId: string, events: OutboxEvent[]): RawBuilder<unknown> {
  if (events.length === 0) throw new Error('a status change emits at least one event');
  const rows = events.map(
    (e, i) => sql`(${e.id}::uuid, ${e.type}, ${jsonb(e.payload)}, ${i + 1 - events.length}::int)`,
  );
  const sequence = sql`${sql.ref(`${source}.event_seq`)} + e.offset_from_last`;
  return sql`insert into events (id, site_id, type, comment_id, payload)
    select e.id, ${siteId}, e.type, ${sql.ref(`${source}.id`)},
           jsonb_set(e.payload, '{data,sequence}', to_jsonb(${sequence}))
    from ${sql.table(source)}, (values ${sql.join(rows)}) as e (id, type, payload, offset_from_last)`;
}

/**
 * Several comments' events (bulk actions) as the body of one CTE, numbered as insertEventsFrom numbers them:
 * `events` lists each with its comment id and its offset from that comment's last event (0 for the last).
 */
export function insertManyEventsFrom(
  source: string,
  events: (OutboxEvent & { siteId: string; commentId: string; offsetFromLast: number })[],
): RawBuilder<unknown> {
  const rows = events.map((e) => ({
    id: e.id,
    site_id: e.siteId,
    type: e.type,
    comment_id: e.commentId,
    payload: e.payload,
    offset_from_last: e.offsetFromLast,
  }));
  return sql`insert into events (id, site_id, type, comment_id, payload)
    select e.id, e.site_id, e.type, e.comment_id,
           jsonb_set(e.payload, '{data,sequence}', to_jsonb(s.event_seq + e.offset_from_last))
    from jsonb_to_recordset(${jsonb(rows)})
           as e (id uuid, site_id text, type text, comment_id uuid, payload jsonb, offset_from_last int)
      join ${sql.table(source)} as s on s.id = e.comment_id`;
}

// Each event is read by each of its jobs (the spam model's, the webhooks', the mail's) within moments of
// being written. A process that is the only one writing events (the embedded mode: PGlite lives in one
// process) keeps them in memory for a few seconds. Every change of an event other than its dispatch mark
// goes through this module and counts in `eventWrites`; an entry kept before the latest change is read
// again, and one read while a change ran is not kept. (No reader of a kept event uses `dispatched_at`.)
const KEEP_MS = 10_000;
const KEEP_MAX = 10_000;
let eventWrites = 0;
const keptBy = new WeakMap<DbOrTx, Map<string, { writes: number; at: number; row: EventRow }>>();

/** From now on `db` keeps events read through findEvent in memory: no other process may change them. */
export function keepEventsInMemory(db: Db): void {
  if (!keptBy.has(db)) keptBy.set(db, new Map());
}

function keep(kept: Map<string, { writes: number; at: number; row: EventRow }>, writes: number, rows: EventRow[]) {
  if (writes !== eventWrites) return;
  const at = Date.now();
  for (const row of rows) {
    kept.delete(row.id);
    kept.set(row.id, { writes, at, row });
  }
  // Oldest first: Map keeps insertion order.
  for (const id of kept.keys()) {
    if (kept.size <= KEEP_MAX) break;
    kept.delete(id);
  }
}

export async function findEvent(db: DbOrTx, id: string): Promise<EventRow | undefined> {
  const kept = keptBy.get(db);
  const hit = kept?.get(id);
  if (hit && hit.writes === eventWrites && Date.now() - hit.at < KEEP_MS) return hit.row;
  const writes = eventWrites;
  const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  if (kept && row) keep(kept, writes, [row]);
  return row;
}

/** Reads these events into memory in one statement, when `db` keeps events (see keepEventsInMemory). */
export async function preloadEvents(db: DbOrTx, ids: string[]): Promise<void> {
  const kept = keptBy.get(db);
  if (!kept || ids.length === 0) return;
  const writes = eventWrites;
  keep(kept, writes, await db.selectFrom('events').selectAll().where('id', 'in', ids).execute());
}

/**
 * The event job's read of its event, marking it dispatched in the same statement: a worker holds it now,
 * so the sweeper leaves it alone (the queue retries the job if this run fails). The API no longer spends
 * a statement per commit marking what it handed over. `also`, read in the same statement too, is a scalar
 * subquery of the caller's that may refer to the taken row as `events` (the events job reads its site's
 * webhook endpoints so: one statement where it took two).
 */
export async function takeEvent<T>(
  db: DbOrTx,
  id: string,
  also: RawBuilder<T>,
): Promise<{ event: EventRow; also: T } | undefined> {
  const row = await db
    .updateTable('events')
    .set({ dispatched_at: sql<Date>`coalesce(dispatched_at, now())` })
    .where('id', '=', id)
    .returningAll()
    .returning(also.as('also'))
    .executeTakeFirst();
  if (!row) return undefined;
  const { also: extra, ...event } = row;
  return { event, also: extra as T };
}

/**
 * takeEvent for several events in ONE statement (a batched events job): each returned in the order of
 * `ids`, with `also` (which may refer to its row as `events`) read for it. Ids with no event are left out.
 * `fresh`: this statement marked it (it was undispatched); otherwise a worker or the sweeper had before.
 */
export async function takeEvents<T>(
  db: DbOrTx,
  ids: string[],
  also: RawBuilder<T>,
): Promise<{ event: EventRow; also: T; fresh: boolean }[]> {
  if (ids.length === 0) return [];
  // `= any` of one array parameter: one statement text (and named statement) whatever the batch's size.
  const rows = await db
    .updateTable('events')
    .set({ dispatched_at: sql<Date>`coalesce(dispatched_at, now())` })
    .where(sql<boolean>`id = any(${ids}::uuid[])`)
    .returningAll()
    .returning(also.as('also'))
    // now() is the statement's (its transaction's) start time: dispatched_at equals it only when the
    // coalesce above wrote it, i.e. when the event was undispatched until this statement.
    .returning(sql<boolean>`dispatched_at = now()`.as('fresh'))
    .execute();
  const byId = new Map(
    rows.map(({ also: extra, fresh, ...event }) => [event.id, { event, also: extra as T, fresh: fresh === true }]),
  );
  return ids.flatMap((id) => {
    const taken = byId.get(id);
    return taken ? [taken] : [];
  });
}

/**
 * Undispatched events, oldest first. `olderThanMs` lets the sweeper leave fresh events to the relay of the
 * process that wrote them; `after` continues a pass past the last event of its previous page.
 */
export async function listUndispatched(
  db: DbOrTx,
  limit: number,
  olderThanMs = 0,
  after?: { id: string; created_at: Date },
): Promise<{ id: string; created_at: Date }[]> {
  let q = db.selectFrom('events').select(['id', 'created_at']).where('dispatched_at', 'is', null);
  if (olderThanMs > 0) q = q.where('created_at', '<', new Date(Date.now() - olderThanMs));
  if (after) q = q.where(sql<boolean>`(created_at, id) > (${after.created_at}, ${after.id}::uuid)`);
  return q.orderBy('created_at').orderBy('id').limit(limit).execute();
}

export async function markDispatched(db: DbOrTx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('events')
    .set({ dispatched_at: new Date() })
    .where('id', 'in', ids)
    .where('dispatched_at', 'is', null)
    .execute();
}

export async function countUndispatched(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('dispatched_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Erasure: each event of these comments rewritten by `rewrite` (its erased form); returns how many. */
export async function rewriteEventsOfComments(
  db: DbOrTx,
  commentIds: string[],
  rewrite: (payload: Record<string, unknown>) => Record<string, unknown>,
): Promise<number> {
  if (commentIds.length === 0) return 0;
  eventWrites++;
  const rows = await db.selectFrom('events').select(['id', 'payload']).where('comment_id', 'in', commentIds).execute();
  for (const r of rows) {
    await db
      .updateTable('events')
      .set({ payload: JSON.stringify(rewrite(r.payload)) })
      .where('id', '=', r.id)
      .execute();
  }
  eventWrites++;
  return rows.length;
}

/**
 * Retention: events handed to the queue before the cut-off, with their deliveries and attempts (the
 * foreign keys cascade). An event with a delivery still being retried stays until it settles.
 */
export async function deleteDispatchedBefore(db: DbOrTx, siteId: string, before: Date): Promise<number> {
  eventWrites++;
  const res = await db
    .deleteFrom('events')
    .where('site_id', '=', siteId)
    .where('dispatched_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries as d')
            .select(sql`1`.as('one'))
            .whereRef('d.event_id', '=', 'events.id')
            .where('d.status', '=', 'pending'),
        ),
      ),
    )
    .executeTakeFirst();
  eventWrites++;
  return Number(res.numDeletedRows);
}

/** An event about no single comment (an import's completion), written on its own. */
export async function insertSiteEvent(db: DbOrTx, siteId: string, event: OutboxEvent): Promise<void> {
  await db
    .insertInto('events')
    .values({
      id: event.id,
      site_id: siteId,
      type: event.type,
      comment_id: null,
      payload: JSON.stringify(event.payload),
    })
    .execute();
}
