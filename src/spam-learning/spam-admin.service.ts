// The learned spam model as admins manage it (admin API and CLI): stats, a rebuild from the
// moderation log, and a reset, the last two audited in their own transaction.
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../domain/actor.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { SpamStats, SpamTraining } from './spam-training.service.ts';

export function createSpamAdmin(deps: { sites: SiteService; training: SpamTraining; audit: AuditService }) {
  const { sites, training, audit } = deps;
  return {
    async stats(siteId: string): Promise<SpamStats> {
      const site = await sites.get(siteId);
      return training.stats(site.id, site.settings.spamScoreHold);
    },

    async retrain(actor: Actor, siteId: string): Promise<SpamStats> {
      const site = await sites.get(siteId);
      await training.rebuild(site.id, (tx) =>
        audit
          .withTx(tx)
          .record(actor, { action: 'spam.retrain', siteId: site.id, target: { type: 'site', id: site.id } }),
      );
      return training.stats(site.id, site.settings.spamScoreHold);
    },

    async reset(actor: Actor, siteId: string): Promise<SpamStats> {
      const site = await sites.get(siteId);
      await training.reset(site.id, (tx) =>
        audit
          .withTx(tx)
          .record(actor, { action: 'spam.reset', siteId: site.id, target: { type: 'site', id: site.id } }),
      );
      return training.stats(site.id, site.settings.spamScoreHold);
    },
  };
}

export type SpamAdmin = ReturnType<typeof createSpamAdmin>;
