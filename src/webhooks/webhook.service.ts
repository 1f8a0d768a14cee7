// Managing webhook endpoints: create (secret shown once), change, rotate secrets, see deliveries, redeliver.
import { type Bindable, bindable, type Db, type DbOrTx, type Tx } from '../db/database.ts';
import type { WebhookEndpointRow } from '../db/schema.ts';
import type { Producer } from '../jobs/job-queue.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidPattern, uuidv7 } from '../shared/ids.ts';
import { zodToFieldErrors } from '../shared/validation.ts';
import type { SiteService, SiteVerbs } from '../sites/site.service.ts';
import { generateWebhookSecret, type SecretBox } from './secret-box.ts';
import * as repo from './webhook.repository.ts';
import { deliveryLog, toEndpoint, type WebhookEndpoint } from './webhook-endpoint.ts';
import { eventListSchema, webhookUrlSchema } from './webhook-input.ts';

export interface EndpointInput {
  url?: string;
  description?: string | null;
  events?: string[];
  enabled?: boolean;
  includePersonalData?: boolean;
}

interface VerbDeps {
  db: DbOrTx;
  sites: SiteVerbs;
  box: SecretBox;
  urlSchema: ReturnType<typeof webhookUrlSchema>;
}

function validate(urlSchema: VerbDeps['urlSchema'], input: EndpointInput) {
  const errors = [];
  if (input.url !== undefined) {
    const r = urlSchema.safeParse(input.url);
    if (!r.success) errors.push(...zodToFieldErrors(r.error, 'url'));
  }
  if (input.events !== undefined) {
    const r = eventListSchema.safeParse(input.events);
    if (!r.success) errors.push(...zodToFieldErrors(r.error, 'events'));
  }
  if (input.description && input.description.length > 500)
    errors.push({ path: 'description', message: 'must be at most 500 characters' });
  if (errors.length) throw new ValidationError(errors, 'The webhook endpoint is invalid.');
}

function webhookVerbs({ db, sites, box, urlSchema }: VerbDeps) {
  async function getRow(id: string): Promise<WebhookEndpointRow> {
    const row = uuidPattern.test(id) ? await repo.findEndpoint(db, id) : undefined;
    if (!row) throw new NotFoundError(`No webhook endpoint with id "${id.slice(0, 100)}".`);
    return row;
  }

  return {
    async create(
      siteId: string,
      input: EndpointInput & { url: string },
    ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
      await sites.get(siteId);
      validate(urlSchema, input);
      const secret = generateWebhookSecret();
      const row = await repo.insertEndpoint(db, {
        id: uuidv7(),
        siteId,
        url: input.url,
        description: input.description ?? null,
        events: input.events ?? [],
        secretCiphertext: box.seal(secret),
        includePersonalData: input.includePersonalData ?? false,
      });
      return { endpoint: toEndpoint(row), secret };
    },

    async get(id: string): Promise<WebhookEndpoint> {
      return toEndpoint(await getRow(id));
    },

    async list(siteId: string): Promise<WebhookEndpoint[]> {
      await sites.get(siteId);
      return (await repo.listEndpoints(db, siteId)).map(toEndpoint);
    },

    async update(id: string, input: EndpointInput): Promise<WebhookEndpoint> {
      await getRow(id);
      validate(urlSchema, input);
      const row = await repo.updateEndpoint(db, id, {
        ...input,
        // Re-enabling clears the record of why it was disabled and of its failures.
        ...(input.enabled === true ? { disabledReason: null, failingSince: null } : {}),
        ...(input.enabled === false ? { disabledReason: 'disabled by an operator' } : {}),
      });
      return toEndpoint(row!);
    },

    /** A new secret; the old one keeps signing too (a second signature) until the grace period ends. */
    async rotateSecret(id: string, graceHours = 24): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
      if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > 24 * 30) {
        throw new ValidationError([{ path: 'graceHours', message: 'must be between 0 and 720' }]);
      }
      const current = await getRow(id);
      const secret = generateWebhookSecret();
      const row = await repo.updateEndpoint(db, id, {
        secretCiphertext: box.seal(secret),
        previousSecretCiphertext: graceHours > 0 ? current.secret_ciphertext : null,
        previousSecretExpiresAt: graceHours > 0 ? new Date(Date.now() + graceHours * 3_600_000) : null,
      });
      return { endpoint: toEndpoint(row!), secret };
    },

    /** Removes the endpoint with its deliveries; returns it as it was. */
    async remove(id: string): Promise<WebhookEndpoint> {
      const row = await getRow(id);
      await repo.deleteEndpoint(db, id);
      return toEndpoint(row);
    },

    async deliveries(endpointId: string, limit = 50) {
      await getRow(endpointId);
      const deliveries = await repo.listDeliveries(db, endpointId, Math.min(Math.max(limit, 1), 500));
      const attempts = await repo.listAttempts(
        db,
        deliveries.map((d) => d.id),
      );
      return deliveryLog(deliveries, attempts);
    },

    /** Sets a delivery back to pending (the first half of a redelivery); returns what it belongs to. */
    async resetDelivery(
      deliveryId: string,
    ): Promise<{ id: string; endpointId: string; eventId: string; siteId: string | null }> {
      const delivery = uuidPattern.test(deliveryId) ? await repo.findDelivery(db, deliveryId) : undefined;
      if (!delivery) throw new NotFoundError(`No webhook delivery with id "${deliveryId.slice(0, 100)}".`);
      await repo.updateDelivery(db, deliveryId, { status: 'pending', nextAttemptAt: null, lastError: null });
      const endpoint = await repo.findEndpoint(db, delivery.endpoint_id);
      return {
        id: delivery.id,
        endpointId: delivery.endpoint_id,
        eventId: delivery.event_id,
        siteId: endpoint?.site_id ?? null,
      };
    },
  };
}

type WebhookVerbs = ReturnType<typeof webhookVerbs>;

export type WebhookService = Bindable<WebhookVerbs> & {
  /** Sends the delivery again, whatever its state, with the same event id (receivers can dedupe). */
  redeliver(deliveryId: string): Promise<{ deliveryId: string }>;
  /** The second half of a redelivery, after the reset has committed (the job must see it pending). */
  enqueueRedelivery(deliveryId: string): Promise<{ deliveryId: string }>;
};

export function createWebhookService(deps: {
  db: Db;
  sites: SiteService;
  box: SecretBox;
  producer: () => Producer;
  allowPrivate: boolean;
}): WebhookService {
  const urlSchema = webhookUrlSchema(deps.allowPrivate);
  const verbs = (db: DbOrTx) =>
    webhookVerbs({ db, sites: db.isTransaction ? deps.sites.withTx(db as Tx) : deps.sites, box: deps.box, urlSchema });
  async function enqueueRedelivery(deliveryId: string) {
    await deps
      .producer()
      .add('webhooks', 'deliver', { deliveryId }, { jobId: `${deliveryId}-redeliver-${Date.now()}` });
    return { deliveryId };
  }
  return {
    ...bindable(deps.db, verbs),
    enqueueRedelivery,
    async redeliver(deliveryId) {
      await verbs(deps.db).resetDelivery(deliveryId);
      return enqueueRedelivery(deliveryId);
    },
  };
}
