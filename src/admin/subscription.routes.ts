// Admin: an address's reply and thread subscriptions (a reader asking "what do you mail me?", or to stop).
import { createRoute, z } from '@hono/zod-openapi';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, signedIn } from '../http/openapi-common.ts';
import type { SubscriptionService } from '../subscriptions/subscription.service.ts';

const query = z.object({
  email: z.string().trim().max(254).pipe(z.email('must be a valid email address')),
  siteId: z.string().max(63).optional(),
});

const subscriptionSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    kind: z.enum(['replies', 'thread']),
    commentId: z.string(),
    articleId: z.string(),
    email: z.string(),
    createdAt: z.string(),
    confirmedAt: z.string().nullable(),
  })
  .openapi('Subscription');

const listRoute = createRoute({
  method: 'get',
  path: '/subscriptions',
  tags: ['Admin'],
  summary: "An address's subscriptions (every site, or one)",
  security: signedIn,
  request: { query },
  responses: {
    200: {
      description: 'The subscriptions, oldest first',
      content: { 'application/json': { schema: z.object({ subscriptions: z.array(subscriptionSchema) }) } },
    },
    ...authProblems,
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/subscriptions',
  tags: ['Admin'],
  summary: "Removes an address's subscriptions (every site, or one)",
  security: signedIn,
  request: { query },
  responses: {
    200: {
      description: 'How many were removed',
      content: { 'application/json': { schema: z.object({ removed: z.number() }) } },
    },
    ...authProblems,
  },
});

export function subscriptionAdminRoutes(deps: { subscriptions: SubscriptionService }) {
  const app = openApiRouter();
  app.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json({ subscriptions: await deps.subscriptions.listOfAddress(q.email, q.siteId) }, 200);
  });
  app.openapi(removeRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json({ removed: await deps.subscriptions.removeOfAddress(q.email, q.siteId) }, 200);
  });
  return app;
}
