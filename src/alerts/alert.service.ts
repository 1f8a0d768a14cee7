// Moderator alerts, as verbs and jobs: set how often a moderator hears of newly held and newly
// reported comments of a site; on each lifecycle event, queue an immediate alert per moderator who
// asked for one; and the hourly/daily digests, run by maintenance. Mail goes out from the mail queue,
// never from a request.
import type { UserService } from '../auth/user.service.ts';
import type { Db } from '../db/database.ts';
import type { EventRow } from '../db/schema.ts';
import type { Principal } from '../domain/principal.ts';
import { findEvent } from '../events/outbox.repository.ts';
import type { Job, Producer } from '../jobs/job-queue.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { ReportService } from '../reports/report.service.ts';
import type { ReviewService } from '../review/review.service.ts';
import { ForbiddenError, fieldError } from '../shared/errors.ts';
import type { SiteService } from '../sites/site.service.ts';
import * as repo from './alert.repository.ts';
import { heldCommentAlert, moderationDigest, reportedCommentAlert } from './alert-mail.ts';

const PERIOD_MS = { hourly: 3_600_000, daily: 86_400_000 } as const;

interface HeldEvent {
  data: {
    comment: { id: string; name: string; body: string };
    from: string | null;
    to: string;
    article: { id: string; title: string | null };
    /** On comment.reported (reports/report-events.ts): the reports' summary. */
    report?: { score: number; hidden: boolean; reasons: { reason: string; count: number }[] };
  };
}

const REPORTED = 'comment.reported';

export function createAlertService(deps: {
  db: Db;
  users: UserService;
  sites: SiteService;
  review: ReviewService;
  reports: ReportService;
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

    /**
     * A step of the "events" job (container.ts), given the event the job read: a newly held comment, or
     * one that entered the Reported queue (or was hidden by reports), queues one alert per "immediate"
     * moderator of the site. It only queues (the "alert" mail job sends), under job ids that name the
     * alert, so the events job run again queues nothing twice.
     */
    async onEvent(event: EventRow): Promise<void> {
      // comment.created is the twin of a new comment's status event (comment.pending for a held one).
      if (event.type === 'comment.created') return;
      const data = (event.payload as unknown as HeldEvent).data;
      if (!data) return;
      const reported = event.type === REPORTED;
      // Held: a new comment the filters or the mode held. A published comment hidden by reports also
      // becomes pending; its comment.reported event alerts for it, with the reports' summary.
      if (!reported && (data.to !== 'pending' || data.from === 'approved')) return;
      const alerts = await repo.listAlertsOfSite(db, event.site_id, 'immediate');
      await deps.producer().addBulk(
        'mail',
        alerts.map((a) => ({
          name: 'alert',
          data: { eventId: event.id, userId: a.user_id },
          // Held: per comment (a new held comment emits comment.created and comment.pending; one alert).
          // Reported: per event (entering the queue, then being hidden, are two pieces of news).
          opts: { jobId: reported ? `reported-${event.id}-${a.user_id}` : `alert-${data.comment.id}-${a.user_id}` },
        })),
      );
    },

    async sendAlert(job: Job): Promise<void> {
      const event = await findEvent(db, String(job.data.eventId ?? ''));
      if (!event) return;
      const user = await deps.users.get(String(job.data.userId ?? '')).catch(() => null);
      if (!user || !mayModerate(user, event.site_id)) return;
      const { comment, article, report } = (event.payload as unknown as HeldEvent).data;
      if (!comment.body) return; // erased since
      const site = await deps.sites.get(event.site_id);
      const ctx = { baseUrl: deps.baseUrl, siteId: site.id, siteName: site.name, to: user.email };
      const held = { ...comment, articleId: article.id, articleTitle: article.title };
      await deps.mailer.deliver(
        event.type === REPORTED && report
          ? reportedCommentAlert(ctx, { ...held, ...report }, `reported:${event.id}:${user.id}`)
          : heldCommentAlert(ctx, held, `alert:${comment.id}:${user.id}`),
      );
    },

    /**
     * Hourly and daily digests that are due: the comments held since the last one, and those in the
     * Reported queue with reports made since (none of either: no mail).
     */
    async sendDigests(now = new Date()): Promise<number> {
      let sent = 0;
      for (const a of await repo.listDigestAlerts(db)) {
        const period = PERIOD_MS[a.frequency as keyof typeof PERIOD_MS];
        const since = a.last_sent_at ?? new Date(now.getTime() - period);
        if (a.last_sent_at && now.getTime() - a.last_sent_at.getTime() < period) continue;
        const user = await deps.users.get(a.user_id).catch(() => null);
        if (!user || !mayModerate(user, a.site_id)) continue;
        const who = principalOf(user);
        const page = await deps.review.list(who, { status: 'pending', siteId: a.site_id, limit: 100 });
        const reported = (await deps.reports.queue(who, a.site_id))
          .filter((r) => r.reports.some((x) => new Date(x.createdAt) > since))
          .map((r) => ({
            ...r.comment,
            articleTitle: null,
            score: r.score,
            hidden: r.comment.status === 'pending',
            reasons: r.reasons,
          }));
        // A comment hidden by reports is pending too: it is listed once, with its reports.
        const hiddenIds = new Set(reported.map((r) => r.id));
        const held = page.items
          .filter((c) => new Date(c.createdAt) > since && !hiddenIds.has(c.id))
          .map((c) => ({ ...c, articleTitle: c.article.title }));
        if (held.length > 0 || reported.length > 0) {
          const site = await deps.sites.get(a.site_id);
          const ctx = { baseUrl: deps.baseUrl, siteId: site.id, siteName: site.name, to: user.email };
          const key = `digest:${a.user_id}:${a.site_id}:${now.toISOString()}`;
          await deps.mailer.deliver(moderationDigest(ctx, held, reported, key));
          sent++;
        }
        await repo.markDigestSent(db, a.user_id, a.site_id, now);
      }
      return sent;
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
