// The "submit a comment" verb: validate against the site and article, refuse duplicates and floods,
// run the filters for the first status, and store the comment with its log row and events in one
// statement (see submission.repository.ts), honouring Idempotency-Key.
import { createHash } from 'node:crypto';
import { findOrCreateArticle } from '../articles/article.repository.ts';
import { withBan } from '../bans/ban-check.ts';
import { banSubject } from '../bans/ban-subject.ts';
import type { Db } from '../db/database.ts';
import type { ArticleRow } from '../db/schema.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import { runFilters } from '../filters/pipeline.ts';
import type { Metrics } from '../observability/metrics.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../shared/errors.ts';
import { emailHash } from '../shared/identity.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Site, SiteService } from '../sites/site.service.ts';
import { checkBodyLength } from './body-length.ts';
import { findComment } from './comment.repository.ts';
import type { CommentInput, PublicComment } from './comment.schemas.ts';
import { authorHistory, filterInput } from './filter-context.ts';
import type { FloodControl } from './flood-control.ts';
import { findIdempotentResponse, releaseIdempotencyKey } from './idempotency.repository.ts';
import { toPublicComment } from './public-comment.ts';
import { type Rejection, rejectionError, rejectionOf } from './rejection.ts';
import { insertSubmission } from './submission.repository.ts';
import { loadSubmissionContext } from './submission-context.repository.ts';
import { transitionEvents } from './transition-events.ts';

export interface SubmitContext {
  ip: string | null;
  userAgent: string | null;
  idempotencyKey: string | null;
  /** The origin this service was reached at: our own pages are trusted redirect targets too. */
  selfOrigin: string | null;
}

export interface SubmitResult {
  id: string;
  status: 'approved' | 'pending';
  comment: PublicComment;
}

export interface SubmitOutcome {
  result: SubmitResult;
  replayed: boolean;
  /** Where a form post should send the reader back to (null when unknown or not on an allowed origin). */
  articleUrl: string | null;
}

const DUPLICATE = 'duplicate';
const SUBMISSION = { type: 'filter', id: 'submission' } as const;

export function isArticleClosed(article: ArticleRow, site: Site, now: Date): boolean {
  if (article.closed_at) return true;
  const days = site.settings.closeAfterDays;
  if (days && article.first_comment_at) return now.getTime() - article.first_comment_at.getTime() > days * 86_400_000;
  return false;
}

export function createCommentSubmission(deps: {
  db: Db;
  sites: SiteService;
  secret: string;
  notifier: ChangeNotifier;
  flood: FloodControl;
  metrics: Pick<Metrics, 'commentDecided'>;
}) {
  const { db, sites, secret, flood } = deps;

  function fingerprint(siteId: string, input: CommentInput): string {
    const { renderedAt: _ignored, ...stable } = input;
    return createHash('sha256')
      .update(JSON.stringify([siteId, stable]))
      .digest('hex');
  }

  async function replay(siteId: string, key: string, print: string): Promise<SubmitOutcome | null> {
    const stored = await findIdempotentResponse(db, siteId, key);
    if (!stored) return null;
    if (stored.fingerprint !== print) {
      throw new UnprocessableError('This Idempotency-Key was already used for a different comment.', {
        code: 'idempotency_key_reused',
      });
    }
    // A revealed rejection replays as the same 422.
    if (stored.statusCode === 422) throw rejectionError((stored.response as { rejection: Rejection }).rejection);
    const result = stored.response as SubmitResult & { articleUrl?: string | null };
    const { articleUrl = null, ...rest } = result;
    return { result: rest, replayed: true, articleUrl };
  }

  return {
    async submit(siteId: string, input: CommentInput, ctx: SubmitContext): Promise<SubmitOutcome> {
      const site = await sites.get(siteId);
      const print = fingerprint(siteId, input);
      if (ctx.idempotencyKey) {
        const earlier = await replay(siteId, ctx.idempotencyKey, print);
        if (earlier) return earlier;
      }
      checkBodyLength(site.settings, input.body);
      const now = new Date();
      const hash = emailHash(secret, input.email);

      const context = await loadSubmissionContext(db, {
        siteId,
        articleId: input.articleId,
        emailHash: hash,
        banSubject: banSubject(input.email, hash, ctx.ip),
        now,
      });
      // Created on its first comment; url and title fill in when first known.
      const known = context.article;
      const article =
        known && (known.url || !input.articleUrl) && (known.title || !input.articleTitle)
          ? known
          : await findOrCreateArticle(db, {
              siteId,
              externalId: input.articleId,
              url: input.articleUrl ?? null,
              title: input.articleTitle ?? null,
            });
      if (isArticleClosed(article, site, now))
        throw new ForbiddenError('This article is closed to new comments.', { code: 'article_closed' });
      let parent: { id: string; rootId: string; depth: number } | null = null;
      if (input.parentId) {
        const row = await findComment(db, input.parentId);
        if (!row || row.article_id !== article.id || row.status !== 'approved') {
          throw new NotFoundError('parentId: there is no published comment with this id on this article.', {
            errors: [{ path: 'parentId', message: 'no published comment with this id on this article' }],
          });
        }
        parent = { id: row.id, rootId: row.root_id, depth: row.depth };
      }

      const author = authorHistory(context.authorCounts);
      const { status, verdicts: reasons } = withBan(
        runFilters(filterInput(input, { settings: site.settings, author, ip: ctx.ip, userAgent: ctx.userAgent, now })),
        context.ban,
      );
      // Counted before storing, given back if the comment is not stored after all.
      const refundFlood = await flood.take({ siteId, emailHash: hash, ip: ctx.ip }, site.settings.floodIntervalSeconds);

      const id = uuidv7(now.getTime());
      const snapshot = {
        id,
        siteId,
        articleId: article.id,
        parentId: parent?.id ?? null,
        name: input.name,
        body: input.body,
        emailHash: hash,
        createdAt: now,
        status: null,
        publishedAt: null,
      };
      const articleSnapshot = { externalId: article.external_id, url: article.url, title: article.title };
      const result: SubmitResult = {
        id,
        // Rejected and spam answer "pending": spammers learn nothing (unless the site reveals rejections).
        status: status === 'approved' ? 'approved' : 'pending',
        comment: toPublicComment({ ...snapshot, deleted: false }),
      };
      const articleUrl = safeArticleUrl([input.articleUrl, article.url], [...site.settings.origins, ctx.selfOrigin]);
      const refused = status === 'rejected' || status === 'spam';
      // Stored for the audit trail either way; the submitter hears about it only if the site says so.
      const rejection = refused && site.settings.revealRejections ? rejectionOf(reasons) : null;
      const key = ctx.idempotencyKey
        ? {
            key: ctx.idempotencyKey,
            fingerprint: print,
            statusCode: rejection ? 422 : 201,
            response: rejection ? { rejection } : { ...result, articleUrl },
          }
        : null;

      const events = transitionEvents({
        comment: snapshot,
        article: articleSnapshot,
        from: null,
        to: status,
        actor: SUBMISSION,
        reasons,
      });
      let written: Awaited<ReturnType<typeof insertSubmission>>;
      try {
        written = await insertSubmission(db, {
          comment: {
            ...snapshot,
            rootId: parent?.rootId ?? id,
            depth: parent ? parent.depth + 1 : 0,
            email: input.email,
            ip: ctx.ip,
            userAgent: ctx.userAgent,
            status,
            reasons,
          },
          events,
          idempotency: key,
        });
      } catch (err) {
        await refundFlood();
        throw err;
      }
      if (written !== 'stored') {
        await refundFlood();
        // A concurrent retry with the same key: answer what the first attempt answered.
        if (written === 'key_taken') {
          const earlier = await replay(siteId, ctx.idempotencyKey!, print);
          if (earlier) return earlier;
          throw new ConflictError('A request with this Idempotency-Key is still being processed.', {
            code: 'idempotency_key_in_use',
          });
        }
        if (key) await releaseIdempotencyKey(db, siteId, key.key, print);
        throw new ConflictError('You already posted this comment here.', { code: DUPLICATE });
      }

      deps.metrics.commentDecided(status, reasons);
      // Rejected comments are stored and emit their events too.
      await deps.notifier.committed({
        siteId,
        articleId: input.articleId,
        threadChanged: status === 'approved',
        eventIds: events.map((e) => e.id),
      });
      if (rejection) throw rejectionError(rejection);
      return { result, replayed: false, articleUrl };
    },
  };
}

/** Only redirect readers to pages on the site's own origins: never an open redirect. */
function safeArticleUrl(candidates: (string | null | undefined)[], origins: (string | null)[]): string | null {
  for (const url of candidates) {
    if (!url) continue;
    try {
      if (origins.includes(new URL(url).origin)) return url;
    } catch {
      // not a URL: try the next one
    }
  }
  return null;
}

export type CommentSubmission = ReturnType<typeof createCommentSubmission>;
