// The "webhooks" queue: one job per delivery (endpoint × event). Signs per Standard Webhooks, posts,
// logs the attempt, and decides: done, retry later, or give up.

import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { findComment } from '../comments/comment.repository.ts';
import type { Db } from '../db/database.ts';
import type { EventRow, WebhookEndpointRow } from '../db/schema.ts';
import { findEvent } from '../events/outbox.repository.ts';
import { type Job, PermanentJobError, RetryLaterError } from '../jobs/job-queue.ts';
import type { RetryPolicy } from '../jobs/retry-policy.ts';
import type { Metrics } from '../observability/metrics.ts';
import { failedTooLong, isRetryable, parseRetryAfter } from './delivery-outcome.ts';
import { type PostResult, postJson } from './http-post.ts';
import type { SecretBox } from './secret-box.ts';
import * as repo from './webhook.repository.ts';
import { payloadFor } from './webhook-payload.ts';

const TIMEOUT_MS = 10_000;

function signatures(endpoint: WebhookEndpointRow, box: SecretBox, id: string, at: Date, body: string): string {
  const secrets = [box.open(endpoint.secret_ciphertext)];
  if (
    endpoint.previous_secret_ciphertext &&
    endpoint.previous_secret_expires_at &&
    endpoint.previous_secret_expires_at > at
  ) {
    secrets.push(box.open(endpoint.previous_secret_ciphertext));
  }
  // During a rotation both signatures are sent, space-separated, as the spec allows.
  return secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ');
}

export function createDeliverWebhookJob(deps: {
  db: Db;
  box: SecretBox;
  log: Logger;
  retry: RetryPolicy;
  metrics: Metrics;
  allowPrivate: boolean;
  timeoutMs?: number;
}) {
  const { db, box, log } = deps;

  /** The pending delivery with its endpoint and event; null when there is nothing (more) to send. */
  async function load(deliveryId: string) {
    const delivery = await repo.findDelivery(db, deliveryId);
    if (delivery?.status !== 'pending') return null; // already settled (or a duplicate job)
    const endpoint = await repo.findEndpoint(db, delivery.endpoint_id);
    if (!endpoint?.enabled) {
      await repo.updateDelivery(db, deliveryId, {
        status: 'failed',
        lastError: 'endpoint disabled',
        nextAttemptAt: null,
      });
      return null;
    }
    const event = await findEvent(db, delivery.event_id);
    if (!event) throw new PermanentJobError(`event ${delivery.event_id} is gone`);
    return { endpoint, event };
  }

  /** Signs and posts the event as this endpoint may see it (webhook-payload.ts); logs the attempt. */
  async function send(deliveryId: string, endpoint: WebhookEndpointRow, event: EventRow) {
    const author =
      endpoint.include_personal_data && event.comment_id ? ((await findComment(db, event.comment_id)) ?? null) : null;
    const payload = payloadFor(event.payload, endpoint, author);
    const body = JSON.stringify(payload);
    const at = new Date();
    const result = await postJson(
      endpoint.url,
      body,
      {
        'webhook-id': event.id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signatures(endpoint, box, event.id, at, body),
      },
      { timeoutMs: deps.timeoutMs ?? TIMEOUT_MS, allowPrivate: deps.allowPrivate },
    );
    // A 2xx whose answer then broke off is not a delivery we can count on: it is tried again.
    const ok = result.status !== null && result.status >= 200 && result.status < 300 && result.error === null;
    await repo.insertAttempt(db, {
      deliveryId,
      startedAt: at,
      durationMs: result.durationMs,
      statusCode: result.status,
      responseExcerpt: result.excerpt?.slice(0, 500) ?? null,
      error: result.error,
      succeeded: ok,
    });
    return { result, ok };
  }

  /** A failed attempt: 410 disables the endpoint, others retry on a schedule or give up. */
  async function settleFailure(job: Job, deliveryId: string, endpoint: WebhookEndpointRow, result: PostResult) {
    const record = {
      attemptsDelta: 1,
      lastStatusCode: result.status,
      lastError: result.error ?? `HTTP ${result.status}`,
    };
    const status = result.status;
    if (status === 410) {
      await repo.updateDelivery(db, deliveryId, { ...record, status: 'failed', nextAttemptAt: null });
      await repo.updateEndpoint(db, endpoint.id, { enabled: false, disabledReason: 'the receiver answered 410 Gone' });
      log.warn({ endpointId: endpoint.id }, 'webhook endpoint disabled: 410 Gone');
      deps.metrics.webhookAttempt('disabled');
      throw new PermanentJobError('410 Gone: endpoint disabled');
    }
    log.warn(
      { deliveryId, endpointId: endpoint.id, status, error: result.error, errorCode: result.errorCode },
      'webhook attempt failed',
    );
    const retryable = isRetryable(result);
    const lastAttempt = job.attemptsMade + 1 >= job.maxAttempts;
    if (retryable) await disableIfFailingForDays(endpoint.id);
    if (!retryable || lastAttempt) {
      deps.metrics.webhookAttempt('failed');
      await repo.updateDelivery(db, deliveryId, { ...record, status: 'failed', nextAttemptAt: null });
      throw new PermanentJobError(record.lastError);
    }
    deps.metrics.webhookAttempt('retry');
    const err = new RetryLaterError(record.lastError, parseRetryAfter(result.headers['retry-after']));
    const delay = deps.retry.delayMs('webhooks', job.attemptsMade + 1, err);
    await repo.updateDelivery(db, deliveryId, { ...record, nextAttemptAt: new Date(Date.now() + delay) });
    throw err;
  }

  async function disableIfFailingForDays(endpointId: string) {
    const failingSince = await repo.markEndpointFailing(db, endpointId);
    if (failedTooLong(failingSince)) {
      await repo.updateEndpoint(db, endpointId, { enabled: false, disabledReason: 'every delivery failed for 5 days' });
      log.warn({ endpointId }, 'webhook endpoint disabled after failing for days');
    }
  }

  return async function deliverWebhook(job: Job): Promise<void> {
    const deliveryId = String(job.data.deliveryId ?? '');
    const found = await load(deliveryId);
    if (!found) return;
    const { endpoint, event } = found;
    const { result, ok } = await send(deliveryId, endpoint, event);
    if (!ok) return settleFailure(job, deliveryId, endpoint, result);
    deps.metrics.webhookAttempt('delivered');
    const record = { attemptsDelta: 1, lastStatusCode: result.status, lastError: result.error ?? null };
    await repo.updateDelivery(db, deliveryId, { ...record, status: 'succeeded', nextAttemptAt: null });
    if (endpoint.failing_since) await repo.updateEndpoint(db, endpoint.id, { failingSince: null });
  };
}
