// The digests of notices held back by the daily cap, run by maintenance every few minutes. A site's
// cadence cuts time into hours (or UTC days); a digest takes a recipient's notices of the periods
// that have ended, so each goes out shortly after its hour (or day) is over. Idempotent: notices are
// first claimed under a fresh key (only unclaimed ones), the key is the mail's dedupe key, and only a
// sent digest marks them sent, so a retried or repeated run sends each digest once and loses none.
import { findEvent } from '../events/outbox.repository.ts';
import { PermanentJobError } from '../jobs/job-queue.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Site } from '../sites/site.service.ts';
import { type DigestItem, replyDigestMail } from './digest-mail.ts';
import {
  claimDigest,
  listClaimedUnsent,
  listDigestRecipients,
  markDigestSent,
  type NotificationRow,
} from './notification.repository.ts';
import { findSubscription, isSuppressed } from './subscription.repository.ts';
import { deliverOrSuppress, type EventData, type SubscriptionMailDeps } from './subscription-mail.job.ts';

const PERIOD_MS = { hourly: 3_600_000, daily: 86_400_000 } as const;

export function createReplyDigests(deps: SubscriptionMailDeps) {
  const { db } = deps;

  /** What is still worth telling: confirmed subscriptions, comments not erased since. */
  async function itemsOf(rows: NotificationRow[]): Promise<DigestItem[]> {
    const items: DigestItem[] = [];
    for (const row of rows) {
      const sub = await findSubscription(db, row.subscription_id);
      const event = await findEvent(db, row.event_id);
      if (!sub?.confirmed_at || !event) continue;
      const { comment, article } = (event.payload as unknown as EventData).data;
      if (comment.body) items.push({ sub, article, comment });
    }
    return items;
  }

  /** Sends one claimed digest; false when there was nothing left to send. */
  async function sendOne(site: Site, key: string, rows: NotificationRow[]): Promise<boolean> {
    const { site_id: siteId, email_hash: hash } = rows[0]!;
    const items = (await isSuppressed(db, siteId, hash)) ? [] : await itemsOf(rows);
    if (items.length > 0) {
      const ctx = {
        baseUrl: deps.baseUrl,
        secret: deps.secret,
        siteName: site.name,
        cap: site.settings.notifyDailyCap,
        cadence: site.settings.notifyDigest,
      };
      await deliverOrSuppress(deps, siteId, hash, replyDigestMail(ctx, items, key));
    }
    await markDigestSent(db, key, new Date());
    return items.length > 0;
  }

  /** Sends the digests that are due at `now`; returns how many went out. */
  return async function sendReplyDigests(now = new Date()): Promise<number> {
    let sent = 0;
    let retry: unknown = null;
    for (const r of await listDigestRecipients(db)) {
      const site = await deps.sites.find(r.site_id);
      if (!site) continue;
      const period = PERIOD_MS[site.settings.notifyDigest];
      const periodStart = new Date(Math.floor(now.getTime() / period) * period);
      const who = { siteId: r.site_id, emailHash: r.email_hash };
      await claimDigest(db, who, periodStart, `reply-digest:${uuidv7()}`);
      const byKey = new Map<string, NotificationRow[]>();
      for (const row of await listClaimedUnsent(db, who))
        byKey.set(row.digest_key!, [...(byKey.get(row.digest_key!) ?? []), row]);
      for (const [key, rows] of byKey) {
        try {
          if (await sendOne(site, key, rows)) sent++;
        } catch (err) {
          // Refused for good: the address is suppressed and its notices went with its subscriptions.
          if (err instanceof PermanentJobError) continue;
          // Transient: the claimed notices stay unsent; the job's retry (or the next run) sends them.
          retry ??= err;
        }
      }
    }
    if (retry) throw retry;
    return sent;
  };
}
