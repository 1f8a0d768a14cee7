// The public thread of an article: published comments, top level paged by cursor, replies nested.
import { createHash } from 'node:crypto';
import { countsByExternalId, findArticle, shownCount } from '../articles/article.repository.ts';
import { isArticleClosed } from '../articles/article-state.ts';
import type { Db } from '../db/database.ts';
import type { ArticleRow } from '../db/schema.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Site, SiteService } from '../sites/site.service.ts';
import { listReplies, listTopLevelPage, type ThreadRow } from './comment.repository.ts';
import type { PublicComment } from './comment.schemas.ts';
import { type CursorScope, decodeThreadCursor, encodeThreadCursor } from './cursor.ts';
import { toPublicComment } from './public-comment.ts';
import type { ServedPage, ThreadCache } from './thread-cache.ts';

/** Replies shown under one page of top-level comments; a safety bound for pathological threads. */
const MAX_REPLIES_PER_PAGE = 2_000;

export interface ThreadQuery {
  sort: 'oldest' | 'newest';
  limit: number;
  cursor?: string | undefined;
}

export interface Thread {
  article: { id: string; title: string | null; url: string | null; commentCount: number; closed: boolean };
  /** Lets the widget place a new reply where the server will show it (nested, or next to its parent). */
  maxDepth: number;
  comments: PublicComment[];
  nextCursor: string | null;
}

function toPublic(row: ThreadRow): PublicComment {
  return toPublicComment({
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    emailHash: row.email_hash,
    body: row.body,
    createdAt: row.created_at,
    deleted: row.status === 'deleted',
  });
}

/**
 * Nests replies under their parents, oldest first. The site's depth counts levels including the top
 * one; a reply that would go deeper sits next to its parent at the last level. A reply whose parent is
 * not published is not shown.
 */
function nest(roots: PublicComment[], replies: ThreadRow[], maxDepth: number): void {
  const lastLevel = Math.max(1, maxDepth - 1);
  const placed = new Map<string, { node: PublicComment; level: number; siblings: PublicComment[] }>();
  for (const node of roots) placed.set(node.id, { node, level: 0, siblings: roots });
  for (const row of replies) {
    const parent = placed.get(row.parent_id!);
    if (!parent) continue;
    const node = toPublic(row);
    const nested = parent.level < lastLevel;
    const entry = nested
      ? { node, level: parent.level + 1, siblings: parent.node.replies }
      : { node, level: parent.level, siblings: parent.siblings };
    entry.siblings.push(node);
    placed.set(node.id, entry);
  }
}

/** A deleted comment shows as a placeholder only while it holds published replies. */
function pruneDeleted(nodes: PublicComment[]): PublicComment[] {
  return nodes.filter((n) => {
    n.replies = pruneDeleted(n.replies);
    return !n.deleted || n.replies.length > 0;
  });
}

export function createThreadService(deps: { db: Db; sites: SiteService; cache: ThreadCache; secret: string }) {
  const { db, sites, cache } = deps;
  const scope = (articleId: string, q: ThreadQuery): CursorScope => ({ secret: deps.secret, articleId, sort: q.sort });

  // Pages being built, so a burst of readers after an invalidation (a busy article during a comment
  // storm) builds the page once rather than once per reader. A reader joins a build only when it began
  // after the last invalidation this process knows of: a reader's own comment, invalidated before its
  // POST was answered, is always in the page that reader gets.
  const articleOf = async (siteId: string, articleId: string): Promise<ArticleRow> => {
    const article = await findArticle(db, siteId, articleId);
    if (!article) throw new NotFoundError(`No article "${articleId.slice(0, 100)}" on this site.`);
    return article;
  };

  const etagOf = (site: Site, article: ArticleRow, q: ThreadQuery): string => {
    const key = [
      article.id,
      article.thread_version,
      site.updatedAt.getTime(),
      q.sort,
      q.limit,
      q.cursor ?? '',
      isArticleClosed(article, site, new Date()),
    ];
    return `W/"${createHash('sha1').update(JSON.stringify(key)).digest('base64url').slice(0, 22)}"`;
  };

  const threadOf = async (site: Site, article: ArticleRow, articleId: string, q: ThreadQuery): Promise<Thread> => {
    const after = q.cursor ? decodeThreadCursor(q.cursor, scope(articleId, q)) : null;
    const page = await listTopLevelPage(db, { articleId: article.id, sort: q.sort, after, limit: q.limit + 1 });
    const hasMore = page.length > q.limit;
    const top = page.slice(0, q.limit);
    const roots = top.map(toPublic);
    const replies = await listReplies(
      db,
      top.map((r) => r.id),
      MAX_REPLIES_PER_PAGE,
    );
    nest(roots, replies, site.settings.maxDepth);
    const visible = pruneDeleted(roots);
    const last = top.at(-1);
    return {
      article: {
        id: article.external_id,
        title: article.title,
        url: article.url,
        // What this thread shows: replies under an unpublished parent are neither shown nor counted.
        commentCount: await shownCount(db, article),
        closed: isArticleClosed(article, site, new Date()),
      },
      maxDepth: site.settings.maxDepth,
      comments: visible,
      nextCursor:
        hasMore && last ? encodeThreadCursor({ createdAt: last.created_at, id: last.id }, scope(articleId, q)) : null,
    };
  };

  const building = new Map<string, { ticket: number; page: Promise<ServedPage> }>();

  return {
    /**
     * The page as encoded JSON with its ETag and headers, from the cache when it holds it. Status
     * changes invalidate the article's entries, so the ETag changes as soon as the thread does.
     */
    async page(siteId: string, articleId: string, q: ThreadQuery): Promise<ServedPage> {
      await sites.get(siteId); // unknown sites are 404 even when something was cached before
      // A cursor we did not hand out is refused before it can become a cache entry of its own.
      if (q.cursor) decodeThreadCursor(q.cursor, scope(articleId, q));
      const variant = `${q.sort}|${q.limit}|${q.cursor ?? ''}`;
      const held = cache.peek(siteId, articleId, variant);
      if (held) return held;
      const { page: hit, ticket } = await cache.get(siteId, articleId, variant);
      if (hit) return hit;
      const key = `${siteId}\u0000${articleId}\u0000${variant}`;
      const running = building.get(key);
      if (running && running.ticket === ticket.local) return running.page;
      const page = (async () => {
        // One read of the site and the article for both the ETag and the thread (read before the
        // comments, so the ETag is never newer than the page).
        const site = await sites.get(siteId);
        const article = await articleOf(siteId, articleId);
        const body = JSON.stringify(await threadOf(site, article, articleId, q));
        return cache.set(siteId, articleId, variant, { etag: etagOf(site, article, q), body }, ticket);
      })();
      building.set(key, { ticket: ticket.local, page });
      const forget = () => {
        if (building.get(key)?.page === page) building.delete(key);
      };
      page.then(forget, forget);
      return page;
    },

    /** A validator that changes whenever anything on this page could change; cheap enough to answer 304 early. */
    async etag(siteId: string, articleId: string, q: ThreadQuery): Promise<string> {
      const site = await sites.get(siteId);
      return etagOf(site, await articleOf(siteId, articleId), q);
    },

    async get(siteId: string, articleId: string, q: ThreadQuery): Promise<Thread> {
      const site = await sites.get(siteId);
      return threadOf(site, await articleOf(siteId, articleId), articleId, q);
    },

    async counts(siteId: string, articleIds: string[]): Promise<Record<string, number>> {
      await sites.get(siteId);
      const found = await countsByExternalId(db, siteId, articleIds);
      return Object.fromEntries(articleIds.map((id) => [id, found.get(id) ?? 0]));
    },
  };
}

export type ThreadService = ReturnType<typeof createThreadService>;
