// Every place personal data of an erased comment or author is kept, one step each, in the order they
// run (inside the erasure's transaction, before the comments become "deleted"). Each step calls the
// module that owns its table, so every table keeps its one writer.
//
// A feature that stores personal data adds its step to this list: reader reports filed by the
// author's email, reply subscriptions, the spam model's counts of the erased comments… Write the
// clearing function in your own repository (safe to run twice), then add `{ name, run }` below;
// `authorOnly` is for data keyed by the person rather than by the comments.
import { lockSite } from '../admin/row-locks.repository.ts';
import { scrubAuditOfSite } from '../audit/audit.repository.ts';
import { eraseBansOfAuthor, hasActiveEmailBan, insertBanUnlessActive } from '../bans/ban.repository.ts';
import { blankComments } from '../comments/comment.repository.ts';
import { erasedEventPayload } from '../comments/event-payload.ts';
import { deleteKeysOfComments } from '../comments/idempotency.repository.ts';
import { eraseLogOfComments } from '../comments/moderation-log.repository.ts';
import type { Tx } from '../db/database.ts';
import { rewriteEventsOfComments } from '../events/outbox.repository.ts';
import { deleteMailMentioning, deleteMailToAddress } from '../mail/mail.repository.ts';
import { deleteReportsOfComments, forgetNoticesBy, scrubReportDetails } from '../reports/report.repository.ts';
import { uuidv7 } from '../shared/ids.ts';
import { canonicalRange, clientKey } from '../shared/ip-address.ts';
import { ERASED, scrubber } from '../shared/scrub.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { SpamTraining } from '../spam-learning/spam-training.service.ts';
import { deleteSubscriptionsOfComments, deleteSubscriptionsOfHash } from '../subscriptions/subscription.repository.ts';
import { forgetVerified } from '../subscriptions/verified-author.repository.ts';
import { deleteUploadsOfEndedImports, scrubImportJobErrors } from '../transfer/import-job.repository.ts';
import { forgetResponsesForComments } from '../webhooks/webhook.repository.ts';
import type { ErasureStep, ErasureSubject } from './erasure.ts';

type Author = NonNullable<ErasureSubject['author']>;

/** A step about the person: skipped when only one comment is deleted. */
function authorOnly(run: (tx: Tx, s: ErasureSubject, author: Author) => Promise<number>): ErasureStep['run'] {
  return (tx, s) => (s.author ? run(tx, s, s.author) : Promise.resolve(0));
}

/** The author's addresses as block lists and bans spell them: each address, and an IPv6 reader's /64. */
function ipKeysOf(ips: string[]): string[] {
  return [...new Set(ips.flatMap((ip) => [canonicalRange(ip, { ipv4: 0, ipv6: 0 }), clientKey(ip)]))].filter(
    (k): k is string => k !== null,
  );
}

function everyValue(s: ErasureSubject, author: Author): string[] {
  const { emails, names, ips, userAgents } = s.values;
  return [author.email, ...emails, ...names, ...ips, ...ipKeysOf(ips), ...userAgents];
}

/**
 * The site's block lists lose the author's address and IPs. A blocked address stays blocked, as an
 * email ban that matches the keyed hash and shows no address.
 */
async function eraseFromBlockLists(sites: SiteService, tx: Tx, s: ErasureSubject, author: Author): Promise<number> {
  // Locked before it is read: an admin's settings change at the same moment, merged over the lists as
  // they were, would put the erased address back.
  await lockSite(tx, s.siteId);
  const site = await sites.withTx(tx).get(s.siteId);
  const emails = new Set([author.email, ...s.values.emails].map((e) => e.trim().toLowerCase()));
  const ipKeys = new Set(ipKeysOf(s.values.ips));
  const { blockedEmails, blockedIps } = site.settings;
  const keptEmails = blockedEmails.filter((e) => !emails.has(e.trim().toLowerCase()));
  const keptIps = blockedIps.filter((e) => !ipKeys.has(canonicalRange(e, { ipv4: 0, ipv6: 0 }) ?? e));
  const removed = blockedEmails.length - keptEmails.length + blockedIps.length - keptIps.length;
  if (removed === 0) return 0;
  await sites.withTx(tx).update(s.siteId, { settings: { blockedEmails: keptEmails, blockedIps: keptIps } });
  if (
    keptEmails.length < blockedEmails.length &&
    !(await hasActiveEmailBan(tx, s.siteId, author.emailHash, new Date()))
  )
    await insertBanUnlessActive(
      tx,
      {
        id: uuidv7(),
        siteId: s.siteId,
        kind: 'email',
        value: ERASED,
        matchKey: author.emailHash,
        reason: "On the site's block list when the author was erased.",
        createdBy: s.actor,
        expiresAt: null,
      },
      new Date(),
    );
  return removed;
}

export function erasureSteps(deps: { sites: SiteService; spam: Pick<SpamTraining, 'forgetComments'> }): ErasureStep[] {
  return [
    // Every copy of the erased comments (also when one comment is deleted at its author's request).
    { name: 'comments', run: (tx, s) => blankComments(tx, s.commentIds) },
    { name: 'moderationLog', run: (tx, s) => eraseLogOfComments(tx, s.commentIds) },
    { name: 'events', run: (tx, s) => rewriteEventsOfComments(tx, s.commentIds, erasedEventPayload) },
    { name: 'webhookResponses', run: (tx, s) => forgetResponsesForComments(tx, s.commentIds) },
    { name: 'idempotencyKeys', run: (tx, s) => deleteKeysOfComments(tx, s.siteId, s.commentIds) },
    // What the site keeps about the person beyond their comments (authors:erase).
    { name: 'blockLists', run: authorOnly((tx, s, a) => eraseFromBlockLists(deps.sites, tx, s, a)) },
    {
      name: 'bans',
      run: authorOnly((tx, s, a) =>
        eraseBansOfAuthor(tx, s.siteId, {
          emailHash: a.emailHash,
          ipKeys: ipKeysOf(s.values.ips),
          scrub: scrubber(everyValue(s, a)),
        }),
      ),
    },
    {
      name: 'auditLog',
      run: authorOnly((tx, s, a) => scrubAuditOfSite(tx, s.siteId, everyValue(s, a), scrubber(everyValue(s, a)))),
    },
    { name: 'mail', run: authorOnly((tx, s, a) => deleteMailToAddress(tx, a.email, s.siteId)) },
    // Kept mail to others about the author: moderator alerts and reply mails quote the comment and name them.
    // One deleted comment: the mail that quotes it (its id is in the link or the dedupe key).
    {
      name: 'mailAboutAuthor',
      run: (tx, s) =>
        deleteMailMentioning(tx, s.siteId, [
          ...s.commentIds,
          ...(s.author ? [s.author.email, ...s.values.emails, ...s.values.names] : []),
        ]),
    },
    // The learned spam model forgets the erased comments (their lessons hold their words); name and
    // email tokens were keyed hashes all along.
    { name: 'spamModel', run: (tx, s) => deps.spam.forgetComments(tx, s.commentIds) },
    // Mail subscriptions made with the erased comments, then every one of the author's on the site and
    // their verified mark. Suppressions stay: only a hash, and what the person asked for.
    { name: 'subscriptionsOfComments', run: (tx, s) => deleteSubscriptionsOfComments(tx, s.commentIds) },
    { name: 'subscriptions', run: authorOnly((tx, s, a) => deleteSubscriptionsOfHash(tx, a.emailHash, s.siteId)) },
    { name: 'verifiedAuthor', run: authorOnly((tx, s, a) => forgetVerified(tx, s.siteId, a.emailHash)) },
    // Readers' reports of the erased comments (their detail may quote them), then the illegal-content
    // notices the author filed as a reporter (their name and address).
    { name: 'reportsOfComments', run: (tx, s) => deleteReportsOfComments(tx, s.commentIds) },
    { name: 'reportNotices', run: authorOnly((tx, s, a) => forgetNoticesBy(tx, s.siteId, a.email)) },
    // Then any other report's free text that names them (one they filed about someone else's comment).
    {
      name: 'reportDetails',
      run: authorOnly((tx, s, a) => scrubReportDetails(tx, s.siteId, everyValue(s, a), scrubber(everyValue(s, a)))),
    },
    // Uploads of imports that ended (failed, abandoned) yet left their file behind: every commenter's
    // address and IP is in it. An active import's upload stays (it is being read).
    { name: 'importUploads', run: authorOnly((tx, s) => deleteUploadsOfEndedImports(tx, s.siteId)) },
    // A failed import's error may quote the line of the file it stopped at: a name, an address.
    {
      name: 'importErrors',
      run: authorOnly((tx, s, a) =>
        scrubImportJobErrors(tx, s.siteId, everyValue(s, a), scrubber(everyValue(s, a)).text),
      ),
    },
    // ← your step here
  ];
}
