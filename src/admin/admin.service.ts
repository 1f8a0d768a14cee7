// Admin verbs over sites and webhook endpoints, each recorded in the audit log inside the change's own
// transaction: the site or webhook service bound to it (`withTx`) makes the change, the audit service
// bound to it records who did. The admin API, the dashboard and the CLI all come through here.
import type { AuditQuery, AuditService } from '../audit/audit.service.ts';
import { type Db, inTransaction } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { ValidationError } from '../shared/errors.ts';
import { uuidPattern } from '../shared/ids.ts';
import { invisibleTextProblem } from '../shared/invisible-text.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { SiteSettings } from '../sites/site-settings.ts';
import type { EndpointInput, WebhookService } from '../webhooks/webhook.service.ts';
import { lockEndpoint, lockSite } from './row-locks.repository.ts';

export type { AuditEntry } from '../audit/audit.service.ts';

/** A webhook's description is read by other admins: no bidi controls or invisible characters. */
function checkDescription(input: EndpointInput): void {
  const problem = typeof input.description === 'string' ? invisibleTextProblem(input.description) : null;
  if (problem)
    throw new ValidationError([{ path: 'description', message: problem }], 'The webhook endpoint is invalid.');
}

export function createAdminService(deps: {
  db: Db;
  sites: SiteService;
  webhooks: WebhookService;
  audit: AuditService;
}) {
  const { db, sites, webhooks, audit } = deps;

  return {
    async createSite(actor: Actor, input: { id: string; name: string; settings?: Partial<SiteSettings> | undefined }) {
      return inTransaction(db, async (tx) => {
        const site = await sites.withTx(tx).create({
          id: input.id,
          name: input.name,
          ...(input.settings ? { settings: input.settings } : {}),
        });
        await audit.withTx(tx).record(actor, {
          action: 'site.create',
          siteId: site.id,
          target: { type: 'site', id: site.id },
          details: { name: site.name, settings: site.settings },
        });
        return site;
      });
    },

    /**
     * Two admins at once: each patch is merged over the other's, none is lost. A save from a form (or
     * a script that read the site first) names the version it was made from: when someone else saved
     * meanwhile it is refused (409 `site_changed`) rather than replacing their change unseen.
     */
    async updateSite(
      actor: Actor,
      id: string,
      patch: { name?: string | undefined; settings?: Record<string, unknown> | undefined },
      expectedVersion?: number,
    ) {
      return inTransaction(db, async (tx) => {
        await lockSite(tx, id);
        const site = await sites.withTx(tx).update(
          id,
          {
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.settings ? { settings: patch.settings } : {}),
          },
          expectedVersion,
        );
        await audit
          .withTx(tx)
          .record(actor, { action: 'site.update', siteId: id, target: { type: 'site', id }, details: { ...patch } });
        return site;
      });
    },

    async createWebhook(actor: Actor, siteId: string, input: EndpointInput & { url: string }) {
      checkDescription(input);
      return inTransaction(db, async (tx) => {
        const created = await webhooks.withTx(tx).create(siteId, input);
        await audit.withTx(tx).record(actor, {
          action: 'webhook.create',
          siteId,
          target: { type: 'webhook', id: created.endpoint.id },
          details: { url: created.endpoint.url, events: created.endpoint.events },
        });
        return created;
      });
    },

    async updateWebhook(actor: Actor, id: string, input: EndpointInput) {
      checkDescription(input);
      return inTransaction(db, async (tx) => {
        const endpoint = await webhooks.withTx(tx).update(id, input);
        await audit.withTx(tx).record(actor, {
          action: 'webhook.update',
          siteId: endpoint.siteId,
          target: { type: 'webhook', id },
          details: { ...input },
        });
        return endpoint;
      });
    },

    async rotateWebhookSecret(actor: Actor, id: string, graceHours: number) {
      return inTransaction(db, async (tx) => {
        const rotated = await webhooks.withTx(tx).rotateSecret(id, graceHours);
        await audit.withTx(tx).record(actor, {
          action: 'webhook.rotate-secret',
          siteId: rotated.endpoint.siteId,
          target: { type: 'webhook', id },
          details: { graceHours },
        });
        return rotated;
      });
    },

    async deleteWebhook(actor: Actor, id: string): Promise<void> {
      await inTransaction(db, async (tx) => {
        // A removal already committed by a colleague: the service's own lookup answers 404.
        if (uuidPattern.test(id)) await lockEndpoint(tx, id);
        const endpoint = await webhooks.withTx(tx).remove(id);
        await audit.withTx(tx).record(actor, {
          action: 'webhook.delete',
          siteId: endpoint.siteId,
          target: { type: 'webhook', id },
          details: { url: endpoint.url },
        });
      });
    },

    /** The reset and its audit row commit together; the job is enqueued after, so it sees the reset. */
    async redeliver(actor: Actor, deliveryId: string) {
      const delivery = await inTransaction(db, async (tx) => {
        const reset = await webhooks.withTx(tx).resetDelivery(deliveryId);
        await audit.withTx(tx).record(actor, {
          action: 'webhook.redeliver',
          siteId: reset.siteId,
          target: { type: 'webhook_delivery', id: deliveryId },
          details: { endpointId: reset.endpointId, eventId: reset.eventId },
        });
        return reset;
      });
      return webhooks.enqueueRedelivery(delivery.id);
    },

    auditLog: (q: AuditQuery) => audit.list(q),
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
