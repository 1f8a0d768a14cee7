// GET routes of the moderation API: the review queue, one comment in full, the moderation log.
import { createRoute, z } from '@hono/zod-openapi';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import {
  commentDetailSchema,
  logPageSchema,
  logQuerySchema,
  queuePageSchema,
  queueQuerySchema,
  reasonSchema,
} from './review.schemas.ts';
import type { ReviewService } from './review.service.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/comments',
  tags: ['Moderation'],
  summary: 'The review queue',
  description:
    "Comments by status (pending by default), newest first, across the sites you moderate; filter by site, article (id, or title or id) and text. `counts` gives each tab's total for the same filters.",
  security: signedIn,
  request: { query: queueQuerySchema },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: queuePageSchema } } },
    ...authProblems,
  },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/comments/{id}',
  tags: ['Moderation'],
  summary: 'One comment with its reasons, parent, author history and log',
  security: signedIn,
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: 'The comment', content: { 'application/json': { schema: commentDetailSchema } } },
    ...authProblems,
    404: problem('No such comment (admins)'),
  },
});

const logRoute = createRoute({
  method: 'get',
  path: '/log',
  tags: ['Moderation'],
  summary: 'The moderation log of every site you moderate',
  description: 'Every status change, newest first: who (a moderator, a filter, the CLI), from, to, reasons and note.',
  security: signedIn,
  request: { query: logQuerySchema },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: logPageSchema } } },
    ...authProblems,
  },
});

export function reviewRoutes(deps: { review: ReviewService }) {
  const app = openApiRouter();
  // Comments' reasons refer to it by $ref (their stored shape is not validated on the way out).
  app.openAPIRegistry.register('Reason', reasonSchema);
  app.openapi(listRoute, async (c) => c.json(await deps.review.list(c.get('principal'), c.req.valid('query')), 200));
  app.openapi(detailRoute, async (c) =>
    c.json(await deps.review.detail(c.get('principal'), c.req.valid('param').id), 200),
  );
  app.openapi(logRoute, async (c) => c.json(await deps.review.log(c.get('principal'), c.req.valid('query')), 200));
  return app;
}
