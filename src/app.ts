// Assembles the HTTP application from the container's services. No listening here: tests call app.request().
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { adminRoutes } from './admin/admin.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { commentRoutes } from './comments/comment.routes.ts';
import type { Container } from './container.ts';
import { dashboardRoutes } from './dashboard/dashboard.routes.tsx';
import { demoRoutes } from './demo/demo.routes.tsx';
import type { AppEnv } from './http/app-env.ts';
import { docsRoutes } from './http/docs.ts';
import { registerSecuritySchemes } from './http/openapi-common.ts';
import { errorToResponse, problemResponse } from './http/problem.ts';
import { requestContext } from './http/request-context.ts';
import { siteCors } from './http/site-cors.ts';
import { moderationRoutes } from './moderation/moderation.routes.ts';
import { healthRoutes } from './observability/health.routes.ts';
import { requestMetrics } from './observability/request-metrics.ts';
import { PayloadTooLargeError } from './shared/errors.ts';
import { subscriptionRoutes } from './subscriptions/subscription.routes.tsx';
import { widgetRoutes } from './widget/widget.routes.ts';

/** Comments are at most 10,000 characters; 64 KiB leaves room for the other fields and encoding. */
const MAX_BODY_BYTES = 64 * 1024;

export function createApp(container: Container) {
  const { config, log } = container;
  const app = new OpenAPIHono<AppEnv>();

  app.use(requestMetrics(container.metrics));
  app.use(...requestContext(log));
  app.onError((err, c) =>
    errorToResponse(err, c, (e) => (c.get('log')?.() ?? log).error({ err: e }, 'request failed')),
  );
  app.notFound((c) => problemResponse(c, 404, `Nothing at ${c.req.method} ${c.req.path.slice(0, 200)}.`));

  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new PayloadTooLargeError(`The body must be at most ${MAX_BODY_BYTES / 1024} KiB.`);
    },
  });
  // Only for methods that carry a body: looking for one makes the node adapter build a full Request.
  app.use('/api/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));
  app.use('/mail/*', (c, next) => (c.req.method === 'POST' ? limitBody(c, next) : next()));
  app.use('/api/v1/sites/:siteId/*', siteCors(container.sites, config.publicUrl));

  app.route(
    '/api/v1',
    commentRoutes({
      submission: container.submission,
      threads: container.threads,
      trustProxy: config.trustProxy,
      publicUrl: config.publicUrl,
    }),
  );
  // Moderation and admin: each router authenticates every request it serves (see its file).
  const auth = { sessions: container.sessions, tokens: container.tokens };
  app.route(
    '/api/v1/auth',
    authRoutes({
      ...auth,
      login: container.login,
      cookies: { publicUrl: config.publicUrl, trustProxy: config.trustProxy },
    }),
  );
  app.route(
    '/api/v1/moderation',
    moderationRoutes({ ...auth, moderation: container.moderation, review: container.review, bans: container.bans }),
  );
  app.route('/api/v1/admin', adminRoutes({ ...auth, ...container }));
  registerSecuritySchemes(app.openAPIRegistry);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Comment moderation service',
      version: '1.0.0',
      description:
        'Public API for comment forms and threads; moderation and admin API for the dashboard and scripts (session cookie or Bearer API token). Errors are application/problem+json (RFC 9457).',
    },
  });
  app.route(
    '/dashboard',
    dashboardRoutes({ ...container, cookies: { publicUrl: config.publicUrl, trustProxy: config.trustProxy } }),
  );
  app.route('/mail', subscriptionRoutes({ subscriptions: container.subscriptions, trustProxy: config.trustProxy }));
  app.route('/', healthRoutes(container));
  app.route('/', docsRoutes());
  app.route('/', widgetRoutes());
  app.route('/', demoRoutes({ threads: container.threads, publicUrl: config.publicUrl }));
  return app;
}
