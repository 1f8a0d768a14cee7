// Admin: a site's learned spam model (stats, rebuild from the moderation log, reset). Mounted under
// /api/v1/admin/sites, so only admins reach it.
import { createRoute, z } from '@hono/zod-openapi';
import { actorOf } from '../domain/principal.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import type { SpamAdmin } from './spam-admin.service.ts';

const siteParam = z.object({ siteId: z.string() });
const rate = z.number().nullable();
const statsSchema = z
  .object({
    siteId: z.string(),
    spamDecisions: z.number().int(),
    hamDecisions: z.number().int(),
    tokens: z.number().int(),
    recent: z.object({
      decisions: z.number().int(),
      scored: z.number().int(),
      threshold: z.number(),
      precision: rate,
      recall: rate,
    }),
  })
  .openapi('SpamStats');
const answer = {
  description: "The site's model",
  content: { 'application/json': { schema: z.object({ spam: statsSchema }) } },
};
const common = { tags: ['Admin'], security: signedIn, request: { params: siteParam } };
const responses = { 200: answer, ...authProblems, 404: problem('No such site') };

const routes = {
  stats: createRoute({
    ...common,
    method: 'get',
    path: '/{siteId}/spam',
    summary: 'The learned spam model: decisions learned, precision and recall on recent decisions',
    responses,
  }),
  retrain: createRoute({
    ...common,
    method: 'post',
    path: '/{siteId}/spam/retrain',
    summary: 'Rebuild the learned spam model from the moderation log',
    responses,
  }),
  reset: createRoute({
    ...common,
    method: 'post',
    path: '/{siteId}/spam/reset',
    summary: 'Forget what the learned spam model learned on this site',
    responses,
  }),
};

export function spamAdminRoutes(deps: { spamAdmin: SpamAdmin }) {
  const app = openApiRouter();
  app.openapi(routes.stats, async (c) =>
    c.json({ spam: await deps.spamAdmin.stats(c.req.valid('param').siteId) }, 200),
  );
  app.openapi(routes.retrain, async (c) =>
    c.json({ spam: await deps.spamAdmin.retrain(actorOf(c.get('principal')), c.req.valid('param').siteId) }, 200),
  );
  app.openapi(routes.reset, async (c) =>
    c.json({ spam: await deps.spamAdmin.reset(actorOf(c.get('principal')), c.req.valid('param').siteId) }, 200),
  );
  return app;
}
