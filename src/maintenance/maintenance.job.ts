// The "maintenance" queue: repeatable housekeeping, each task idempotent.
import type { Logger } from 'pino';
import { closeArticlesBefore } from '../articles/article.repository.ts';
import { purgeSpam } from '../comments/comment.repository.ts';
import { deleteKeysOfComments, purgeExpiredIdempotencyKeys } from '../comments/idempotency.repository.ts';
import type { Db } from '../db/database.ts';
import { deleteDispatchedBefore } from '../events/outbox.repository.ts';
import type { Relay } from '../events/relay.ts';
import { purgeFinishedJobs } from '../jobs/job.repository.ts';
import type { Job, Producer } from '../jobs/job-queue.ts';
import type { SiteService } from '../sites/site.service.ts';
import { listStrandedDeliveries } from '../webhooks/webhook.repository.ts';

const DAY = 86_400_000;

/** What runs, and about how often. */
export const MAINTENANCE_SCHEDULE: Record<string, number> = {
  'sweep-outbox': 10_000,
  'sweep-deliveries': 60_000,
  'close-articles': 3_600_000,
  'purge-spam': 3_600_000,
  'purge-events': 3_600_000,
  'purge-expired': 3_600_000,
  // Uploads of imports whose process died: the stored file holds every commenter's address and IP.
  'purge-uploads': 600_000,
  // Hourly and daily moderator digests: each is sent when its period has passed, so a check every
  // five minutes keeps them within minutes of the hour.
  'moderator-digests': 300_000,
  // Subscribers' digests of the notices past the daily cap: sent a few minutes after their hour (or day) ends.
  'reply-digests': 300_000,
};

/**
 * The moment a digest run acts as of: now, or the job's `asOf` (an ISO time), which lets a test run the
 * real job through the real queue as if the hour had passed. Only our own code adds jobs.
 */
function asOf(job: Job): Date {
  const at = typeof job.data.asOf === 'string' ? new Date(job.data.asOf) : null;
  return at && Number.isFinite(at.getTime()) ? at : new Date();
}

export function createMaintenanceJob(deps: {
  db: Db;
  sites: SiteService;
  relay: Relay;
  producer: () => Producer;
  log: Logger;
  /** Sends the moderator digests that are due (alerts/alert.service.ts); returns how many. */
  sendDigests?: (now: Date) => Promise<number>;
  /** Sends the subscribers' digests that are due (subscriptions/reply-digest.job.ts); returns how many. */
  sendReplyDigests?: (now: Date) => Promise<number>;
  /** Fails abandoned imports and deletes the uploads ended imports left (transfer/import-job.service.ts). */
  purgeUploads?: () => Promise<Record<string, number>>;
}) {
  const { db, log } = deps;
  const tasks: Record<string, (job: Job) => Promise<Record<string, number>>> = {
    'sweep-outbox': async () => ({ dispatched: await deps.relay.sweep() }),
    'moderator-digests': async (job) => ({ sent: deps.sendDigests ? await deps.sendDigests(asOf(job)) : 0 }),
    'reply-digests': async (job) => ({ sent: deps.sendReplyDigests ? await deps.sendReplyDigests(asOf(job)) : 0 }),
    'sweep-deliveries': async () => {
      const stranded = await listStrandedDeliveries(db, 500);
      await deps.producer().addBulk(
        'webhooks',
        stranded.map((d) => ({ name: 'deliver', data: { deliveryId: d.id }, opts: { jobId: d.id } })),
      );
      return { requeued: stranded.length };
    },
    'close-articles': async () => {
      let closed = 0;
      for (const site of await deps.sites.list()) {
        if (site.settings.closeAfterDays)
          closed += await closeArticlesBefore(db, site.id, new Date(Date.now() - site.settings.closeAfterDays * DAY));
      }
      return { closed };
    },
    'purge-spam': async () => {
      let purged = 0;
      for (const site of await deps.sites.list()) {
        // The comment's events, deliveries and log rows go with it (foreign keys); its stored answer
        // to an Idempotency-Key (name and text) has no key to follow, so it goes here.
        const ids = await purgeSpam(db, site.id, new Date(Date.now() - site.settings.spamRetentionDays * DAY));
        await deleteKeysOfComments(db, site.id, ids);
        purged += ids.length;
      }
      return { purged };
    },
    'purge-events': async () => {
      let events = 0;
      for (const site of await deps.sites.list())
        events += await deleteDispatchedBefore(
          db,
          site.id,
          new Date(Date.now() - site.settings.eventRetentionDays * DAY),
        );
      return { events };
    },
    'purge-expired': async () => ({
      idempotencyKeys: await purgeExpiredIdempotencyKeys(db),
      jobs: await purgeFinishedJobs(db, new Date(Date.now() - DAY)),
    }),
    'purge-uploads': async () => (deps.purgeUploads ? await deps.purgeUploads() : {}),
  };

  return async function maintenance(job: Job): Promise<void> {
    const task = tasks[job.name];
    if (!task) return;
    const result = await task(job);
    if (Object.values(result).some((n) => n > 0)) log.info({ task: job.name, ...result }, 'maintenance');
  };
}
