// Admin: sites and their settings (allowed origins, moderation mode, word lists, limits, closing, depth…).
import { createRoute, z } from '@hono/zod-openapi';
import { actorOf } from '../domain/principal.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import { ValidationError } from '../shared/errors.ts';
import type { SiteService } from '../sites/site.service.ts';
import { siteCreateSchema, sitePatchSchema, siteSchema } from './admin.schemas.ts';
import type { AdminService } from './admin.service.ts';

const siteParam = z.object({ siteId: z.string() });
const oneSite = {
  headers: {
    ETag: {
      description: 'The site\'s version, `"<version>"`: send it as If-Match to save',
      schema: { type: 'string' as const },
    },
  },
  content: { 'application/json': { schema: z.object({ site: siteSchema }) } },
};

/** The version a save was made from: If-Match `"<version>"` (or `*`, any) or the body's expectedVersion. */
function expectedVersionOf(ifMatch: string | undefined, fromBody: number | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return fromBody;
  const match = /^"(\d{1,9})"$/.exec(ifMatch.trim());
  if (!match)
    throw new ValidationError([{ path: 'header.if-match', message: 'must be the site\'s ETag, such as "3"' }]);
  const version = Number(match[1]);
  if (fromBody !== undefined && fromBody !== version)
    throw new ValidationError([{ path: 'expectedVersion', message: 'differs from If-Match' }]);
  return version;
}

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
      'Only the given settings change; the result is validated as a whole (`errors` names each bad setting as settings.<name>). Send the ETag of the site you read as If-Match (or its version as expectedVersion) and a save made meanwhile by someone else answers 409 `site_changed`, writing nothing; without either, the patch is merged over the latest settings.',
    security: signedIn,
    request: {
      params: siteParam,
      headers: z.object({ 'if-match': z.string().max(100).optional() }),
      body: { content: { 'application/json': { schema: sitePatchSchema } }, required: true },
    },
    responses: {
      200: { description: 'The site', ...oneSite },
      ...authProblems,
      404: problem('No such site'),
      409: problem('The site was saved by someone else since the version named (`site_changed`); nothing was written'),
    },
  }),
};

export function siteAdminRoutes(deps: { sites: SiteService; admin: AdminService }) {
  const app = openApiRouter();
  app.openapi(routes.list, async (c) => c.json({ sites: await deps.sites.list() }, 200));
  app.openapi(routes.create, async (c) => {
    const site = await deps.admin.createSite(actorOf(c.get('principal')), c.req.valid('json'));
    c.header('ETag', `"${site.version}"`);
    return c.json({ site }, 201);
  });
  app.openapi(routes.get, async (c) => {
    // Not from the per-process cache: the ETag must be the version a save is checked against.
    const site = await deps.sites.fresh(c.req.valid('param').siteId);
    c.header('ETag', `"${site.version}"`);
    return c.json({ site }, 200);
  });
  app.openapi(routes.update, async (c) => {
    const { expectedVersion, ...patch } = c.req.valid('json');
    const expected = expectedVersionOf(c.req.valid('header')['if-match'], expectedVersion);
    const site = await deps.admin.updateSite(actorOf(c.get('principal')), c.req.valid('param').siteId, patch, expected);
    c.header('ETag', `"${site.version}"`);
    return c.json({ site }, 200);
  });
  return app;
}
