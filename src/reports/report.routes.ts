// Public API: a reader reports a published comment (JSON from the widget, or a plain HTML form).
import { createRoute, z } from '@hono/zod-openapi';
import { clientIp } from '../http/client-info.ts';
import { formErrorPage, notePage, readFormOrPage, wantsHtml } from '../http/form-pages.tsx';
import { openApiRouter } from '../http/openapi.ts';
import { problem } from '../http/openapi-common.ts';
import { AppError, ValidationError } from '../shared/errors.ts';
import { zodToFieldErrors } from '../shared/validation.ts';
import { reportInputSchema } from './report.schemas.ts';
import type { ReportService } from './report.service.ts';

const reportRoute = createRoute({
  method: 'post',
  path: '/sites/{siteId}/comments/{commentId}/reports',
  tags: ['Public'],
  summary: 'Report a published comment',
  description:
    'One report per reporter (the `reporterToken`, or the client address without one) and comment; a repeat is answered the same and stores nothing. Answers 202 without counts. An HTML form post answers 303 back to the article. The reason `illegal` is an EU DSA Art. 16 notice and needs `law`, `explanation`, `reporterName`, `reporterEmail` and `goodFaith: true`.',
  request: {
    params: z.object({ siteId: z.string(), commentId: z.string() }),
    body: {
      content: {
        'application/json': { schema: reportInputSchema },
        'application/x-www-form-urlencoded': { schema: reportInputSchema },
      },
      required: true,
    },
  },
  responses: {
    202: {
      description: 'Received',
      content: { 'application/json': { schema: z.object({ received: z.literal(true) }) } },
    },
    303: { description: 'Form post received; back to the article' },
    400: problem('Invalid input; `errors` names each field'),
    403: problem('Origin not allowed'),
    404: problem('Unknown site, or no published comment with this id'),
    413: problem('Body too large'),
    415: problem('Not JSON or a form'),
    429: problem('Too many reports; see Retry-After'),
  },
});

export function reportRoutes(deps: { reports: ReportService; trustProxy: boolean }) {
  const app = openApiRouter();
  app.openAPIRegistry.registerPath(reportRoute);
  app.post('/sites/:siteId/comments/:commentId/reports', async (c) => {
    const body = await readFormOrPage(c, 'Your report was not sent');
    if (body instanceof Response) return body;
    const { format, data } = body;
    try {
      const parsed = reportInputSchema.safeParse(data);
      if (!parsed.success) throw new ValidationError(zodToFieldErrors(parsed.error));
      const siteId = c.req.param('siteId');
      const commentId = c.req.param('commentId');
      const { articleUrl } = await deps.reports.submit(siteId, commentId, parsed.data, {
        ip: clientIp(c, deps.trustProxy),
      });
      if (format === 'form') {
        if (!articleUrl) return c.html(notePage({ title: 'Thank you', lines: ['Thank you for your report.'] }), 202);
        const url = new URL(articleUrl);
        url.searchParams.set('reported', commentId);
        url.hash = `comment-${commentId}`;
        return c.redirect(url.toString(), 303);
      }
      return c.json({ received: true as const }, 202);
    } catch (err) {
      if (format === 'form' && err instanceof AppError && wantsHtml(c))
        return formErrorPage(c, err, 'Your report was not sent');
      throw err;
    }
  });
  return app;
}
