// The draft of a new comment: the row to store, the answer the submitter gets, and what an
// Idempotency-Key will replay. Pure: everything it needs was read and decided before.
import type { ArticleRow } from '../db/schema.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import type { Verdict } from '../domain/verdict.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Site } from '../sites/site.service.ts';
import type { NewCommentRow } from './comment.repository.ts';
import type { CommentInput } from './comment.schemas.ts';
import { articleReturnUrl } from './form-redirect.ts';
import type { IdempotencyClaim } from './idempotency.repository.ts';
import { toPublicComment } from './public-comment.ts';
import { type Rejection, rejectionOf } from './rejection.ts';
import type { SubmitResult } from './submission-replay.ts';

export interface SubmitContext {
  ip: string | null;
  userAgent: string | null;
  idempotencyKey: string | null;
  /** The origin this service was reached at: our own pages (by path) are redirect targets too. */
  selfOrigin: string | null;
}

/** What the rules and the filters made of a comment before it is stored. */
export interface Judged {
  article: ArticleRow;
  /** The comment corrected the article's URL or title (the cached thread shows them). */
  articleChanged: boolean;
  parent: { id: string; rootId: string; depth: number } | null;
  emailHash: string;
  status: CommentStatus;
  reasons: Verdict[];
}

/** The comment as it will be stored, and the answers it will get. */
export interface Draft {
  row: NewCommentRow;
  result: SubmitResult;
  articleUrl: string | null;
  rejection: Rejection | null;
  claim: IdempotencyClaim | null;
}

/** The comment as it will be stored, its answer, and the Idempotency-Key's claim on that answer. */
export function draft(
  site: Site,
  input: CommentInput,
  ctx: SubmitContext,
  j: Judged,
  /** The request's fingerprint, computed only when it carries an Idempotency-Key. */
  print: string | null,
  now: Date,
): Draft {
  const id = uuidv7(now.getTime());
  const row: NewCommentRow = {
    id,
    siteId: site.id,
    articleId: j.article.id,
    parentId: j.parent?.id ?? null,
    rootId: j.parent?.rootId ?? id,
    depth: j.parent ? j.parent.depth + 1 : 0,
    name: input.name,
    email: input.email,
    emailHash: j.emailHash,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    body: input.body,
    status: j.status,
    reasons: j.reasons,
    createdAt: now,
  };
  const result: SubmitResult = {
    id,
    // Rejected and spam answer "pending": spammers learn nothing (unless the site reveals rejections).
    status: j.status === 'approved' ? 'approved' : 'pending',
    comment: toPublicComment({ ...row, deleted: false }), // picks the public fields only
  };
  const articleUrl = articleReturnUrl([input.articleUrl, j.article.url], site.settings.origins, ctx.selfOrigin);
  const refused = j.status === 'rejected' || j.status === 'spam';
  // Stored for the audit trail either way; the submitter hears about it only if the site says so.
  const rejection = refused && site.settings.revealRejections ? rejectionOf(j.reasons) : null;
  const claim =
    ctx.idempotencyKey && print
      ? {
          key: ctx.idempotencyKey,
          fingerprint: print,
          statusCode: rejection ? 422 : 201,
          response: rejection ? { rejection } : { ...result, articleUrl },
        }
      : null;
  return { row, result, articleUrl, rejection, claim };
}
