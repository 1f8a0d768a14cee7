// What callers see of webhook endpoints and their deliveries (never the secrets).
import type { WebhookEndpointRow } from '../db/schema.ts';
import type * as repo from './webhook.repository.ts';

export interface WebhookEndpoint {
  id: string;
  siteId: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  includePersonalData: boolean;
  failingSince: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
}

export function toEndpoint(r: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    siteId: r.site_id,
    url: r.url,
    description: r.description,
    events: r.events,
    enabled: r.enabled,
    disabledReason: r.disabled_reason,
    includePersonalData: r.include_personal_data,
    failingSince: r.failing_since,
    previousSecretExpiresAt: r.previous_secret_expires_at,
    createdAt: r.created_at,
  };
}

/** Each delivery with every attempt (status, duration, response excerpt, error). */
export function deliveryLog(
  deliveries: Awaited<ReturnType<typeof repo.listDeliveries>>,
  attempts: Awaited<ReturnType<typeof repo.listAttempts>>,
) {
  return deliveries.map((d) => ({
    id: d.id,
    eventId: d.event_id,
    eventType: d.event_type,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    nextAttemptAt: d.next_attempt_at,
    createdAt: d.created_at,
    log: attempts
      .filter((a) => a.delivery_id === d.id)
      .map((a) => ({
        at: a.started_at,
        durationMs: a.duration_ms,
        statusCode: a.status_code,
        succeeded: a.succeeded,
        error: a.error,
        response: a.response_excerpt,
      })),
  }));
}
