// Admin: sites and their settings (allowed origins, moderation mode, word lists, limits, closing, depth…).
import { createRoute, z } from '@hono/zod-openapi';
import { actorOf } from '../domain/principal.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import type { SiteService } from '../sites/site.service.ts';
import { siteCreateSchema, sitePatchSchema, siteSchema } from './admin.schemas.ts';
import type { AdminService } from './admin.service.ts';

const siteParam = z.object({ siteId: z.string() });
const oneSite = { content: { 'application/json': { schema: z.object({ site: siteSchema }) } } };

const routes = {
  list: createRoute({
    method: 'get',
    path: '/',
    tags: ['Admin'],
    summary: 'Every site',
    security: signedIn,
    responses: {
      200: {
        description: 'Sites',
        content: { 'application/json': { schema: z.object({ sites: z.array(siteSchema) }) } },
      },
      ...authProblems,
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/',
    tags: ['Admin'],
    summary: 'Create a site',
    security: signedIn,
    request: { body: { content: { 'application/json': { schema: siteCreateSchema } }, required: true } },
    responses: {
      201: { description: 'Created', ...oneSite },
      ...authProblems,
      409: problem('A site with this id exists'),
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/{siteId}',
    tags: ['Admin'],
    summary: 'A site with its settings',
    security: signedIn,
    request: { params: siteParam },
    responses: { 200: { description: 'The site', ...oneSite }, ...authProblems, 404: problem('No such site') },
  }),
  update: createRoute({
    method: 'patch',
    path: '/{siteId}',
    tags: ['Admin'],
    summary: "Change a site's name or settings",
    description:
      'Only the given settings change; the result is validated as a whole (`errors` names each bad setting as settings.<name>).',
    security: signedIn,
    request: {
      params: siteParam,
      body: { content: { 'application/json': { schema: sitePatchSchema } }, required: true },
    },
    responses: { 200: { description: 'The site', ...oneSite }, ...authProblems, 404: problem('No such site') },
  }),
};

export function siteAdminRoutes(deps: { sites: SiteService; admin: AdminService }) {
  const app = openApiRouter();
  app.openapi(routes.list, async (c) => c.json({ sites: await deps.sites.list() }, 200));
  app.openapi(routes.create, async (c) =>
    c.json({ site: await deps.admin.createSite(actorOf(c.get('principal')), c.req.valid('json')) }, 201),
  );
  app.openapi(routes.get, async (c) => c.json({ site: await deps.sites.get(c.req.valid('param').siteId) }, 200));
  app.openapi(routes.update, async (c) =>
    c.json(
      {
        site: await deps.admin.updateSite(
          actorOf(c.get('principal')),
          c.req.valid('param').siteId,
          c.req.valid('json'),
        ),
      },
      200,
    ),
  );
  return app;
}
