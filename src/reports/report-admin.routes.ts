// Admin: a site's report transparency figures (EU DSA Art. 15/24 style): counts by reason and outcome,
// and the median time to a decision. Mounted under /api/v1/admin/sites, so only admins reach it.
import { createRoute, z } from '@hono/zod-openapi';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import { transparencySchema } from './report.schemas.ts';
import type { ReportService } from './report.service.ts';

const transparencyRoute = createRoute({
  method: 'get',
  path: '/{siteId}/reports/transparency',
  tags: ['Admin'],
  summary: "A site's reader reports by reason and outcome, and the median time to a decision",
  description:
    "Every report ever filed on the site, counted by reason and outcome (open, upheld, dismissed), the number of decisions and the median seconds from a comment's first report to the decision. Also exported as Prometheus metrics (`comments_reports`, `comments_report_decision_median_seconds`).",
  security: signedIn,
  request: { params: z.object({ siteId: z.string() }) },
  responses: {
    200: {
      description: 'The figures',
      content: { 'application/json': { schema: z.object({ transparency: transparencySchema }) } },
    },
    ...authProblems,
    404: problem('No such site'),
  },
});

export function reportAdminRoutes(deps: { reports: ReportService }) {
  const app = openApiRouter();
  app.openapi(transparencyRoute, async (c) =>
    c.json({ transparency: await deps.reports.transparency(c.get('principal'), c.req.valid('param').siteId) }, 200),
  );
  return app;
}
