// The review queue as moderators read it: comments by status with their article, the parent of a
// reply and the author's history at a glance; one comment in full with its log; the global log.

import { findUserByEmail } from '../auth/user.repository.ts';
import type { Ban, BanService } from '../bans/ban.service.ts';
import { decodeCursor, encodeCursor } from '../comments/cursor.ts';
import { type LogEntry, type ModeratedComment, toLogEntry, toModeratedComment } from '../comments/moderated-comment.ts';
import { listModerationLog } from '../comments/moderation-log.repository.ts';
import type { Db } from '../db/database.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import { forbidden, isAdmin, type Principal, requireSite, siteScope } from '../domain/principal.ts';
import { fieldError, NotFoundError } from '../shared/errors.ts';
import { uuidPattern } from '../shared/ids.ts';
import type { SubscriptionService } from '../subscriptions/subscription.service.ts';
import * as repo from './review.repository.ts';

export const QUEUE_STATUSES = ['pending', 'approved', 'rejected', 'spam'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export type AuthorHistory = Record<'approved' | 'pending' | 'rejected' | 'spam', number>;

export interface QueueItem extends ModeratedComment {
  article: { id: string; title: string | null; url: string | null };
  parent: { id: string; name: string; body: string; status: CommentStatus } | null;
  author: AuthorHistory;
  /** The author confirmed this address through a mailed link (a subscription on this site). */
  verified: boolean;
  /** Other names the same email has posted under on this site (up to 5): one person, or someone borrowing an address. */
  otherNames: string[];
  /** The ban in force on this author (by email, domain or IP), if any. */
  ban: Pick<Ban, 'id' | 'kind' | 'value' | 'expiresAt'> | null;
}

/** A log row with what a reader of the log recognises: the comment's author, its first words, its article. */
export interface ReadableLogEntry extends LogEntry {
  comment: { name: string; excerpt: string; articleId: string; articleTitle: string | null } | null;
}

/** Most of a site's recent comments from one IP: the service probably sees a proxy, not the readers. */
export interface SharedIp {
  siteId: string;
  ip: string;
  /** Comments from that IP among the last `of` (with an IP) on the site. */
  count: number;
  of: number;
  /** Whether TRUST_PROXY is on (then the proxy does not forward the reader's address). */
  trustProxy: boolean;
}

/** The window and the thresholds of the shared-IP warning: more than half of the last 200, at least 20. */
const SHARED_IP = { window: 200, min: 20, share: 0.5 };

export interface QueueQuery {
  status: QueueStatus;
  siteId?: string | undefined;
  articleId?: string | undefined;
  /** The article's title (substring) or id. */
  article?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  /** newest (default), oldest, or by learned spam score: most likely spam first, or least likely first. */
  sort?: QueueSort | undefined;
  limit: number;
}

export const QUEUE_SORTS = ['newest', 'oldest', 'spam-first', 'spam-last'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** Cursors of score-sorted pages: "s" + the last score and id, opaque to clients. */
function encodeScoreCursor(c: repo.ScoreCursor): string {
  return Buffer.from(`s${c.score}.${c.id}`).toString('base64url');
}

function decodeScoreCursor(value: string): repo.ScoreCursor {
  const match = /^s(-?\d+(?:\.\d+)?(?:e-?\d+)?)\.(.+)$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match || !uuidPattern.test(match[2]!)) throw fieldError('cursor', 'is not a cursor this API returned');
  return { score: Number(match[1]), id: match[2]! };
}

const emptyHistory = (): AuthorHistory => ({ approved: 0, pending: 0, rejected: 0, spam: 0 });

export function createReviewService(deps: {
  db: Db;
  subscriptions: Pick<SubscriptionService, 'verified'>;
  bans: Pick<BanService, 'activeFor'>;
  trustProxy: boolean;
}) {
  const { db } = deps;

  /** Adds article, parent and author history to rows, in three queries for the whole page. */
  async function enrich(rows: repo.QueueRow[]): Promise<QueueItem[]> {
    const parents = await repo.findCommentsByIds(db, [
      ...new Set(rows.map((r) => r.parent_id).filter((p): p is string => p !== null)),
    ]);
    const counts = await repo.authorStatusCounts(
      db,
      rows.map((r) => ({ siteId: r.site_id, emailHash: r.email_hash })),
    );
    const names = await repo.namesOfAuthors(
      db,
      rows.map((r) => ({ siteId: r.site_id, emailHash: r.email_hash })),
    );
    const bans = await deps.bans.activeFor(
      rows.map((r) => ({ siteId: r.site_id, email: r.email, emailHash: r.email_hash, ip: r.ip })),
    );
    const verified = new Map<string, Set<string>>();
    for (const siteId of new Set(rows.map((r) => r.site_id)))
      verified.set(
        siteId,
        await deps.subscriptions.verified(
          siteId,
          rows.filter((r) => r.site_id === siteId).map((r) => r.email_hash),
        ),
      );
    return rows.map((r, i) => {
      const ban = bans[i] ?? null;
      const parent = parents.find((p) => p.id === r.parent_id);
      const author = emptyHistory();
      for (const c of counts)
        if (c.site_id === r.site_id && c.email_hash === r.email_hash && c.status in author)
          author[c.status as keyof AuthorHistory] = c.n;
      return {
        ...toModeratedComment(r),
        article: { id: r.article_external_id, title: r.article_title, url: r.article_url },
        parent: parent ? { id: parent.id, name: parent.name, body: parent.body, status: parent.status } : null,
        author,
        verified: verified.get(r.site_id)?.has(r.email_hash) ?? false,
        otherNames: names
          .filter(
            (n) =>
              n.site_id === r.site_id &&
              n.email_hash === r.email_hash &&
              r.email_hash !== '' &&
              n.name.toLowerCase() !== r.name.toLowerCase(),
          )
          .map((n) => n.name)
          .slice(0, 5),
        ban: ban ? { id: ban.id, kind: ban.kind, value: ban.value, expiresAt: ban.expiresAt } : null,
      };
    });
  }

  function scopeFor(who: Principal, siteId: string | undefined) {
    if (siteId) requireSite(who, siteId);
    return siteScope(who);
  }

  async function listByScore(filter: repo.QueueFilter, q: QueueQuery, order: repo.ScoreOrder) {
    const rows = await repo.listQueueByScore(db, {
      ...filter,
      status: q.status,
      order,
      after: q.cursor ? decodeScoreCursor(q.cursor) : null,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const counted = await repo.countByStatus(db, filter);
    const counts = Object.fromEntries(QUEUE_STATUSES.map((s) => [s, counted[s] ?? 0])) as Record<QueueStatus, number>;
    return {
      items: await enrich(page),
      nextCursor: rows.length > q.limit && last ? encodeScoreCursor({ score: last.sort_score, id: last.id }) : null,
      counts,
    };
  }

  return {
    async list(
      who: Principal,
      q: QueueQuery,
    ): Promise<{ items: QueueItem[]; nextCursor: string | null; counts: Record<QueueStatus, number> }> {
      const filter = {
        siteIds: scopeFor(who, q.siteId),
        siteId: q.siteId,
        articleId: q.articleId,
        article: q.article,
        q: q.q,
      };
      if (q.sort === 'spam-first' || q.sort === 'spam-last') return listByScore(filter, q, q.sort);
      const rows = await repo.listQueue(db, {
        ...filter,
        status: q.status,
        before: q.cursor ? decodeCursor(q.cursor) : null,
        oldestFirst: q.sort === 'oldest',
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const counted = await repo.countByStatus(db, filter);
      const counts = Object.fromEntries(QUEUE_STATUSES.map((s) => [s, counted[s] ?? 0])) as Record<QueueStatus, number>;
      return {
        items: await enrich(page),
        nextCursor: rows.length > q.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
        counts,
      };
    },

    /** Comments that arrived after the newest one a moderator has on screen (for live updates). */
    async newerThan(who: Principal, q: Omit<QueueQuery, 'cursor'> & { after: string }): Promise<QueueItem[]> {
      const filter = {
        siteIds: scopeFor(who, q.siteId),
        siteId: q.siteId,
        articleId: q.articleId,
        article: q.article,
        q: q.q,
      };
      return enrich(
        await repo.listQueue(db, {
          ...filter,
          status: q.status,
          before: null,
          after: decodeCursor(q.after),
          limit: q.limit,
        }),
      );
    },

    async detail(who: Principal, id: string): Promise<{ comment: QueueItem; recent: QueueItem[]; log: LogEntry[] }> {
      const row = uuidPattern.test(id) ? await repo.findQueueRow(db, id) : undefined;
      // A moderator cannot tell another site's comment from one that does not exist.
      if (!row) throw isAdmin(who) ? new NotFoundError(`No comment with id "${id.slice(0, 100)}".`) : forbidden();
      requireSite(who, row.site_id);
      const [comment] = await enrich([row]);
      const recent = await enrich(
        (await repo.recentByAuthor(db, row.site_id, row.email_hash, 11)).filter((r) => r.id !== id).slice(0, 10),
      );
      const log = (await listModerationLog(db, { siteIds: null, commentId: id, limit: 500 })).reverse().map(toLogEntry);
      return { comment: comment!, recent, log };
    },

    /** The log of every site the principal may see; `moderator` is a user id or email, or another actor id ("cli"). */
    async log(
      who: Principal,
      q: {
        siteId?: string | undefined;
        moderator?: string | undefined;
        action?: CommentStatus | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ): Promise<{ entries: ReadableLogEntry[]; nextCursor: string | null }> {
      if (q.siteId) requireSite(who, q.siteId);
      const siteIds = q.siteId ? [q.siteId] : siteScope(who);
      if (q.cursor !== undefined && !/^\d{1,18}$/.test(q.cursor))
        throw fieldError('cursor', 'is not a cursor this API returned');
      const actorId = q.moderator?.includes('@')
        ? ((await findUserByEmail(db, q.moderator))?.id ?? q.moderator)
        : q.moderator;
      const rows = await listModerationLog(db, {
        siteIds,
        ...(actorId ? { actorId } : {}),
        ...(q.action ? { to: q.action } : {}),
        ...(q.cursor ? { beforeId: Number(q.cursor) } : {}),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const summaries = await repo.commentSummaries(db, [...new Set(page.map((r) => r.comment_id))]);
      const entries = page.map((r): ReadableLogEntry => {
        const s = summaries.find((x) => x.id === r.comment_id);
        return {
          ...toLogEntry(r),
          comment: s
            ? {
                name: s.name,
                excerpt: s.excerpt.length > 120 ? `${s.excerpt.slice(0, 120)}…` : s.excerpt,
                articleId: s.article_id,
                articleTitle: s.article_title,
              }
            : null,
        };
      });
      return { entries, nextCursor: rows.length > q.limit ? String(page.at(-1)!.id) : null };
    },

    /** Sites (of those the principal sees) where most recent comments came from one IP. */
    async sharedIps(who: Principal, siteId?: string): Promise<SharedIp[]> {
      if (siteId) requireSite(who, siteId);
      const rows = await repo.busiestIps(db, siteId ? [siteId] : siteScope(who), SHARED_IP.window);
      return rows
        .filter((r) => r.n >= SHARED_IP.min && r.n > r.total * SHARED_IP.share)
        .map((r) => ({ siteId: r.site_id, ip: r.ip, count: r.n, of: r.total, trustProxy: deps.trustProxy }));
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
