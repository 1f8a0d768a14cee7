// The "submit a comment" verb: validate against the site and article, refuse duplicates and floods,
// run the filters for the first status, store the comment and its log row in one transaction,
// honour Idempotency-Key.
import { createHash } from 'node:crypto';
import type { Db, DbOrTx } from '../db/database.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { ArticleRow } from '../db/schema.ts';
import { findOrCreateArticle, markFirstComment } from '../articles/article.repository.ts';
import { runFilters } from '../filters/pipeline.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import { emailHash } from '../shared/identity.ts';
import type { Site, SiteService } from '../sites/site.service.ts';
import { withActiveBan } from '../bans/ban-check.ts';
import { applyTransition } from '../moderation/status-transition.ts';
import { checkBodyLength } from './body-length.ts';
import { findComment, hasSameComment, insertComment, lockAuthorOnArticle } from './comment.repository.ts';
import type { CommentInput, PublicComment } from './comment.schemas.ts';
import { filterInput, loadAuthorHistory } from './filter-context.ts';
import type { FloodControl } from './flood-control.ts';
import { claimIdempotencyKey, findIdempotentResponse } from './idempotency.repository.ts';
import { toPublicComment } from './public-comment.ts';
import { rejectionError, rejectionOf, type Rejection } from './rejection.ts';

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

class KeyTaken extends Error {}

const DUPLICATE = 'duplicate';

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
    return createHash('sha256').update(JSON.stringify([siteId, stable])).digest('hex');
  }

  async function replay(siteId: string, key: string, print: string): Promise<SubmitOutcome | null> {
    const stored = await findIdempotentResponse(db, siteId, key);
    if (!stored) return null;
    if (stored.fingerprint !== print) {
      throw new UnprocessableError('This Idempotency-Key was already used for a different comment.', { code: 'idempotency_key_reused' });
    }
    // A revealed rejection replays as the same 422.
    if (stored.statusCode === 422) throw rejectionError((stored.response as { rejection: Rejection }).rejection);
    const result = stored.response as SubmitResult & { articleUrl?: string | null };
    const { articleUrl = null, ...rest } = result;
    return { result: rest, replayed: true, articleUrl };
  }

  /** The same author posting the same text at the same place again (a double click, a bot): 409. */
  async function refuseDuplicate(tx: DbOrTx, c: { articleId: number; emailHash: string; parentId: string | null; body: string }) {
    await lockAuthorOnArticle(tx, c.articleId, c.emailHash);
    if (await hasSameComment(tx, c)) {
      throw new ConflictError('You already posted this comment here.', { code: DUPLICATE });
    }
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
      // Gives back the flood count when the transaction fails after taking it.
      let refundFlood: (() => Promise<void>) | null = null;
      try {
        const outcome = await db.transaction().execute(async (tx) => {
          const article = await findOrCreateArticle(tx, {
            siteId,
            externalId: input.articleId,
            url: input.articleUrl ?? null,
            title: input.articleTitle ?? null,
          });
          if (isArticleClosed(article, site, now)) throw new ForbiddenError('This article is closed to new comments.', { code: 'article_closed' });

          let parent: { id: string; rootId: string; depth: number } | null = null;
          if (input.parentId) {
            const row = await findComment(tx, input.parentId);
            if (!row || row.article_id !== article.id || row.status !== 'approved') {
              throw new NotFoundError('parentId: there is no published comment with this id on this article.', {
                errors: [{ path: 'parentId', message: 'no published comment with this id on this article' }],
              });
            }
            parent = { id: row.id, rootId: row.root_id, depth: row.depth };
          }

          await refuseDuplicate(tx, { articleId: article.id, emailHash: hash, parentId: parent?.id ?? null, body: input.body });
          refundFlood = await flood.take({ siteId, emailHash: hash, ip: ctx.ip }, site.settings.floodIntervalSeconds);

          const author = await loadAuthorHistory(tx, siteId, hash);
          const { status, verdicts: reasons } = await withActiveBan(tx, siteId, { email: input.email, emailHash: hash, ip: ctx.ip }, runFilters(
            filterInput(input, { settings: site.settings, author, ip: ctx.ip, userAgent: ctx.userAgent, now }),
          ));
          const id = uuidv7(now.getTime());
          const row = await insertComment(tx, {
            id,
            site_id: siteId,
            article_id: article.id,
            parent_id: parent?.id ?? null,
            root_id: parent?.rootId ?? id,
            depth: parent ? parent.depth + 1 : 0,
            name: input.name,
            email: input.email,
            email_hash: hash,
            ip: ctx.ip,
            user_agent: ctx.userAgent,
            body: input.body,
            status,
            reasons: JSON.stringify(reasons),
            created_at: now,
            published_at: status === 'approved' ? now : null,
          });
          await applyTransition(tx, {
            comment: {
              id,
              siteId,
              articleId: article.id,
              parentId: row.parent_id,
              name: row.name,
              body: row.body,
              emailHash: hash,
              createdAt: now,
              status: null,
              publishedAt: row.published_at,
            },
            article: { externalId: article.external_id, url: article.url, title: article.title },
            to: status,
            actor: { type: 'filter', id: 'submission' },
            reasons,
            inserted: true,
          });
          if (!article.first_comment_at) await markFirstComment(tx, article.id, now);

          const result: SubmitResult = {
            id,
            // Rejected and spam answer "pending": spammers learn nothing (issue: revealRejections).
            status: status === 'approved' ? 'approved' : 'pending',
            comment: toPublicComment({ id, parentId: row.parent_id, name: row.name, emailHash: hash, body: row.body, createdAt: now, deleted: false }),
          };
          const articleUrl = safeArticleUrl([input.articleUrl, article.url], [...site.settings.origins, ctx.selfOrigin]);
          const refused = status === 'rejected' || status === 'spam';
          // Stored for the audit trail either way; the submitter hears about it only if the site says so.
          const rejection = refused && site.settings.revealRejections ? rejectionOf(reasons) : null;
          if (ctx.idempotencyKey) {
            const claimed = await claimIdempotencyKey(tx, siteId, ctx.idempotencyKey, {
              fingerprint: print,
              statusCode: rejection ? 422 : 201,
              response: rejection ? { rejection } : { ...result, articleUrl },
            });
            if (!claimed) throw new KeyTaken();
          }
          return { result, replayed: false, articleUrl, rejection, decided: { status, reasons } };
        });
        refundFlood = null;
        const { rejection, decided, ...submitted } = outcome;
        deps.metrics.commentDecided(decided.status, decided.reasons);
        // Rejected comments are stored and emit their events too.
        await deps.notifier.committed({ siteId, articleId: input.articleId, threadChanged: submitted.result.status === 'approved' });
        if (rejection) throw rejectionError(rejection);
        return submitted;
      } catch (err) {
        await (refundFlood as (() => Promise<void>) | null)?.();
        // A concurrent retry with the same key lands here after the first attempt committed.
        const retried = err instanceof KeyTaken || (err instanceof ConflictError && err.extra.code === DUPLICATE);
        if (retried && ctx.idempotencyKey) {
          const earlier = await replay(siteId, ctx.idempotencyKey, print);
          if (earlier) return earlier;
        }
        throw err;
      }
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
