// The subscriber mail. `onEvent` is a step of the "events" job (container.ts), given the event the job
// read: a new comment made with a subscription gets its confirmation mail queued; a comment that became
// published gets one notice queued per confirmed recipient (never at submission of a held comment, never
// for a rejected one). It only queues: `confirm`, `reply` and `decision` are "mail" jobs that send one
// mail each, re-reading the subscription first, so an address unsubscribed in the meantime gets nothing,
// and an SMTP outage delays only them. Job data carries ids only; job ids name what they send, so the
// events job run again (a retry after a failure in a later step) queues nothing twice.
import type { Db } from '../db/database.ts';
import type { EventRow } from '../db/schema.ts';
import { redactReasons } from '../domain/redacted-reason.ts';
import { findEvent } from '../events/outbox.repository.ts';
import { type Job, PermanentJobError, type Producer } from '../jobs/job-queue.ts';
import type { MailMessage } from '../mail/mail-message.ts';
import { MailSendError } from '../mail/mail-transport.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { SiteService } from '../sites/site.service.ts';
import {
  findSubscription,
  isSuppressed,
  listOfComment,
  listOfComments,
  listRecipients,
  listRecipientsOfMany,
  recipientsAmong,
  type SubscriptionRow,
} from './subscription.repository.ts';
import type { SubscriptionService } from './subscription.service.ts';
import { confirmationMail, decisionMail, replyMail } from './subscription-mail.ts';

/** What these jobs read of a lifecycle event's payload (comments/event-payload.ts writes it). */
export interface EventData {
  data: {
    comment: { id: string; parentId: string | null; name: string; body: string };
    from: string | null;
    to: string;
    article: { id: string; url: string | null; title: string | null };
    reasons?: unknown[];
  };
}

export interface SubscriptionMailDeps {
  db: Db;
  sites: SiteService;
  subscriptions: SubscriptionService;
  mailer: Mailer;
  producer: () => Producer;
  secret: string;
  baseUrl: string;
  /** The keyed email hash of a comment's author (the comments feature knows it; events do not carry it). */
  authorHashOf(commentId: string): Promise<string | null>;
}

/** Sends, mapping SMTP failures to the queue's terms; a refused recipient is suppressed for good. */
export async function deliverOrSuppress(
  deps: Pick<SubscriptionMailDeps, 'mailer' | 'subscriptions'>,
  siteId: string,
  emailHash: string,
  message: MailMessage,
): Promise<void> {
  try {
    await deps.mailer.deliver(message);
  } catch (err) {
    if (!(err instanceof MailSendError) || err.transient) throw err;
    if (err.details.recipientRefused) await deps.subscriptions.suppressBounced(siteId, emailHash);
    throw new PermanentJobError(`mail refused: ${err.details.responseCode ?? err.details.code ?? 'permanent'}`);
  }
}

/**
 * The subscriptions a batch of events (a batched events job) will ask onEvent for, read in two statements
 * for the whole batch instead of up to two per event: what listOfComment and listRecipients would return.
 */
export interface SubscriptionsOfEvents {
  ofComment(commentId: string): SubscriptionRow[];
  recipients(q: { siteId: string; articleKey: string; parentId: string | null }): SubscriptionRow[];
}

// Job ids name what they send, so a re-run of the fan-out queues nothing twice (no ':' in BullMQ ids).
const short = (hash: string) => hash.slice(0, 32);

export function createSubscriptionMailJobs(deps: SubscriptionMailDeps) {
  const { db } = deps;
  const send = (siteId: string, emailHash: string, message: MailMessage) =>
    deliverOrSuppress(deps, siteId, emailHash, message);

  async function loadEvent(job: Job) {
    const event = await findEvent(db, String(job.data.eventId ?? ''));
    return event ? { event, payload: event.payload as unknown as EventData } : null;
  }

  async function context(siteId: string) {
    const site = await deps.sites.get(siteId);
    return { baseUrl: deps.baseUrl, secret: deps.secret, siteName: site.name, settings: site.settings };
  }

  /** Which of onEvent's reads an event needs (none for comment.created, its status twin asks). */
  const needs = (event: EventRow) => {
    if (event.type === 'comment.created') return { ofComment: false, recipients: false };
    const { from, to } = (event.payload as unknown as EventData).data;
    return {
      ofComment: (from === null && (to === 'approved' || to === 'pending')) || from === 'pending',
      recipients: to === 'approved',
    };
  };

  return {
    /** onEvent's reads for all these events at once; pass the result to onEvent for each of them. */
    async preload(events: EventRow[]): Promise<SubscriptionsOfEvents> {
      const comments: string[] = [];
      const published: { siteId: string; articleKey: string; parentId: string | null }[] = [];
      for (const event of events) {
        const need = needs(event);
        const { comment, article } = (event.payload as unknown as EventData).data;
        if (need.ofComment) comments.push(comment.id);
        if (need.recipients)
          published.push({ siteId: event.site_id, articleKey: article.id, parentId: comment.parentId });
      }
      const [ofComments, recipients] = await Promise.all([
        listOfComments(db, [...new Set(comments)]),
        listRecipientsOfMany(db, published),
      ]);
      return {
        ofComment: (id) => ofComments.filter((s) => s.comment_id === id),
        recipients: (q) => recipientsAmong(recipients, q),
      };
    },

    /** `pre`: preload's answer for a batch holding this event (else it reads what it needs itself). */
    async onEvent(event: EventRow, pre?: SubscriptionsOfEvents): Promise<void> {
      const ofComment = (id: string) => (pre ? pre.ofComment(id) : listOfComment(db, id));
      // A new comment's comment.created says what its status event (written with it) says: from null to
      // its first status. The status event alone queues its mail; the twin would only ask again.
      if (event.type === 'comment.created') return;
      const { comment, from, to, article } = (event.payload as unknown as EventData).data;
      const jobs: { name: string; data: Record<string, unknown>; opts: { jobId: string } }[] = [];
      // A rejected or spam comment's subscription is never confirmed: its address may not be the writer's.
      if (from === null && (to === 'approved' || to === 'pending')) {
        for (const sub of (await ofComment(comment.id)).filter((s) => !s.confirmed_at))
          jobs.push({
            name: 'confirm',
            data: { subscriptionId: sub.id, eventId: event.id },
            opts: { jobId: `confirm-${sub.id}` },
          });
      }
      // A held comment decided on: its author, if they asked for mail about it and confirmed, hears the outcome.
      if (from === 'pending' && (to === 'approved' || to === 'rejected')) {
        for (const sub of (await ofComment(comment.id)).filter((s) => s.confirmed_at))
          jobs.push({
            name: 'decision',
            data: { subscriptionId: sub.id, eventId: event.id },
            opts: { jobId: `decision-${comment.id}-${to}` },
          });
      }
      if (to === 'approved') {
        const q = { siteId: event.site_id, articleKey: article.id, parentId: comment.parentId };
        const subs = pre ? pre.recipients(q) : await listRecipients(db, q);
        // Never tell writers about their own comment (asked only when someone is to be told).
        const author = subs.length > 0 ? await deps.authorHashOf(comment.id) : null;
        const seen = new Set([author].filter((h): h is string => h !== null));
        // 'replies' before 'thread', so a reader with both gets the more personal mail, once.
        for (const sub of subs.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'replies' ? -1 : 1))) {
          if (seen.has(sub.email_hash)) continue;
          seen.add(sub.email_hash);
          jobs.push({
            name: 'reply',
            data: { subscriptionId: sub.id, eventId: event.id },
            opts: { jobId: `reply-${comment.id}-${short(sub.email_hash)}` },
          });
        }
      }
      if (jobs.length) await deps.producer().addBulk('mail', jobs);
    },

    async confirm(job: Job): Promise<void> {
      const loaded = await loadEvent(job);
      const sub = await findSubscription(db, String(job.data.subscriptionId ?? ''));
      if (!loaded || !sub || sub.confirmed_at) return;
      if (await isSuppressed(db, sub.site_id, sub.email_hash)) return;
      const { article } = loaded.payload.data;
      await send(sub.site_id, sub.email_hash, confirmationMail(await context(sub.site_id), sub, article));
    },

    async reply(job: Job): Promise<void> {
      const loaded = await loadEvent(job);
      const sub = await findSubscription(db, String(job.data.subscriptionId ?? ''));
      if (!loaded || !sub?.confirmed_at) return;
      if (await isSuppressed(db, sub.site_id, sub.email_hash)) return;
      const { article, comment } = loaded.payload.data;
      // Erased since it was published: nothing left to tell.
      if (!comment.body) return;
      const ctx = await context(sub.site_id);
      // Past the recipient's daily cap the notice waits for their digest (reply-digest.job.ts).
      const mode = await deps.subscriptions.admitNotice(
        {
          siteId: sub.site_id,
          emailHash: sub.email_hash,
          commentId: comment.id,
          subscriptionId: sub.id,
          eventId: loaded.event.id,
        },
        ctx.settings.notifyDailyCap,
      );
      if (mode === 'digest') return;
      await send(sub.site_id, sub.email_hash, replyMail(ctx, sub, article, comment));
    },

    async decision(job: Job): Promise<void> {
      const loaded = await loadEvent(job);
      const sub = await findSubscription(db, String(job.data.subscriptionId ?? ''));
      if (!loaded || !sub?.confirmed_at) return;
      if (await isSuppressed(db, sub.site_id, sub.email_hash)) return;
      const { article, comment, to, reasons } = loaded.payload.data;
      if (!comment.body || (to !== 'approved' && to !== 'rejected')) return;
      // Sentences without the matched values: the mail may be forwarded, and says why in words, not codes.
      const words = redactReasons(reasons ?? []).map((r) => r.detail);
      const message = decisionMail(await context(sub.site_id), sub, article, comment, { to, reasons: words });
      await send(sub.site_id, sub.email_hash, message);
    },
  };
}
