// What readers send and what the public API answers, as zod schemas (validation and OpenAPI in one place).
import { z } from '@hono/zod-openapi';
import { uuidPattern } from '../shared/ids.ts';
import { codePointLength, normaliseNewlines, textProblem } from '../shared/text.ts';

const BODY_MAX_CHARS = 10_000;
const NAME_MAX_CHARS = 100;
/**
 * Something a reader can see: not only spaces, zero-width characters, bidi controls or other format
 * characters (a name of two U+200B would show as nobody on the thread).
 */
const VISIBLE = /[^\s\p{Cf}\p{Zs}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0]/u;

/** A user-supplied text field: no NULs, lone surrogates or control characters; trimmed; length in code points. */
export function text(opts: { min?: number; max: number; multiline?: boolean }) {
  return z.string().transform((raw, ctx) => {
    const problem = textProblem(raw, opts.multiline ?? false);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    const value = (opts.multiline ? normaliseNewlines(raw) : raw).trim();
    const length = codePointLength(value);
    if (length < (opts.min ?? 0) || (opts.min && !VISIBLE.test(value))) {
      ctx.addIssue({
        code: 'custom',
        message: opts.min === 1 ? 'is required' : `must be at least ${opts.min} characters`,
      });
      return z.NEVER;
    }
    if (length > opts.max) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${opts.max} characters (it has ${length})` });
      return z.NEVER;
    }
    return value;
  });
}

/** Form posts send "" for untouched optional fields. */
export const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export const articleIdSchema = text({ min: 1, max: 200 }).openapi({ example: 'pk-kz-action-plan' });

const httpUrl = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const commentInputSchema = z
  .object({
    articleId: articleIdSchema,
    articleUrl: z.preprocess(emptyToUndefined, httpUrl.optional()),
    articleTitle: z.preprocess(emptyToUndefined, text({ max: 300 }).optional()),
    parentId: z.preprocess(emptyToUndefined, z.string().regex(uuidPattern, 'must be a comment id').optional()),
    name: text({ min: 1, max: NAME_MAX_CHARS }),
    email: z.string().trim().max(254, 'must be at most 254 characters').pipe(z.email('must be a valid email address')),
    body: text({ min: 1, max: BODY_MAX_CHARS, multiline: true }),
    /** Mail me replies to this comment, or every new comment on the article (after I confirm the address). */
    notify: z.preprocess(
      (v) => (v === '' || v === null || v === 'none' ? undefined : v),
      z.enum(['replies', 'thread']).optional(),
    ),
    /** Honeypot: hidden from people, so it must stay empty. */
    website: z.preprocess(emptyToUndefined, z.string().max(2048).optional()),
    /** When the form was rendered (ms since epoch), for the time trap. */
    renderedAt: z.preprocess(
      (v) => (typeof v === 'string' && v !== '' && /^\d+$/.test(v) ? Number(v) : emptyToUndefined(v)),
      z.number().int().nonnegative().optional(),
    ),
  })
  .openapi('CommentInput');

export type CommentInput = z.infer<typeof commentInputSchema>;

const avatarSchema = z
  .object({ initials: z.string(), color: z.string() })
  .openapi('Avatar', { description: 'Derived from the name and a keyed hash; reveals nothing about the email.' });

export interface PublicComment {
  id: string;
  parentId: string | null;
  name: string;
  avatar: { initials: string; color: string };
  html: string;
  createdAt: string;
  deleted?: boolean;
  replies: PublicComment[];
}

const publicCommentSchema: z.ZodType<PublicComment> = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    name: z.string(),
    avatar: avatarSchema,
    html: z.string().openapi({ description: 'The body, HTML-escaped, with line breaks and safe links.' }),
    createdAt: z.string(),
    deleted: z.boolean().optional(),
    get replies() {
      return z.array(publicCommentSchema);
    },
  })
  .openapi('Comment') as z.ZodType<PublicComment>;

export const submitResultSchema = z
  .object({ id: z.string(), status: z.enum(['approved', 'pending']), comment: publicCommentSchema })
  .openapi('SubmitResult');

export const threadSchema = z
  .object({
    article: z.object({
      id: z.string(),
      title: z.string().nullable(),
      url: z.string().nullable(),
      commentCount: z.number(),
      closed: z.boolean(),
    }),
    maxDepth: z.number().int().openapi({
      description: "The site's reply nesting levels, top level included; deeper replies sit at the last level.",
    }),
    comments: z.array(publicCommentSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('Thread');

export const threadQuerySchema = z.object({
  sort: z.enum(['oldest', 'newest']).default('oldest'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const countsSchema = z.object({ counts: z.record(z.string(), z.number()) }).openapi('Counts');
