import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema.ts';

export async function insertEndpoint(
  db: DbOrTx,
  e: {
    id: string;
    siteId: string;
    url: string;
    description: string | null;
    events: string[];
    secretCiphertext: string;
    includePersonalData: boolean;
  },
): Promise<WebhookEndpointRow> {
  endpointWrites++;
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      id: e.id,
      site_id: e.siteId,
      url: e.url,
      description: e.description,
      events: JSON.stringify(e.events),
      secret_ciphertext: e.secretCiphertext,
      include_personal_data: e.includePersonalData,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  endpointWrites++;
  return row;
}

export async function findEndpoint(db: DbOrTx, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEndpoints(db: DbOrTx, siteId: string): Promise<WebhookEndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('site_id', '=', siteId).orderBy('created_at').execute();
}

// The event job reads a site's enabled endpoints for every event. A process that is the only one writing
// them (the embedded mode: PGlite lives in one process) keeps them in memory: every write below counts
// in `endpointWrites`, and an entry read before the latest write is read again. An entry is only kept if
// no write happened while it was read, so a read that raced a write is not kept either.
let endpointWrites = 0;
const enabledBySite = new WeakMap<DbOrTx, Map<string, { writes: number; rows: WebhookEndpointRow[] }>>();

/** listEnabledEndpoints, kept per site until an endpoint is written; only for a database no other process writes. */
export async function listEnabledEndpointsCached(db: DbOrTx, siteId: string): Promise<WebhookEndpointRow[]> {
  let sites = enabledBySite.get(db);
  if (!sites) {
    sites = new Map();
    enabledBySite.set(db, sites);
  }
  const hit = sites.get(siteId);
  if (hit?.writes === endpointWrites) return hit.rows;
  const writes = endpointWrites;
  const rows = await listEnabledEndpoints(db, siteId);
  if (writes === endpointWrites) sites.set(siteId, { writes, rows });
  return rows;
}

/** What the events job needs of an endpoint: which events it wants. */
export type EndpointFilter = Pick<WebhookEndpointRow, 'id' | 'events'>;

/**
 * listEnabledEndpoints' ids and filters for the site of the row the enclosing statement names `events`,
 * as one jsonb value: read with the event it delivers (outbox.repository.ts's takeEvent).
 */
export const enabledEndpointsOfEvent = sql<EndpointFilter[]>`(
  select coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'events', w.events)), '[]'::jsonb)
  from webhook_endpoints w where w.site_id = events.site_id and w.enabled)`;

export async function listEnabledEndpoints(db: DbOrTx, siteId: string): Promise<WebhookEndpointRow[]> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('enabled', '=', true)
    .execute();
}

export async function updateEndpoint(
  db: DbOrTx,
  id: string,
  patch: Partial<{
    url: string;
    description: string | null;
    events: string[];
    enabled: boolean;
    disabledReason: string | null;
    includePersonalData: boolean;
    secretCiphertext: string;
    previousSecretCiphertext: string | null;
    previousSecretExpiresAt: Date | null;
    failingSince: Date | null;
  }>,
): Promise<WebhookEndpointRow | undefined> {
  endpointWrites++;
  const row = await db
    .updateTable('webhook_endpoints')
    .set({
      updated_at: new Date(),
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.disabledReason !== undefined ? { disabled_reason: patch.disabledReason } : {}),
      ...(patch.includePersonalData !== undefined ? { include_personal_data: patch.includePersonalData } : {}),
      ...(patch.secretCiphertext !== undefined ? { secret_ciphertext: patch.secretCiphertext } : {}),
      ...(patch.previousSecretCiphertext !== undefined
        ? { previous_secret_ciphertext: patch.previousSecretCiphertext }
        : {}),
      ...(patch.previousSecretExpiresAt !== undefined
        ? { previous_secret_expires_at: patch.previousSecretExpiresAt }
        : {}),
      ...(patch.failingSince !== undefined ? { failing_since: patch.failingSince } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  endpointWrites++;
  return row;
}

/** Marks the endpoint failing from now on, unless it already was; returns since when it fails. */
export async function markEndpointFailing(db: DbOrTx, id: string): Promise<Date | null> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set({ failing_since: sql`coalesce(failing_since, now())` })
    .where('id', '=', id)
    .returning('failing_since')
    .executeTakeFirst();
  return row?.failing_since ?? null;
}

export async function deleteEndpoint(db: DbOrTx, id: string): Promise<boolean> {
  endpointWrites++;
  const res = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  endpointWrites++;
  return Number(res.numDeletedRows) > 0;
}

export async function insertDeliveries(
  db: DbOrTx,
  rows: { id: string; endpointId: string; eventId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(rows.map((r) => ({ id: r.id, endpoint_id: r.endpointId, event_id: r.eventId, status: 'pending' as const })))
    .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
    .execute();
}

export async function listPendingDeliveriesForEvent(db: DbOrTx, eventId: string): Promise<{ id: string }[]> {
  return db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('event_id', '=', eventId)
    .where('status', '=', 'pending')
    .execute();
}

export async function findDelivery(db: DbOrTx, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateDelivery(
  db: DbOrTx,
  id: string,
  patch: {
    status?: WebhookDeliveryRow['status'];
    attemptsDelta?: number;
    lastStatusCode?: number | null;
    lastError?: string | null;
    nextAttemptAt?: Date | null;
  },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      updated_at: new Date(),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.attemptsDelta ? { attempts: sql`attempts + ${patch.attemptsDelta}` } : {}),
      ...(patch.lastStatusCode !== undefined ? { last_status_code: patch.lastStatusCode } : {}),
      ...(patch.lastError !== undefined ? { last_error: patch.lastError } : {}),
      ...(patch.nextAttemptAt !== undefined ? { next_attempt_at: patch.nextAttemptAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function insertAttempt(
  db: DbOrTx,
  a: {
    deliveryId: string;
    startedAt: Date;
    durationMs: number;
    statusCode: number | null;
    responseExcerpt: string | null;
    error: string | null;
    succeeded: boolean;
  },
): Promise<void> {
  await db
    .insertInto('webhook_attempts')
    .values({
      delivery_id: a.deliveryId,
      started_at: a.startedAt,
      duration_ms: a.durationMs,
      status_code: a.statusCode,
      response_excerpt: a.responseExcerpt,
      error: a.error,
      succeeded: a.succeeded,
    })
    .execute();
}

export interface DeliveryWithEvent extends WebhookDeliveryRow {
  event_type: string;
}

export async function listDeliveries(db: DbOrTx, endpointId: string, limit: number): Promise<DeliveryWithEvent[]> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type as event_type')
    .where('d.endpoint_id', '=', endpointId)
    .orderBy('d.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function listAttempts(db: DbOrTx, deliveryIds: string[]): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('id').execute();
}

/** Pending deliveries that no job seems to be working on (lost enqueue, Redis flushed). */
export async function listStrandedDeliveries(db: DbOrTx, limit: number): Promise<{ id: string }[]> {
  return db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb.and([eb('next_attempt_at', 'is', null), eb('created_at', '<', new Date(Date.now() - 60_000))]),
        eb('next_attempt_at', '<', new Date(Date.now() - 300_000)),
      ]),
    )
    .limit(limit)
    .execute();
}

/**
 * Erasure: what receivers answered to the events of these comments (a receiver may echo what it was
 * sent). The attempts themselves (when, status, duration) stay.
 */
export async function forgetResponsesForComments(db: DbOrTx, commentIds: string[]): Promise<number> {
  if (commentIds.length === 0) return 0;
  const res = await db
    .updateTable('webhook_attempts')
    .set({ response_excerpt: null })
    .where('response_excerpt', 'is not', null)
    .where('delivery_id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries as d')
        .innerJoin('events as e', 'e.id', 'd.event_id')
        .select('d.id')
        .where('e.comment_id', 'in', commentIds),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
