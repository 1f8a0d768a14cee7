// The "events" job's webhook step: for each lifecycle event, refresh the thread cache if need be and fan
// out one webhook delivery per subscribed endpoint. The job reads its event once (readEventOf) and hands
// the row to every step (container.ts).
import { createHash } from 'node:crypto';
import type { EventPayload } from '../comments/event-payload.ts';
import type { ThreadCache } from '../comments/thread-cache.ts';
import type { Db } from '../db/database.ts';
import type { EventRow } from '../db/schema.ts';
import { firstAttempt } from '../events/events-job.ts';
import { findEvent, takeEvent, takeEvents } from '../events/outbox.repository.ts';
import type { Job, Producer } from '../jobs/job-queue.ts';
import {
  type EndpointFilter,
  enabledEndpointsOfEvent,
  insertDeliveries,
  listEnabledEndpoints,
  listEnabledEndpointsCached,
  listPendingDeliveriesForEvent,
} from './webhook.repository.ts';

/** The same endpoint and event always make the same delivery id, so a re-run creates nothing new. */
export function deliveryId(endpointId: string, eventId: string): string {
  const h = createHash('sha256').update(`${endpointId}/${eventId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The event an events job read, and its site's enabled endpoints when they were read with it. */
export interface TakenEvent {
  event: EventRow;
  endpoints?: EndpointFilter[];
}

/**
 * The events job's one read of its event. Reading it marks it dispatched: this worker holds it (the
 * queue retries the job if this run fails), so the sweeper need not hand it over; the same statement
 * reads the site's enabled endpoints. A job held only in memory would be lost with the process: its
 * event is marked once the job has run (see jobs/database-queue.ts), and read from memory.
 */
export async function readEventOf(db: Db, job: Job): Promise<TakenEvent | undefined> {
  const eventId = String(job.data.eventId ?? '');
  if (job.data.inMemory === true) {
    const event = await findEvent(db, eventId);
    return event && { event };
  }
  const taken = await takeEvent(db, eventId, enabledEndpointsOfEvent);
  return taken && { event: taken.event, endpoints: taken.also };
}

/**
 * readEventOf for every event of the job: a batched job's (data.eventIds, see events/relay.ts) taken in
 * ONE statement, in the job's order; an event no longer in the outbox (retention) is left out. On the
 * batch's first attempt an event someone marked dispatched before is left out too: the sweeper found it
 * waiting (a backlog) and handed it over alone, under its event id, and that job runs it. (Run again, or
 * taken up after its worker died, the batch cannot tell its own marks from the sweeper's and runs all.)
 */
export async function readEventsOf(db: Db, job: Job): Promise<TakenEvent[]> {
  const ids = job.data.eventIds;
  if (!Array.isArray(ids)) {
    const taken = await readEventOf(db, job);
    return taken ? [taken] : [];
  }
  const taken = await takeEvents(db, [...new Set(ids.map(String))], enabledEndpointsOfEvent);
  const first = firstAttempt(job);
  return taken.filter((t) => t.fresh || !first).map((t) => ({ event: t.event, endpoints: t.also }));
}

/** `cacheEndpoints`: no other process writes webhook endpoints (embedded), so they are kept in memory. */
export function createProcessEventJob(deps: {
  db: Db;
  producer: () => Producer;
  threadCache: ThreadCache;
  cacheEndpoints?: boolean;
}) {
  const { db } = deps;
  const enabledEndpoints = deps.cacheEndpoints ? listEnabledEndpointsCached : listEnabledEndpoints;
  /** `taken`: the job's event as readEventOf read it. */
  return async function processEvent(job: Job, taken: TakenEvent): Promise<void> {
    const { event } = taken;
    const payload = event.payload as unknown as EventPayload;
    // The process that committed the change invalidated the page right after its commit and then handed
    // the event over itself. Invalidating again here, once per event, would make a busy article's page
    // rebuild all through a comment storm while the workers drain it; only an event the sweeper found
    // (its writer may have died before invalidating) needs it.
    const movesThread =
      payload.data.from === 'approved' || payload.data.to === 'approved' || payload.data.to === 'deleted';
    if (movesThread && job.data.recovered === true) {
      await deps.threadCache.invalidate(event.site_id, payload.data.article.id);
    }
    const endpoints = (taken.endpoints ?? (await enabledEndpoints(db, event.site_id))).filter(
      (e) => e.events.length === 0 || e.events.includes(event.type),
    );
    // A first run for a site without a matching endpoint has nothing to deliver, nor any earlier delivery
    // to repair (the maintenance sweep of stranded deliveries covers the rest).
    if (endpoints.length === 0 && firstAttempt(job) && job.data.recovered !== true) return;
    await insertDeliveries(
      db,
      endpoints.map((e) => ({ id: deliveryId(e.id, event.id), endpointId: e.id, eventId: event.id })),
    );
    // Enqueue every delivery of this event still pending: on a re-run this repairs a lost enqueue,
    // and the job id (the delivery id) keeps it from running twice.
    const pending = await listPendingDeliveriesForEvent(db, event.id);
    await deps.producer().addBulk(
      'webhooks',
      pending.map((d) => ({ name: 'deliver', data: { deliveryId: d.id }, opts: { jobId: d.id } })),
    );
  };
}
