// Admin: webhook endpoints per site, their deliveries (every attempt) and redelivery.
import { createRoute, z } from '@hono/zod-openapi';
import { actorOf } from '../domain/principal.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import { deliverySchema, endpointCreateSchema, endpointPatchSchema, endpointSchema } from './admin.schemas.ts';
import type { AdminService } from './admin.service.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const base = { tags: ['Admin'], security: signedIn };
const endpointParam = z.object({ endpointId: z.string() });
const withSecret = json(
  z.object({
    endpoint: endpointSchema,
    secret: z.string().openapi({ description: 'whsec_… — shown in this answer only.' }),
  }),
);

const routes = {
  list: createRoute({
    ...base,
    method: 'get',
    path: '/sites/{siteId}/webhooks',
    summary: "A site's webhook endpoints",
    request: { params: z.object({ siteId: z.string() }) },
    responses: {
      200: { description: 'Endpoints', ...json(z.object({ endpoints: z.array(endpointSchema) })) },
      ...authProblems,
      404: problem('No such site'),
    },
  }),
  create: createRoute({
    ...base,
    method: 'post',
    path: '/sites/{siteId}/webhooks',
    summary: 'Add a webhook endpoint; its signing secret is in this answer only',
    request: { params: z.object({ siteId: z.string() }), body: { ...json(endpointCreateSchema), required: true } },
    responses: { 201: { description: 'Created', ...withSecret }, ...authProblems, 404: problem('No such site') },
  }),
  get: createRoute({
    ...base,
    method: 'get',
    path: '/webhooks/{endpointId}',
    summary: 'One endpoint',
    request: { params: endpointParam },
    responses: {
      200: { description: 'The endpoint', ...json(z.object({ endpoint: endpointSchema })) },
      ...authProblems,
      404: problem('No such endpoint'),
    },
  }),
  update: createRoute({
    ...base,
    method: 'patch',
    path: '/webhooks/{endpointId}',
    summary: 'Change URL, events, personal data, or enable / disable',
    request: { params: endpointParam, body: { ...json(endpointPatchSchema), required: true } },
    responses: {
      200: { description: 'The endpoint', ...json(z.object({ endpoint: endpointSchema })) },
      ...authProblems,
      404: problem('No such endpoint'),
    },
  }),
  remove: createRoute({
    ...base,
    method: 'delete',
    path: '/webhooks/{endpointId}',
    summary: 'Remove an endpoint and its delivery log',
    request: { params: endpointParam },
    responses: { 204: { description: 'Removed' }, ...authProblems, 404: problem('No such endpoint') },
  }),
  rotate: createRoute({
    ...base,
    method: 'post',
    path: '/webhooks/{endpointId}/rotate-secret',
    summary: 'Issue a new signing secret; the old one keeps signing for graceHours (default 24)',
    request: {
      params: endpointParam,
      body: { ...json(z.object({ graceHours: z.number().min(0).max(720).optional() })), required: false },
    },
    responses: {
      200: { description: 'The new secret', ...withSecret },
      ...authProblems,
      404: problem('No such endpoint'),
    },
  }),
  deliveries: createRoute({
    ...base,
    method: 'get',
    path: '/webhooks/{endpointId}/deliveries',
    summary: "An endpoint's recent deliveries with every attempt",
    request: { params: endpointParam, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
    responses: {
      200: { description: 'Deliveries, newest first', ...json(z.object({ deliveries: z.array(deliverySchema) })) },
      ...authProblems,
      404: problem('No such endpoint'),
    },
  }),
  redeliver: createRoute({
    ...base,
    method: 'post',
    path: '/webhook-deliveries/{deliveryId}/redeliver',
    summary: 'Send a delivery again (same webhook-id)',
    request: { params: z.object({ deliveryId: z.string() }) },
    responses: {
      202: { description: 'Queued', ...json(z.object({ deliveryId: z.string() })) },
      ...authProblems,
      404: problem('No such delivery'),
    },
  }),
};

export function webhookAdminRoutes(deps: { webhooks: WebhookService; admin: AdminService }) {
  const app = openApiRouter();
  app.openapi(routes.list, async (c) =>
    c.json({ endpoints: await deps.webhooks.list(c.req.valid('param').siteId) }, 200),
  );
  app.openapi(routes.create, async (c) =>
    c.json(
      await deps.admin.createWebhook(actorOf(c.get('principal')), c.req.valid('param').siteId, c.req.valid('json')),
      201,
    ),
  );
  app.openapi(routes.get, async (c) =>
    c.json({ endpoint: await deps.webhooks.get(c.req.valid('param').endpointId) }, 200),
  );
  app.openapi(routes.update, async (c) =>
    c.json(
      {
        endpoint: await deps.admin.updateWebhook(
          actorOf(c.get('principal')),
          c.req.valid('param').endpointId,
          c.req.valid('json'),
        ),
      },
      200,
    ),
  );
  app.openapi(routes.remove, async (c) => {
    await deps.admin.deleteWebhook(actorOf(c.get('principal')), c.req.valid('param').endpointId);
    return c.body(null, 204);
  });
  app.openapi(routes.rotate, async (c) => {
    const body = c.req.valid('json') as { graceHours?: number } | undefined;
    return c.json(
      await deps.admin.rotateWebhookSecret(
        actorOf(c.get('principal')),
        c.req.valid('param').endpointId,
        body?.graceHours ?? 24,
      ),
      200,
    );
  });
  app.openapi(routes.deliveries, async (c) =>
    c.json(
      { deliveries: await deps.webhooks.deliveries(c.req.valid('param').endpointId, c.req.valid('query').limit) },
      200,
    ),
  );
  app.openapi(routes.redeliver, async (c) =>
    c.json(await deps.admin.redeliver(actorOf(c.get('principal')), c.req.valid('param').deliveryId), 202),
  );
  return app;
}
