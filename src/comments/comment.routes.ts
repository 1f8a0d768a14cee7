// Public API v1: submit comments, read threads and counts. Routers validate, call a verb, map the answer.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { clientIp, selfOrigin } from '../http/client-info.ts';
import { formErrorPage, formThanksPage, readFormOrPage, wantsHtml } from '../http/form-pages.tsx';
import { openApiRouter } from '../http/openapi.ts';
import { problem } from '../http/openapi-common.ts';
import { requestHeader, takeResponseHeaders } from '../http/request-context.ts';
import { refuseMalformedEncoding } from '../http/url-encoding.ts';
import { AppError, ValidationError } from '../shared/errors.ts';
import { zodToFieldErrors } from '../shared/validation.ts';
import { siteIdSchema } from '../sites/site-settings.ts';
import {
  articleIdSchema,
  commentInputSchema,
  countsSchema,
  submitResultSchema,
  threadQuerySchema,
  threadSchema,
} from './comment.schemas.ts';
import { formRedirectLocation } from './form-redirect.ts';
import type { CommentSubmission } from './submit-comment.service.ts';
import type { ThreadService } from './thread.service.ts';
import { articleIdOf, threadQueryOf } from './thread-query.ts';

const siteParam = z.object({ siteId: z.string().openapi({ example: 'demo' }) });
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const htmlPage = z.string().openapi({ description: 'An HTML page' });
/** A form post from a browser (Accept: text/html) is answered with a page naming the errors, same status. */
const problemOrPage = (description: string) => {
  const answer = problem(description);
  return { ...answer, content: { ...answer.content, 'text/html': { schema: htmlPage } } };
};

const submitRoute = createRoute({
  method: 'post',
  path: '/sites/{siteId}/comments',
  tags: ['Public'],
  summary: 'Submit a comment or reply',
  description:
    'JSON answers 201 with the new comment. An HTML form post answers 303 back to the article. Rejected and spam comments are answered as pending unless the site reveals rejections (422).',
  request: {
    params: siteParam,
    headers: z.object({
      'idempotency-key': z.string().optional().openapi({ description: 'Retries with the same key post once.' }),
    }),
    body: {
      content: {
        'application/json': { schema: commentInputSchema },
        'application/x-www-form-urlencoded': { schema: commentInputSchema },
      },
      required: true,
    },
  },
  responses: {
    201: {
      description: 'Stored. A form post to an article without a URL gets a thank-you page instead of JSON.',
      headers: {
        'Idempotent-Replayed': { description: '`true` when this answers a retry', schema: { type: 'string' } },
      },
      content: { 'application/json': { schema: submitResultSchema }, 'text/html': { schema: htmlPage } },
    },
    303: {
      description: 'Form post stored; back to the article',
      headers: {
        Location: {
          description: 'The article URL with ?comment=<id>&status=<status> and #comment-<id> (or #respond)',
          schema: { type: 'string', format: 'uri' },
          required: true,
        },
      },
    },
    400: problemOrPage('Invalid input; `errors` names each field'),
    403: problemOrPage('Origin not allowed, or article closed'),
    404: problemOrPage('Unknown site or parent'),
    409: problemOrPage('Duplicate comment'),
    413: problem('Body too large'),
    415: problem('Not JSON or a form'),
    422: problemOrPage('Rejected (only when the site reveals rejections), or Idempotency-Key reused'),
    429: problemOrPage('Too many comments; see Retry-After'),
  },
});

const etagHeader = {
  description: "The thread page's version; send it as If-None-Match to get 304 while it is unchanged.",
  schema: { type: 'string' as const },
  required: true,
};

const threadRoute = createRoute({
  method: 'get',
  path: '/sites/{siteId}/articles/{articleId}/comments',
  tags: ['Public'],
  summary: "An article's published thread",
  description:
    'Top-level comments paged by cursor, replies nested up to the site depth. Supports ETag / If-None-Match.',
  request: { params: siteParam.extend({ articleId: z.string() }), query: threadQuerySchema },
  responses: {
    200: {
      description: 'The thread',
      headers: { ETag: etagHeader, 'Cache-Control': { schema: { type: 'string', example: 'no-cache' } } },
      content: { 'application/json': { schema: threadSchema } },
    },
    304: { description: 'Not modified: the If-None-Match tag is current', headers: { ETag: etagHeader } },
    400: problem('Invalid query'),
    404: problem('Unknown site or article'),
  },
});

const countsRoute = createRoute({
  method: 'get',
  path: '/sites/{siteId}/counts',
  tags: ['Public'],
  summary: 'Published comment counts for up to 100 articles',
  request: {
    params: siteParam,
    query: z.object({
      articleId: z.union([z.string(), z.array(z.string())]).openapi({ description: 'Repeat for each article.' }),
    }),
  },
  responses: {
    200: { description: 'Counts by article id', content: { 'application/json': { schema: countsSchema } } },
    400: problem('Invalid query'),
    404: problem('Unknown site'),
  },
});

function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix?: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(zodToFieldErrors(parsed.error, prefix));
  return parsed.data;
}

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
const sameTag = (given: string, current: string) => given === current || opaque(given) === opaque(current);

/** Site ids already found well-formed (a few sites get every public request); bounded. */
const wellFormedSiteIds = new Set<string>();
const MAX_SITE_IDS = 1_000;

function validSiteId(c: Context): string {
  const siteId = c.req.param('siteId') ?? '';
  if (wellFormedSiteIds.has(siteId)) return siteId;
  // An id that cannot exist is simply unknown.
  if (!siteIdSchema.safeParse(siteId).success) return '-';
  if (wellFormedSiteIds.size >= MAX_SITE_IDS) wellFormedSiteIds.clear();
  wellFormedSiteIds.add(siteId);
  return siteId;
}

export function commentRoutes(deps: {
  submission: CommentSubmission;
  threads: ThreadService;
  trustProxy: boolean;
  publicUrl: string | null;
}) {
  const app = openApiRouter();

  app.openAPIRegistry.registerPath(submitRoute);
  app.post('/sites/:siteId/comments', async (c) => {
    const body = await readFormOrPage(c);
    if (body instanceof Response) return body;
    const { format, data } = body;
    try {
      refuseMalformedEncoding(c.req.url);
      const input = parseOrThrow(commentInputSchema, data);
      const key = c.req.header('idempotency-key') ?? null;
      if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
        throw new ValidationError([{ path: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }]);
      }
      const outcome = await deps.submission.submit(validSiteId(c), input, {
        ip: clientIp(c, deps.trustProxy),
        userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null,
        idempotencyKey: key,
        selfOrigin: selfOrigin(c, deps.publicUrl),
      });
      if (outcome.replayed) c.header('Idempotent-Replayed', 'true');
      if (format === 'form') {
        const { id, status } = outcome.result;
        if (!outcome.articleUrl) return c.html(formThanksPage(status), 201);
        return c.redirect(formRedirectLocation(outcome.articleUrl, { id, status }), 303);
      }
      return c.json(outcome.result, 201);
    } catch (err) {
      // A reader without JavaScript gets a page with the errors, not JSON.
      if (format === 'form' && err instanceof AppError && wantsHtml(c)) return formErrorPage(c, err);
      throw err;
    }
  });

  // Documented by threadRoute, served without its validators: the thread page is the hottest read, and
  // its query and ids are checked only when there is something to check (thread-query.ts).
  app.openAPIRegistry.registerPath(threadRoute);
  app.get('/sites/:siteId/articles/:articleId/comments', async (c) => {
    refuseMalformedEncoding(c.req.url);
    const query = threadQueryOf(c);
    const articleId = articleIdOf(c.req.param('articleId'));
    const page = await deps.threads.page(validSiteId(c), articleId, query);
    // Headers as a plain object and the body as bytes made once per page: no Headers, no encoding.
    const headers = takeResponseHeaders(c);
    const ifNoneMatch = requestHeader(c, 'if-none-match');
    // Weak comparison (RFC 9110 §13.1.2): a tag matches with or without its W/ prefix.
    if (ifNoneMatch?.split(',').some((t) => sameTag(t.trim(), page.etag) || t.trim() === '*')) {
      headers.etag = page.etag;
      headers['cache-control'] = 'no-cache';
      return new Response(null, { status: 304, headers });
    }
    for (const name in page.headers) headers[name] = page.headers[name]!;
    return new Response(page.bytes, { status: 200, headers });
  });

  app.openapi(countsRoute, async (c) => {
    refuseMalformedEncoding(c.req.url);
    const raw = c.req.queries('articleId') ?? [];
    if (raw.length === 0 || raw.length > 100)
      throw new ValidationError([{ path: 'articleId', message: 'give between 1 and 100 article ids' }]);
    const ids = raw.map((id, i) => parseOrThrow(articleIdSchema, id, `articleId.${i}`));
    c.header('Cache-Control', 'public, max-age=30');
    return c.json({ counts: await deps.threads.counts(validSiteId(c), ids) }, 200);
  });

  return app;
}
