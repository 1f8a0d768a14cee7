// Import: another system's comments (or our own export) into a site, streamed from the parsers in
// src/imports/ into batches of one statement each (comments and their first log rows).
// - Threading: a reply is placed under its parent, which is found in the run's place cache, in the
//   database (by source key), or later in the file (the reply waits for it). A reply whose parent is
//   nowhere goes to the top level and is counted as an orphan.
// - Idempotent: every comment keeps its source key ("wxr:1234"); one that is already there is left
//   exactly as it is (a moderator's later decision stands), and nothing is ever deleted.
// - No filters (the status comes from the source) and no per-comment events: the counters are
//   recounted and the thread caches refreshed when it ends, and one `import.completed` event says so.
// - A bad file stops the import at the record that is wrong; what was stored before stays (it is
//   complete comments, found again by source key), the error says how much that was, and a re-run of
//   the corrected file completes it.

import { createImportedArticles, findArticlesForImport, recountArticles } from '../articles/article.repository.ts';
import {
  findImportedPlaces,
  type ImportedCommentRow,
  writeImportedComments,
} from '../comments/import-writer.repository.ts';
import { type Db, inTransaction, type Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import { insertSiteEvent } from '../events/outbox.repository.ts';
import type { ImportInput } from '../imports/byte-source.ts';
import type { ImportedArticle, ImportedComment, ImportFormat } from '../imports/import.types.ts';
import { parseImport } from '../imports/parse-import.ts';
import type { RemapRule } from '../imports/remap.ts';
import { AppError, UnprocessableError } from '../shared/errors.ts';
import { emailHash } from '../shared/identity.ts';
import { uuidPattern, uuidv7 } from '../shared/ids.ts';
import { canonicalIp } from '../shared/ip-address.ts';
import type { SiteService } from '../sites/site.service.ts';
import { articleIdentity } from './article-identity.ts';
import { createPlaceCache, type Place } from './thread-places.ts';

export interface ImportOptions {
  /** Read and check everything, report what would be imported, write nothing. */
  dryRun?: boolean;
  remap?: readonly RemapRule[];
  /** Import pingbacks and trackbacks too (skipped by default: they are not readers' comments). */
  includePingbacks?: boolean;
  batchSize?: number;
  /** Refuse inputs larger than this (uploads). */
  maxBytes?: number;
  onProgress?: (p: ImportProgress) => void;
  actor?: Actor;
  /**
   * Runs in the transaction that records the end of the import (its `import.completed` event, when
   * anything changed): a job's completion and its audit row commit together with it.
   */
  onCompleted?: (tx: Tx, report: ImportReport) => Promise<void>;
}

export interface ImportProgress {
  /** Comments read so far. */
  comments: number;
  bytes: number | null;
  totalBytes: number | null;
}

export interface ImportReport {
  siteId: string;
  format: ImportFormat;
  dryRun: boolean;
  articles: { created: number; existing: number };
  /** imported: stored now (or, in a dry run, that would be); existing: already there, left alone. */
  comments: { imported: number; existing: number; byStatus: Partial<Record<CommentStatus, number>> };
  /** What the file holds that was not imported, by reason (pingback, trackback, post-type, …). */
  skipped: Record<string, number>;
  /** Replies whose parent is not in the file: imported at the top level of their thread. */
  orphans: number;
  /** The `import.completed` event (null for a dry run). */
  eventId: string | null;
}

/** The import stopped at a bad record after storing some comments; a re-run of the fixed file completes it. */
class ImportStoppedError extends UnprocessableError {
  constructor(cause: AppError, report: ImportReport) {
    const stored = `${report.comments.imported} comment${report.comments.imported === 1 ? '' : 's'}`;
    super(
      `${cause.message}. Before it stopped, ${stored} were imported (and ${report.comments.existing} were already there); ` +
        'they are kept: import the corrected file again to complete it (nothing is imported twice)',
      { code: 'import_stopped' },
    );
  }
}

/** Comments per statement: fewer round trips and commits, still a bounded statement (and memory). */
const DEFAULT_BATCH = 2500;
/** Identity hashes kept per run: readers comment many times, and the HMAC is a fair part of a row's cost. */
const HASH_CACHE = 10_000;

interface ArticleRef {
  /** Null until the article is found or created (or, in a dry run, counted). */
  id: number | null;
  externalId: string;
  create: { url: string | null; title: string | null; closedAt: Date | null } | null;
}

type ArticleSource = Pick<ImportedArticle, 'sourceKey' | 'identifier' | 'url' | 'title' | 'closedAt' | 'closed'>;

type PendingRow = Omit<ImportedCommentRow, 'articleId'> & { article: ArticleRef };

export function createImportService(deps: { db: Db; sites: SiteService; notifier: ChangeNotifier; secret: string }) {
  const { db } = deps;

  async function run(siteId: string, format: ImportFormat, input: ImportInput, options: ImportOptions = {}) {
    await deps.sites.get(siteId);
    const dryRun = options.dryRun ?? false;
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const rules = options.remap ?? [];
    const actor = options.actor ?? { type: 'system', id: 'import' };
    const report: ImportReport = {
      siteId,
      format,
      dryRun,
      articles: { created: 0, existing: 0 },
      comments: { imported: 0, existing: 0, byStatus: {} },
      skipped: {},
      orphans: 0,
      eventId: null,
    };
    const articles = new Map<string, ArticleRef>();
    /** Articles that got comments, by id, with their external ids. */
    const touched = new Map<number, string>();
    const places = createPlaceCache();
    /** Replies read before their parent, by the parent's source id. */
    const waiting = new Map<string, ImportedComment[]>();
    let incoming: ImportedComment[] = [];
    let ready: PendingRow[] = [];
    let read = 0;
    let bytes: number | null = null;
    let totalBytes: number | null = null;
    let fakeId = 0;
    const hashes = new Map<string, string>();
    const hashOf = (email: string) => {
      let h = hashes.get(email);
      if (h === undefined) {
        if (hashes.size >= HASH_CACHE) hashes.clear();
        h = emailHash(deps.secret, email);
        hashes.set(email, h);
      }
      return h;
    };
    const skip = (reason: string) => {
      report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
    };

    /** Threads read but not yet looked up in the database. */
    let unresolved: ArticleRef[] = [];

    /**
     * The article a thread becomes: an existing one (the site's article with its URL, else with its
     * id) is used as it is; a new one is created only when its first comment is written, in the same
     * transaction (so a file that stops early leaves no empty articles behind).
     */
    function resolveArticle(a: ArticleSource) {
      if (articles.has(a.sourceKey)) return;
      const identity = articleIdentity(format, a, rules);
      const ref: ArticleRef = {
        id: null,
        externalId: identity.externalId,
        create: { url: identity.url, title: a.title, closedAt: a.closed ? (a.closedAt ?? new Date()) : null },
      };
      articles.set(a.sourceKey, ref);
      unresolved.push(ref);
    }

    /** Looks the threads read so far up in the database, all in one statement. */
    async function lookUpArticles() {
      const refs = unresolved;
      unresolved = [];
      if (refs.length === 0) return;
      const urls = [...new Set(refs.flatMap((r) => (r.create?.url ? [r.create.url] : [])))];
      const found = await findArticlesForImport(db, siteId, urls, [...new Set(refs.map((r) => r.externalId))]);
      const byUrl = new Map<string, (typeof found)[number]>();
      const byId = new Map<string, (typeof found)[number]>();
      for (const row of found) {
        if (row.url !== null && !byUrl.has(row.url)) byUrl.set(row.url, row);
        byId.set(row.external_id, row);
      }
      for (const ref of refs) {
        const url = ref.create?.url;
        const existing = (url ? byUrl.get(url) : undefined) ?? byId.get(ref.externalId);
        if (!existing) continue;
        ref.id = existing.id;
        ref.externalId = existing.external_id;
        ref.create = null;
        report.articles.existing++;
      }
    }

    /** Creates these new threads' articles (in the transaction that writes their first comments). */
    async function createArticles(tx: Tx | null, refs: ArticleRef[]) {
      const fresh = [...new Set(refs.filter((r) => r.id === null))];
      if (fresh.length === 0) return;
      if (dryRun || !tx) {
        for (const ref of fresh) ref.id = --fakeId;
      } else {
        const ids = await createImportedArticles(
          tx,
          siteId,
          fresh.map((r) => ({ externalId: r.externalId, url: null, title: null, closedAt: null, ...r.create })),
        );
        for (const ref of fresh) ref.id = ids.get(ref.externalId)!;
      }
      for (const ref of fresh) ref.create = null;
      report.articles.created += fresh.length;
    }

    function rowOf(c: ImportedComment, article: ArticleRef, parent: Place | null): PendingRow {
      const id = uuidv7();
      const deleted = c.status === 'deleted';
      const email = deleted ? '' : (c.email ?? '');
      return {
        id,
        article,
        parentId: parent?.id ?? null,
        rootId: parent?.rootId ?? id,
        depth: parent ? parent.depth + 1 : 0,
        name: deleted ? '' : c.name,
        email,
        emailHash: email ? hashOf(email) : '',
        ip: deleted ? null : canonicalIp(c.ip),
        userAgent: deleted ? null : c.userAgent,
        body: deleted ? '' : c.body,
        status: c.status,
        createdAt: c.createdAt,
        sourceKey: `${format}:${c.sourceId}`,
      };
    }

    /** Places a comment (and every reply that waited for it) in its thread, as rows ready to write. */
    function place(first: ImportedComment, asOrphan = false) {
      const stack: { c: ImportedComment; orphan: boolean }[] = [{ c: first, orphan: asOrphan }];
      while (stack.length) {
        const { c, orphan } = stack.pop()!;
        if (places.has(c.sourceId)) {
          report.comments.existing++;
          continue;
        }
        let parent: Place | null = null;
        if (c.parentSourceId && !orphan) {
          parent = places.get(c.parentSourceId) ?? null;
          if (!parent) {
            const list = waiting.get(c.parentSourceId);
            if (list) list.push(c);
            else waiting.set(c.parentSourceId, [c]);
            continue;
          }
        }
        if (orphan) report.orphans++;
        const article = articles.get(c.articleKey)!;
        const row = rowOf(c, article, parent);
        places.set(c.sourceId, { id: row.id, rootId: row.rootId, depth: row.depth });
        ready.push(row);
        report.comments.imported++;
        report.comments.byStatus[row.status] = (report.comments.byStatus[row.status] ?? 0) + 1;
        const replies = waiting.get(c.sourceId);
        if (replies) {
          waiting.delete(c.sourceId);
          for (const r of replies.reverse()) stack.push({ c: r, orphan: false });
        }
      }
    }

    /**
     * Writes the ready rows batch by batch. One write is in flight while the parser reads on (the
     * next write waits for it), so parsing and storing overlap; `all` also waits for the last one.
     */
    let inflight: Promise<void> = Promise.resolve();
    /** Rows with their articles' ids, once those exist (the articles of earlier batches are committed). */
    function withArticleIds(pending: PendingRow[]): ImportedCommentRow[] {
      return pending.map(({ article, ...row }) => {
        touched.set(article.id!, article.externalId);
        return { ...row, articleId: article.id! };
      });
    }
    async function writeBatch(pending: PendingRow[]) {
      const written = await inTransaction(db, async (tx) => {
        await createArticles(
          tx,
          pending.map((p) => p.article),
        );
        return writeImportedComments(tx, siteId, withArticleIds(pending), {
          actorType: actor.type,
          actorId: actor.id,
          note: `imported from ${format}`,
        });
      });
      // A concurrent import of the same file stored some first: they are there, not imported now.
      report.comments.imported -= pending.length - written;
      report.comments.existing += pending.length - written;
    }
    async function writeReady(all = false) {
      while (ready.length >= batchSize || (all && ready.length > 0)) {
        const pending = ready.slice(0, batchSize);
        ready = ready.slice(batchSize);
        if (dryRun) {
          await createArticles(
            null,
            pending.map((p) => p.article),
          );
          withArticleIds(pending);
          continue;
        }
        // The previous batch first: its new articles (and its comments, the parents of these) must be there.
        await inflight;
        inflight = writeBatch(pending);
        // Its failure is seen where it is awaited (the next write or the end), never as unhandled.
        inflight.catch(() => {});
      }
      if (all) await inflight;
    }

    /** Looks up what the database already has of these comments and their parents, then places them. */
    async function flushIncoming() {
      await lookUpArticles();
      const batch = incoming;
      incoming = [];
      const ids = new Set<string>();
      for (const c of batch) {
        if (!places.has(c.sourceId)) ids.add(c.sourceId);
        if (c.parentSourceId && !places.has(c.parentSourceId)) ids.add(c.parentSourceId);
      }
      const keys = [...ids];
      const prefix = `${format}:`;
      const ownIds = format === 'jsonl' ? keys.filter((k) => uuidPattern.test(k)) : [];
      const found = await findImportedPlaces(
        db,
        siteId,
        keys.map((k) => prefix + k),
        ownIds,
      );
      for (const p of found) {
        const key = p.key.startsWith(prefix) ? p.key.slice(prefix.length) : p.key;
        places.set(key, { id: p.id, rootId: p.rootId, depth: p.depth });
      }
      for (const c of batch) place(c);
      await writeReady();
    }

    async function consume() {
      const parseOptions = {
        onBytes: (done: number, total: number | null) => {
          bytes = done;
          totalBytes = total;
        },
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      };
      for await (const record of parseImport(format, input, parseOptions)) {
        if (record.type === 'article') {
          resolveArticle(record);
        } else if (record.type === 'skipped') {
          skip(record.reason);
        } else if (record.type === 'comment') {
          read++;
          if (record.kind !== 'comment' && !options.includePingbacks) {
            skip(record.kind);
            continue;
          }
          if (!articles.has(record.articleKey)) {
            const bare = { sourceKey: record.articleKey, identifier: null, url: null, title: null };
            resolveArticle({ ...bare, closed: null, closedAt: null });
          }
          incoming.push(record);
          if (incoming.length >= batchSize) await flushIncoming();
          if (read % 1000 === 0) options.onProgress?.({ comments: read, bytes, totalBytes });
        }
      }
      await flushIncoming();
      // Replies whose parent never came: at the top level, so no comment is lost.
      while (waiting.size > 0) {
        const [parentId, replies] = waiting.entries().next().value!;
        waiting.delete(parentId);
        for (const r of replies) place(r, true);
        await writeReady();
      }
      await writeReady(true);
      await lookUpArticles();
      // Our own export is a backup: its articles come back even when they have no comments.
      if (format === 'jsonl') {
        const empty = [...articles.values()].filter((r) => r.id === null);
        for (let at = 0; at < empty.length; at += batchSize) {
          const chunk = empty.slice(at, at + batchSize);
          if (dryRun) await createArticles(null, chunk);
          else await inTransaction(db, (tx) => createArticles(tx, chunk));
        }
      }
      options.onProgress?.({ comments: read, bytes, totalBytes });
    }

    /** Counters and caches right for whatever was stored, even when the file stopped the import. */
    async function settle() {
      if (dryRun || touched.size === 0) return;
      const ids = [...touched.keys()].filter((id) => id > 0);
      for (let at = 0; at < ids.length; at += 1000) await recountArticles(db, ids.slice(at, at + 1000));
      for (const [id, externalId] of touched) {
        if (id < 0) continue;
        await deps.notifier.committed({ siteId, articleId: externalId, threadChanged: true });
      }
    }

    try {
      await consume();
    } catch (err) {
      await inflight.catch(() => {});
      await settle();
      if (err instanceof AppError && report.comments.imported > 0 && !dryRun) throw new ImportStoppedError(err, report);
      throw err;
    }
    await settle();
    // A re-run that found everything already there changes nothing, not even the event log.
    const changed = report.comments.imported > 0 || report.articles.created > 0;
    if (!dryRun && changed) report.eventId = uuidv7();
    await inTransaction(db, async (tx) => {
      if (report.eventId) await announce(tx, report, report.eventId);
      await options.onCompleted?.(tx, report);
    });
    if (report.eventId) {
      await deps.notifier.committed({ siteId, articleId: '', threadChanged: false, eventIds: [report.eventId] });
    }
    return report;
  }

  async function announce(tx: Tx, report: ImportReport, id: string): Promise<void> {
    const { siteId, format, articles, comments, skipped, orphans } = report;
    const payload = {
      type: 'import.completed',
      timestamp: new Date().toISOString(),
      data: { site: { id: siteId }, format, articles, comments, skipped, orphans },
    };
    await insertSiteEvent(tx, siteId, { id, type: 'import.completed', payload });
  }

  return { run };
}

export type ImportService = ReturnType<typeof createImportService>;
