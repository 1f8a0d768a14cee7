// Moderator alerts, as verbs and jobs: set how often a moderator hears of newly held comments of a
// site; on each lifecycle event, queue an immediate alert per moderator who asked for one; and the
// hourly/daily digests, run by maintenance. Mail goes out from the mail queue, never from a request.
import type { UserService } from '../auth/user.service.ts';
import type { Db } from '../db/database.ts';
import type { Principal } from '../domain/principal.ts';
import { findEvent } from '../events/outbox.repository.ts';
import type { Job, Producer } from '../jobs/job-queue.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { ReviewService } from '../review/review.service.ts';
import { ForbiddenError, fieldError } from '../shared/errors.ts';
import type { SiteService } from '../sites/site.service.ts';
import * as repo from './alert.repository.ts';
import { heldCommentAlert, heldDigest } from './alert-mail.ts';

const PERIOD_MS = { hourly: 3_600_000, daily: 86_400_000 } as const;

interface HeldEvent {
  data: {
    comment: { id: string; name: string; body: string };
    to: string;
    article: { id: string; title: string | null };
  };
}

export function createAlertService(deps: {
  db: Db;
  users: UserService;
  sites: SiteService;
  review: ReviewService;
  mailer: Mailer;
  producer: () => Producer;
  baseUrl: string;
}) {
  const { db } = deps;
  const principalOf = (u: Awaited<ReturnType<UserService['get']>>): Principal => ({
    userId: u.id,
    email: u.email,
    role: u.role,
    siteIds: u.siteIds,
    via: 'token',
    sessionId: null,
  });
  const mayModerate = (u: Awaited<ReturnType<UserService['get']>>, siteId: string) =>
    !u.disabled && (u.role === 'admin' || u.siteIds.includes(siteId));

  return {
    async setFrequency(email: string, siteId: string, frequency: string): Promise<void> {
      if (!(repo.ALERT_FREQUENCIES as readonly string[]).includes(frequency))
        throw fieldError('frequency', `must be one of ${repo.ALERT_FREQUENCIES.join(', ')}`);
      const user = await deps.users.findByEmail(email);
      await deps.sites.get(siteId);
      if (!mayModerate(user, siteId)) throw new ForbiddenError(`${user.email} does not moderate ${siteId}.`);
      await repo.upsertAlert(db, user.id, siteId, frequency as repo.AlertFrequency);
    },

    async list(email: string): Promise<{ siteId: string; frequency: string }[]> {
      const user = await deps.users.findByEmail(email);
      return (await repo.listAlertsOfUser(db, user.id)).map((a) => ({ siteId: a.site_id, frequency: a.frequency }));
    },

    /** The mail queue's event job: a newly held comment queues one alert per "immediate" moderator. */
    async onEvent(job: Job): Promise<void> {
      const event = await findEvent(db, String(job.data.eventId ?? ''));
      const data = event ? (event.payload as unknown as HeldEvent).data : null;
      if (!event || data?.to !== 'pending') return;
      const alerts = await repo.listAlertsOfSite(db, event.site_id, 'immediate');
      await deps.producer().addBulk(
        'mail',
        alerts.map((a) => ({
          name: 'alert',
          data: { eventId: event.id, userId: a.user_id },
          // Per comment: a new held comment emits comment.created and comment.pending; one alert.
          opts: { jobId: `alert-${data.comment.id}-${a.user_id}` },
        })),
      );
    },

    async sendAlert(job: Job): Promise<void> {
      const event = await findEvent(db, String(job.data.eventId ?? ''));
      if (!event) return;
      const user = await deps.users.get(String(job.data.userId ?? '')).catch(() => null);
      if (!user || !mayModerate(user, event.site_id)) return;
      const { comment, article } = (event.payload as unknown as HeldEvent).data;
      if (!comment.body) return; // erased since
      const site = await deps.sites.get(event.site_id);
      const ctx = { baseUrl: deps.baseUrl, siteId: site.id, siteName: site.name, to: user.email };
      const held = { ...comment, articleId: article.id, articleTitle: article.title };
      await deps.mailer.deliver(heldCommentAlert(ctx, held, `alert:${comment.id}:${user.id}`));
    },

    /** Hourly and daily digests that are due: the comments held since the last one (none: no mail). */
    async sendDigests(now = new Date()): Promise<number> {
      let sent = 0;
      for (const a of await repo.listDigestAlerts(db)) {
        const period = PERIOD_MS[a.frequency as keyof typeof PERIOD_MS];
        const since = a.last_sent_at ?? new Date(now.getTime() - period);
        if (a.last_sent_at && now.getTime() - a.last_sent_at.getTime() < period) continue;
        const user = await deps.users.get(a.user_id).catch(() => null);
        if (!user || !mayModerate(user, a.site_id)) continue;
        const page = await deps.review.list(principalOf(user), { status: 'pending', siteId: a.site_id, limit: 100 });
        const held = page.items.filter((c) => new Date(c.createdAt) > since);
        if (held.length > 0) {
          const site = await deps.sites.get(a.site_id);
          const ctx = { baseUrl: deps.baseUrl, siteId: site.id, siteName: site.name, to: user.email };
          const items = held.map((c) => ({ ...c, articleTitle: c.article.title }));
          await deps.mailer.deliver(heldDigest(ctx, items, `digest:${a.user_id}:${a.site_id}:${now.toISOString()}`));
          sent++;
        }
        await repo.markDigestSent(db, a.user_id, a.site_id, now);
      }
      return sent;
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
