// Admin: everything stored about an author on a site (an access request answered for a reader, the
// same data as authors:export). Under /api/v1/admin/sites, admins only (checked here: this router sits
// above the admin router's layer); audited.
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { type AuthDeps, requireAuth } from '../auth/auth.middleware.ts';
import { actorOf, requireAdmin } from '../domain/principal.ts';
import type { AppEnv } from '../http/app-env.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import type { ReaderData } from './reader-data.service.ts';

const exportRoute = createRoute({
  method: 'get',
  path: '/{siteId}/authors/export',
  tags: ['Admin'],
  summary: 'Everything stored about an author (by email) on the site: comments with IP and user agent, subscriptions',
  security: signedIn,
  request: {
    params: z.object({ siteId: z.string() }),
    query: z.object({ email: z.string().trim().max(254).pipe(z.email('must be a valid email address')) }),
  },
  responses: {
    200: {
      description: "The author's data (the audit log records the export, not the address)",
      content: { 'application/json': { schema: z.object({}).passthrough() } },
    },
    ...authProblems,
    404: problem('No such site'),
  },
});

const adminOnly: MiddlewareHandler<AppEnv> = async function adminOnly(c, next) {
  requireAdmin(c.get('principal'));
  await next();
};

export function authorExportRoutes(deps: AuthDeps & { readers: ReaderData }) {
  const app = openApiRouter();
  app.use('*', requireAuth(deps), adminOnly);
  app.openapi(exportRoute, async (c) => {
    const { siteId } = c.req.valid('param');
    const data = await deps.readers.exportAuthor(actorOf(c.get('principal')), siteId, c.req.valid('query').email);
    return c.json(data as Record<string, unknown>, 200, { 'cache-control': 'no-store' });
  });
  return app;
}
