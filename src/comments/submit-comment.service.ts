// The "submit a comment" verb, in the steps it takes: replay an Idempotency-Key's answer, check the
// body's length, count the author and client against flood control, check the article's rules, run the
// filters for the first status, and store the comment with its log row, events, counters and key in one
// statement (storeNewComment, the same writer every later status change uses). Flood control comes
// before the database reads and the filters, so a client that only gets 429s costs next to nothing.
import { correctArticle, findOrCreateArticle } from '../articles/article.repository.ts';
import { isArticleClosed } from '../articles/article-state.ts';
import { acceptedArticleUrl, articleCorrection } from '../articles/article-url.ts';
import { withBan } from '../bans/ban-check.ts';
import { banSubject } from '../bans/ban-subject.ts';
import type { Db } from '../db/database.ts';
import type { ArticleRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import type { LearnedModel } from '../filters/filter.ts';
import { runFilters } from '../filters/pipeline.ts';
import type { Metrics } from '../observability/metrics.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { emailHash } from '../shared/identity.ts';
import type { Site, SiteService } from '../sites/site.service.ts';
import type { SubscriptionService } from '../subscriptions/subscription.service.ts';
import { checkBodyLength } from './body-length.ts';
import { findComment } from './comment.repository.ts';
import type { CommentInput } from './comment.schemas.ts';
import { authorHistory, filterInput } from './filter-context.ts';
import type { FloodControl } from './flood-control.ts';
import { createGroupCommit } from './group-commit.ts';
import { releaseIdempotencyKey } from './idempotency.repository.ts';
import { rejectionError } from './rejection.ts';
import { loadSubmissionContext } from './submission-context.repository.ts';
import { type Draft, draft, type Judged, type SubmitContext } from './submission-draft.ts';
import { fingerprint, replay, type SubmitOutcome } from './submission-replay.ts';

const SUBMISSION: Actor = { type: 'filter', id: 'submission' };

export function createCommentSubmission(deps: {
  db: Db;
  sites: SiteService;
  secret: string;
  notifier: ChangeNotifier;
  flood: FloodControl;
  metrics: Pick<Metrics, 'commentDecided' | 'filtersRun'>;
  /** The site's learned spam model as this process holds it (no query per comment), if any. */
  learnedModel?: (siteId: string) => Promise<LearnedModel | null>;
  subscriptions: SubscriptionService;
}) {
  const { db, sites, secret, flood } = deps;
  // Comments stored at the same moment share one statement (group-commit.ts).
  const writer = createGroupCommit(db);

  /** A reply must answer a published comment of the same article. */
  async function findParent(article: ArticleRow, parentId: string | undefined): Promise<Judged['parent']> {
    if (!parentId) return null;
    const row = await findComment(db, parentId);
    if (!row || row.article_id !== article.id || row.status !== 'approved') {
      throw new NotFoundError('parentId: there is no published comment with this id on this article.', {
        errors: [{ path: 'parentId', message: 'no published comment with this id on this article' }],
      });
    }
    return { id: row.id, rootId: row.root_id, depth: row.depth };
  }

  /** Created on its first comment; its URL and title come from comments only as article-url.ts rules. */
  async function articleFor(
    site: Site,
    input: CommentInput,
    known: ArticleRow | null,
  ): Promise<{ article: ArticleRow; changed: boolean }> {
    const origins = site.settings.origins;
    const url = acceptedArticleUrl(input.articleUrl, origins);
    const title = url ? (input.articleTitle ?? null) : null;
    const article =
      known ?? (await findOrCreateArticle(db, { siteId: site.id, externalId: input.articleId, url, title }));
    const correction = articleCorrection(article, { url, title }, origins);
    const corrected = correction ? await correctArticle(db, article.id, article.url, correction) : undefined;
    return corrected ? { article: corrected, changed: true } : { article, changed: false };
  }

  /** The article's and the site's rules, then the filters (with any active ban) for the first status. */
  async function judge(site: Site, input: CommentInput, ctx: SubmitContext, hash: string, now: Date): Promise<Judged> {
    const subject = banSubject(input.email, hash, ctx.ip);
    const context = await loadSubmissionContext(db, {
      siteId: site.id,
      articleId: input.articleId,
      emailHash: hash,
      name: input.name,
      banSubject: subject,
      now,
    });
    const { article, changed } = await articleFor(site, input, context.article);
    if (isArticleClosed(article, site, now))
      throw new ForbiddenError('This article is closed to new comments.', { code: 'article_closed' });
    const parent = await findParent(article, input.parentId);
    const author = {
      ...authorHistory(context.authorCounts, context.approvedUnderName),
      // Only looked up when the site asks for it: one query fewer on every other submission.
      ...(site.settings.requireVerifiedForTrust
        ? { verified: (await deps.subscriptions.verified(site.id, [hash])).has(hash) }
        : {}),
    };
    deps.metrics.filtersRun();
    const model = (await deps.learnedModel?.(site.id)) ?? null;
    const learned = model ? { model, emailHash: hash } : null;
    const filtered = runFilters(
      filterInput(input, {
        settings: site.settings,
        articleModeration: article.moderation_mode,
        author,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        now,
        learned,
      }),
    );
    const { status, verdicts } = withBan(filtered, context.ban);
    return { article, articleChanged: changed, parent, emailHash: hash, status, reasons: verdicts };
  }

  /** Stored with its log row, events and key in one statement (shared with the comments stored at the same moment); `outcome` says whether it was written. */
  function store(j: Judged, d: Draft) {
    const { row } = d;
    const { id, siteId, articleId, parentId, name, body, emailHash, createdAt } = row;
    return writer.store({
      // What the events say of it: no email, IP or user agent.
      comment: { id, siteId, articleId, parentId, name, body, emailHash, createdAt, status: null, publishedAt: null },
      article: { externalId: j.article.external_id, url: j.article.url, title: j.article.title },
      to: j.status,
      actor: SUBMISSION,
      reasons: j.reasons,
      row,
      claim: d.claim,
    });
  }

  /**
   * Counted against flood control before anything costly (the article's rules and the filters), so a
   * client that only gets 429s costs a hash and a counter; given back if the comment is not stored.
   */
  async function judgeAndStore(site: Site, input: CommentInput, ctx: SubmitContext, print: string | null) {
    const hash = emailHash(secret, input.email);
    const refundFlood = await flood.take(
      { siteId: site.id, emailHash: hash, ip: ctx.ip },
      site.settings.floodIntervalSeconds,
    );
    try {
      const now = new Date();
      const judged = await judge(site, input, ctx, hash, now);
      const d = draft(site, input, ctx, judged, print, now);
      const stored = await store(judged, d);
      if (stored.outcome !== 'written') await refundFlood();
      return { judged, d, stored };
    } catch (err) {
      await refundFlood();
      throw err;
    }
  }

  /** Nothing was stored: a concurrent retry holds the key, or the comment duplicates one. */
  async function notStored(outcome: 'conflict' | 'key_taken', siteId: string, d: Draft): Promise<SubmitOutcome> {
    const claim = d.claim;
    if (outcome === 'key_taken' && claim) {
      // A concurrent retry with the same key: answer what the first attempt answered.
      const earlier = await replay(db, siteId, claim.key, claim.fingerprint);
      if (earlier) return earlier;
      throw new ConflictError('A request with this Idempotency-Key is still being processed.', {
        code: 'idempotency_key_in_use',
      });
    }
    if (claim) await releaseIdempotencyKey(db, siteId, claim.key, claim.fingerprint);
    throw new ConflictError('You already posted this comment here.', { code: 'duplicate' });
  }

  return {
    groupCommit: writer,
    async submit(siteId: string, input: CommentInput, ctx: SubmitContext): Promise<SubmitOutcome> {
      const site = await sites.get(siteId);
      // Only a key's claim and replay compare prints: none is computed without one.
      const print = ctx.idempotencyKey ? fingerprint(siteId, input) : null;
      if (ctx.idempotencyKey && print) {
        const earlier = await replay(db, siteId, ctx.idempotencyKey, print);
        if (earlier) return earlier;
      }
      checkBodyLength(site.settings, input.body);
      const { judged, d, stored } = await judgeAndStore(site, input, ctx, print);
      const { outcome, eventIds } = stored;
      if (outcome !== 'written') return notStored(outcome, siteId, d);
      deps.metrics.commentDecided(judged.status, judged.reasons);
      // Recorded unconfirmed; a worker mails the confirmation. A rejected comment's address may not be
      // its writer's, so it gets none.
      if (input.notify && (judged.status === 'approved' || judged.status === 'pending')) {
        await deps.subscriptions.subscribe({
          siteId,
          kind: input.notify,
          commentId: d.row.id,
          articleKey: input.articleId,
          email: input.email,
          name: input.name,
        });
      }
      // Rejected comments are stored and emit their events too.
      const threadChanged = judged.status === 'approved' || judged.articleChanged;
      // The filters' decision is a move too: open queues count the new comment at once.
      const moves = [{ commentId: d.row.id, from: null, to: judged.status, actor: SUBMISSION }];
      await deps.notifier.committed({ siteId, articleId: input.articleId, threadChanged, eventIds, moves });
      if (d.rejection) throw rejectionError(d.rejection);
      return { result: d.result, replayed: false, articleUrl: d.articleUrl };
    },
  };
}

export type CommentSubmission = ReturnType<typeof createCommentSubmission>;
