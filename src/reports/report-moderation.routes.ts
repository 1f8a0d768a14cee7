// /api/v1/moderation: the Reported queue and decisions on reports. Signed in; every verb checks the site.
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { type AuthDeps, requireAuth } from '../auth/auth.middleware.ts';
import type { AppEnv } from '../http/app-env.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import { dismissBodySchema, reportedCommentSchema, reportQueueSchema, upholdBodySchema } from './report.schemas.ts';
import type { ReportService } from './report.service.ts';

const one = {
  200: {
    description: 'The comment and its reports',
    content: { 'application/json': { schema: reportedCommentSchema } },
  },
};

const queueRoute = createRoute({
  method: 'get',
  path: '/reports',
  tags: ['Moderation'],
  summary: 'The Reported queue of a site',
  description:
    "Comments whose open reports' weighted score reaches the site's `reportQueueThreshold`, or that carry an illegal-content notice, highest score first; with each reason's count and weight and the notices' details.",
  security: signedIn,
  request: { query: z.object({ siteId: z.string().max(63) }) },
  responses: {
    200: { description: 'The queue', content: { 'application/json': { schema: reportQueueSchema } } },
    ...authProblems,
    404: problem('No such site (admins)'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/comments/{id}/reports',
  tags: ['Moderation'],
  summary: "A comment's reports, decided or not",
  security: signedIn,
  request: { params: z.object({ id: z.string() }) },
  responses: { ...one, ...authProblems, 404: problem('No such comment, or it has no reports') },
});

const dismissRoute = createRoute({
  method: 'post',
  path: '/comments/{id}/reports/dismiss',
  tags: ['Moderation'],
  summary: "Dismiss a comment's open reports",
  description:
    "The comment stays published, or is published again if the reports hid it. Each reporter's reliability falls.",
  security: signedIn,
  request: {
    params: z.object({ id: z.string() }),
    body: { content: { 'application/json': { schema: dismissBodySchema } }, required: false },
  },
  responses: { ...one, ...authProblems, 404: problem('No such comment, or no open reports') },
});

const upholdRoute = createRoute({
  method: 'post',
  path: '/comments/{id}/reports/uphold',
  tags: ['Moderation'],
  summary: "Uphold a comment's open reports: reject it or mark it spam",
  description: "Each reporter's reliability rises. The status change is logged like any other.",
  security: signedIn,
  request: {
    params: z.object({ id: z.string() }),
    body: { content: { 'application/json': { schema: upholdBodySchema } }, required: true },
  },
  responses: {
    ...one,
    ...authProblems,
    404: problem('No such comment, or no open reports'),
    409: problem('This status change is not allowed'),
  },
});

export function reportModerationRoutes(deps: AuthDeps & { reports: ReportService }) {
  const app = openApiRouter();
  const auth = requireAuth(deps);
  // Mounted beside the moderation router: authenticate unless it already did.
  const signedInOnly: MiddlewareHandler<AppEnv> = (c, next) => (c.get('principal') ? next() : auth(c, next));
  app.use('/reports', signedInOnly);
  app.use('/comments/:id/reports', signedInOnly);
  app.use('/comments/:id/reports/*', signedInOnly);
  app.openapi(queueRoute, async (c) =>
    c.json({ comments: await deps.reports.queue(c.get('principal'), c.req.valid('query').siteId) }, 200),
  );
  app.openapi(listRoute, async (c) =>
    c.json(await deps.reports.ofComment(c.get('principal'), c.req.valid('param').id), 200),
  );
  app.openapi(dismissRoute, async (c) => {
    const body = c.req.valid('json') as { reason?: string } | undefined;
    return c.json(await deps.reports.dismiss(c.get('principal'), c.req.valid('param').id, body?.reason || null), 200);
  });
  app.openapi(upholdRoute, async (c) => {
    const { action, reason } = c.req.valid('json');
    return c.json(await deps.reports.uphold(c.get('principal'), c.req.valid('param').id, action, reason || null), 200);
  });
  return app;
}
