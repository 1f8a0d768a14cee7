// The review API's shapes (the queue, one comment in full, the log), as zod schemas: they validate
// requests and describe answers in OpenAPI.
import { z } from '@hono/zod-openapi';
import { COMMENT_STATUSES } from '../domain/comment-status.ts';
import { isoDate } from '../http/openapi-common.ts';
import { QUEUE_SORTS, QUEUE_STATUSES } from './review.service.ts';

const statusEnum = z.enum(COMMENT_STATUSES);

export const reasonSchema = z
  .object({
    action: z.string(),
    code: z.string(),
    detail: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Reason', {
    description:
      'Why a filter decided as it did. `data.matches` lists matched words: `{field, word, start, end}` with UTF-16 offsets into that field.',
  });

export const moderatedCommentSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    articleId: z.string().openapi({ description: "The article's id as the publisher gave it." }),
    parentId: z.string().nullable(),
    name: z.string(),
    email: z.string(),
    emailHash: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    body: z.string(),
    status: statusEnum,
    reasons: z.array(z.unknown()).openapi({ items: { $ref: '#/components/schemas/Reason' } }),
    createdAt: isoDate,
    updatedAt: isoDate,
    publishedAt: isoDate.nullable(),
  })
  .openapi('ModeratedComment');

const queueItemSchema = moderatedCommentSchema
  .extend({
    article: z.object({ id: z.string(), title: z.string().nullable(), url: z.string().nullable() }),
    parent: z.object({ id: z.string(), name: z.string(), body: z.string(), status: statusEnum }).nullable(),
    author: z
      .object({ approved: z.number(), pending: z.number(), rejected: z.number(), spam: z.number() })
      .openapi({ description: "The author's comments on this site by status (found by email HMAC)." }),
    verified: z
      .boolean()
      .openapi({ description: 'The author confirmed this address through a mailed link on this site.' }),
    otherNames: z
      .array(z.string())
      .openapi({ description: 'Other names the same email has posted under on this site (up to 5).' }),
    ban: z
      .object({
        id: z.string(),
        kind: z.enum(['email', 'domain', 'ip']),
        value: z.string(),
        expiresAt: isoDate.nullable(),
      })
      .nullable()
      .openapi({ description: 'The ban in force on this author (by email, domain or IP), or null.' }),
  })
  .openapi('QueueItem');

const logEntrySchema = z
  .object({
    id: z.string(),
    commentId: z.string(),
    siteId: z.string(),
    actorType: z.string(),
    actorId: z.string(),
    actorEmail: z.string().nullable().optional(),
    from: statusEnum.nullable(),
    to: statusEnum,
    reasons: z.array(z.unknown()),
    note: z.string().nullable(),
    createdAt: isoDate,
  })
  .openapi('LogEntry');

export const queueQuerySchema = z.object({
  status: z.enum(QUEUE_STATUSES).default('pending'),
  siteId: z.string().max(63).optional(),
  articleId: z.string().max(200).optional().openapi({ description: "The article's exact id." }),
  article: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: "An article's title (case-insensitive, any part of it) or its exact id." }),
  q: z.string().trim().max(200).optional().openapi({ description: 'Text searched in body, name and email.' }),
  cursor: z.string().max(200).optional(),
  sort: z.enum(QUEUE_SORTS).default('newest').openapi({
    description:
      'newest first, oldest first (the longest-waiting first), or by the learned spam score given when posted: spam-first (most likely spam first) or spam-last (the clean ones first, to publish them fast). Unscored comments come last.',
  }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const queuePageSchema = z
  .object({
    items: z.array(queueItemSchema),
    nextCursor: z.string().nullable(),
    counts: z.object({ pending: z.number(), approved: z.number(), rejected: z.number(), spam: z.number() }),
  })
  .openapi('QueuePage');

export const commentDetailSchema = z
  .object({
    comment: queueItemSchema,
    recent: z.array(queueItemSchema).openapi({ description: "The author's latest other comments on the site." }),
    log: z.array(logEntrySchema),
  })
  .openapi('CommentDetail');

export const logQuerySchema = z.object({
  siteId: z.string().max(63).optional(),
  moderator: z
    .string()
    .max(254)
    .optional()
    .openapi({ description: 'A user id or email, or another actor id such as "cli" or "submission".' }),
  action: statusEnum.optional().openapi({ description: 'The status the comment was moved to.' }),
  cursor: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const readableLogEntrySchema = logEntrySchema
  .extend({
    comment: z
      .object({
        name: z.string(),
        excerpt: z.string(),
        articleId: z.string(),
        articleTitle: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: "The comment's author, its first 120 characters and its article (null if gone)." }),
  })
  .openapi('ReadableLogEntry');

export const logPageSchema = z
  .object({ entries: z.array(readableLogEntrySchema), nextCursor: z.string().nullable() })
  .openapi('LogPage');
