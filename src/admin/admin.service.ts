// Admin verbs over sites and webhook endpoints, each recorded in the audit log. Those services predate
// accounts and run their own statements, so the audit row is written right after the change succeeds
// (a crash in between could lose the row, never the change's validation).
import { insertAudit, listAudit } from '../audit/audit.repository.ts';
import type { Db } from '../db/database.ts';
import { actorOf, type Principal } from '../domain/principal.ts';
import { fieldError, NotFoundError } from '../shared/errors.ts';
import { uuidPattern } from '../shared/ids.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { SiteSettings } from '../sites/site-settings.ts';
import { findDelivery, findEndpoint } from '../webhooks/webhook.repository.ts';
import type { EndpointInput, WebhookService } from '../webhooks/webhook.service.ts';

export interface AuditEntry {
  id: string;
  actorType: string;
  actorId: string;
  actorEmail: string | null;
  action: string;
  siteId: string | null;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  createdAt: Date;
}

export function createAdminService(deps: { db: Db; sites: SiteService; webhooks: WebhookService }) {
  const { db, sites, webhooks } = deps;

  const audit = (
    who: Principal,
    action: string,
    siteId: string | null,
    targetType: string,
    targetId: string,
    details: Record<string, unknown> = {},
  ) => {
    const actor = actorOf(who);
    return insertAudit(db, { actorType: actor.type, actorId: actor.id, action, siteId, targetType, targetId, details });
  };

  return {
    async createSite(
      who: Principal,
      input: { id: string; name: string; settings?: Partial<SiteSettings> | undefined },
    ) {
      const site = await sites.create({
        id: input.id,
        name: input.name,
        ...(input.settings ? { settings: input.settings } : {}),
      });
      await audit(who, 'site.create', site.id, 'site', site.id, { name: site.name, settings: site.settings });
      return site;
    },

    async updateSite(
      who: Principal,
      id: string,
      patch: { name?: string | undefined; settings?: Record<string, unknown> | undefined },
    ) {
      const site = await sites.update(id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.settings ? { settings: patch.settings } : {}),
      });
      await audit(who, 'site.update', id, 'site', id, { ...patch });
      return site;
    },

    async createWebhook(who: Principal, siteId: string, input: EndpointInput & { url: string }) {
      const created = await webhooks.create(siteId, input);
      await audit(who, 'webhook.create', siteId, 'webhook', created.endpoint.id, {
        url: created.endpoint.url,
        events: created.endpoint.events,
      });
      return created;
    },

    async updateWebhook(who: Principal, id: string, input: EndpointInput) {
      const endpoint = await webhooks.update(id, input);
      await audit(who, 'webhook.update', endpoint.siteId, 'webhook', id, { ...input });
      return endpoint;
    },

    async rotateWebhookSecret(who: Principal, id: string, graceHours: number) {
      const rotated = await webhooks.rotateSecret(id, graceHours);
      await audit(who, 'webhook.rotate-secret', rotated.endpoint.siteId, 'webhook', id, { graceHours });
      return rotated;
    },

    async deleteWebhook(who: Principal, id: string) {
      const endpoint = await webhooks.get(id);
      await webhooks.remove(id);
      await audit(who, 'webhook.delete', endpoint.siteId, 'webhook', id, { url: endpoint.url });
    },

    async redeliver(who: Principal, deliveryId: string) {
      const delivery = uuidPattern.test(deliveryId) ? await findDelivery(db, deliveryId) : undefined;
      if (!delivery) throw new NotFoundError(`No webhook delivery with id "${deliveryId.slice(0, 100)}".`);
      const result = await webhooks.redeliver(deliveryId);
      const endpoint = await findEndpoint(db, delivery.endpoint_id);
      await audit(who, 'webhook.redeliver', endpoint?.site_id ?? null, 'webhook_delivery', deliveryId, {
        endpointId: delivery.endpoint_id,
        eventId: delivery.event_id,
      });
      return result;
    },

    async auditLog(q: {
      siteId?: string | undefined;
      actor?: string | undefined;
      action?: string | undefined;
      cursor?: string | undefined;
      limit: number;
    }): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
      if (q.cursor !== undefined && !/^\d{1,18}$/.test(q.cursor))
        throw fieldError('cursor', 'is not a cursor this API returned');
      const rows = await listAudit(db, {
        siteIds: q.siteId ? [q.siteId] : null,
        ...(q.actor ? { actorId: q.actor } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.cursor ? { beforeId: Number(q.cursor) } : {}),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return {
        entries: page.map((r) => ({
          id: String(r.id),
          actorType: r.actor_type,
          actorId: r.actor_id,
          actorEmail: r.actor_email,
          action: r.action,
          siteId: r.site_id,
          targetType: r.target_type,
          targetId: r.target_id,
          details: r.details,
          createdAt: r.created_at,
        })),
        nextCursor: rows.length > q.limit ? String(page.at(-1)!.id) : null,
      };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
