// Readers' own data, as verbs: ask for a "Manage my comments" link by email (the same answer whether or
// not the address has comments), see one's comments on the site through the link, download them all,
// delete one or all of them (through the erasure service: nothing of them is left anywhere). The
// admin's export of everything stored about an author is here too, audited.
import { z } from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import { type AuthorCommentRow, listCommentsOfAuthor } from '../comments/comment.repository.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { Producer } from '../jobs/job-queue.ts';
import type { ErasureService } from '../privacy/erasure.service.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { emailHash } from '../shared/identity.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { SubscriptionService } from '../subscriptions/subscription.service.ts';
import type { ManageLimits } from './manage-limits.ts';
import { type ManageSubject, verifyManage } from './manage-token.ts';

/** Deletions the reader asks for themselves, as the moderation log and audit name them. */
const READER: Actor = { type: 'system', id: 'reader-self-service' };
const email = z.string().trim().max(254).pipe(z.email());

/** A comment as its author sees it on the manage page. */
export interface OwnComment {
  id: string;
  status: string;
  body: string;
  name: string;
  createdAt: string;
  article: { id: string; title: string | null; url: string | null };
}

function ownComment(r: AuthorCommentRow): OwnComment {
  return {
    id: r.id,
    status: r.status,
    body: r.body,
    name: r.name,
    createdAt: new Date(r.created_at).toISOString(),
    article: { id: r.article_external_id, title: r.article_title, url: r.article_url },
  };
}

/** Everything stored about the author on the site: each comment with what it recorded, their subscriptions. */
function exportOf(siteId: string, rows: AuthorCommentRow[], subscriptions: unknown[]) {
  return {
    site: siteId,
    exportedAt: new Date().toISOString(),
    comments: rows.map((r) => ({
      ...ownComment(r),
      parentId: r.parent_id,
      email: r.email,
      ip: r.ip,
      userAgent: r.user_agent,
      publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
    })),
    subscriptions,
  };
}

export function createReaderData(deps: {
  db: Db;
  secret: string;
  sites: SiteService;
  erasure: ErasureService;
  subscriptions: SubscriptionService;
  audit: AuditService;
  limits: ManageLimits;
  producer: () => Producer;
}) {
  const { db, secret } = deps;

  async function subscriptionsOf(s: ManageSubject, address: string | null) {
    if (!address) return [];
    return (await deps.subscriptions.listOfAddress(address, s.siteId)).map(({ email: _e, ...sub }) => sub);
  }

  return {
    /** The site a reader asks about (404 for an unknown one: sites are public, addresses are not). */
    async siteFor(siteId: string): Promise<{ id: string; name: string }> {
      const site = await deps.sites.get(siteId);
      return { id: site.id, name: site.name };
    },

    /**
     * Queues the mail with a manage link for the address (the worker sends it only when the address
     * has comments on the site). Answers the same either way: nothing here tells whether it has.
     */
    async requestLink(siteId: string, address: unknown, ip: string | null): Promise<void> {
      await deps.sites.get(siteId);
      const parsed = email.safeParse(address);
      if (!parsed.success) throw new ValidationError([{ path: 'email', message: 'must be an email address' }]);
      const hash = emailHash(secret, parsed.data);
      await deps.limits.count(ip, hash);
      // Job data carries the site and the keyed hash, never the address.
      await deps.producer().add('mail', 'manage-link', { siteId, emailHash: hash }, { jobId: `manage-${uuidv7()}` });
    },

    /** The link's author and their comments on its site, newest first. */
    async list(token: unknown): Promise<{ siteId: string; siteName: string; comments: OwnComment[] }> {
      const s = verifyManage(secret, token);
      const site = await deps.sites.get(s.siteId);
      const rows = await listCommentsOfAuthor(db, s.siteId, s.emailHash);
      return { siteId: s.siteId, siteName: site.name, comments: rows.map(ownComment) };
    },

    /** "Download all (JSON)": the same export an admin gets with authors:export. */
    async download(token: unknown) {
      const s = verifyManage(secret, token);
      const rows = await listCommentsOfAuthor(db, s.siteId, s.emailHash);
      return exportOf(s.siteId, rows, await subscriptionsOf(s, rows[0]?.email ?? null));
    },

    /** "Delete this one": only a comment of the link's author on the link's site. */
    async deleteOne(token: unknown, commentId: unknown): Promise<void> {
      const s = verifyManage(secret, token);
      const rows = await listCommentsOfAuthor(db, s.siteId, s.emailHash);
      const own = rows.find((r) => r.id === commentId);
      if (!own) throw new NotFoundError('None of your comments has this id (it may be deleted already).');
      await deps.erasure.eraseComment(READER, own.id, 'deleted by its author');
    },

    /** "Delete all": the author erased from the site, as authors:erase does. Returns how many comments. */
    async deleteAll(token: unknown): Promise<number> {
      const s = verifyManage(secret, token);
      const [latest] = await listCommentsOfAuthor(db, s.siteId, s.emailHash, 1);
      if (!latest) return 0;
      return deps.erasure.eraseAuthor(READER, s.siteId, latest.email);
    },

    /** authors:export and the admin API: everything stored about the author on the site, audited. */
    async exportAuthor(actor: Actor, siteId: string, address: string) {
      await deps.sites.get(siteId);
      const parsed = email.safeParse(address);
      if (!parsed.success) throw new ValidationError([{ path: 'email', message: 'must be an email address' }]);
      const s = { siteId, emailHash: emailHash(secret, parsed.data) };
      const rows = await listCommentsOfAuthor(db, siteId, s.emailHash);
      const data = exportOf(siteId, rows, await subscriptionsOf(s, parsed.data));
      // The audit row says an export happened and how large, never whose address it was.
      await deps.audit.record(actor, {
        action: 'author.export',
        siteId,
        target: { type: 'site', id: siteId },
        details: { comments: rows.length, subscriptions: data.subscriptions.length },
      });
      return data;
    },
  };
}

export type ReaderData = ReturnType<typeof createReaderData>;
