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
import { methodNotAllowed } from './http/method-not-allowed.ts';
import { registerSecuritySchemes } from './http/openapi-common.ts';
import { serveOpenApiDocument } from './http/openapi-document.ts';
import { errorToResponse, problemResponse } from './http/problem.ts';
import { problemPages } from './http/problem-pages.ts';
import { PublicFirstRouter } from './http/public-first-router.ts';
import { READS_OWN_BODY } from './http/read-body.ts';
import { requestContext } from './http/request-context.ts';
import { siteCors } from './http/site-cors.ts';
import { textGuard } from './http/text-guard.ts';
import { warnAboutUntrustedProxy } from './http/untrusted-proxy.ts';
import { moderationRoutes } from './moderation/moderation.routes.ts';
import { healthRoutes } from './observability/health.routes.ts';
import { requestMetrics } from './observability/request-metrics.ts';
import { authorExportRoutes } from './readers/author-export.routes.ts';
import { manageRoutes } from './readers/manage.routes.tsx';
import { reportRoutes } from './reports/report.routes.ts';
import { reportModerationRoutes } from './reports/report-moderation.routes.ts';
import { PayloadTooLargeError } from './shared/errors.ts';
import { subscriptionRoutes } from './subscriptions/subscription.routes.tsx';
import { IMPORT_UPLOAD_PATH, transferRoutes } from './transfer/transfer.routes.ts';
import { registerWebhooks } from './webhooks/webhook-docs.ts';
import { widgetRoutes } from './widget/widget.routes.ts';

/** Comments are at most 10,000 characters; 64 KiB leaves room for the other fields and encoding. */
const MAX_BODY_BYTES = 64 * 1024;
/**
 * The one larger bound: site settings carry word and block lists (up to 5,000 entries of 100
 * characters each), sent by the admin API, the dashboard's settings form and CLI commands run in the
 * server. Still counted while streaming, so a body over it costs at most this much.
 */
const MAX_SETTINGS_BODY_BYTES = 4 * 1024 * 1024;
const SETTINGS_WRITES = /^\/(?:api\/v1\/admin\/sites|dashboard\/sites)(?:\/[^/]+)?\/?$|^\/internal\/cli$/;

function bodyLimitOf(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new PayloadTooLargeError(`The body must be at most ${maxSize / 1024} KiB.`);
    },
  });
}

export function createApp(container: Container) {
  const { config, log } = container;
  const app = new OpenAPIHono<AppEnv>({ router: new PublicFirstRouter() });

  app.use(requestContext(log, requestMetrics(container.metrics)));
  app.onError((err, c) =>
    errorToResponse(err, c, (e) => (c.get('log')?.() ?? log).error({ err: e }, 'request failed')),
  );
  if (!config.trustProxy) app.use(warnAboutUntrustedProxy(log));
  app.use(methodNotAllowed(app as never));
  app.notFound((c) => problemResponse(c, 404, `Nothing at ${c.req.method} ${c.req.path.slice(0, 200)}.`));

  const limitBody = bodyLimitOf(MAX_BODY_BYTES);
  const limitSettingsBody = bodyLimitOf(MAX_SETTINGS_BODY_BYTES);
  // A limit on every route (API, dashboard and its sign-in form, the CLI forward, unknown paths),
  // counted while the body streams in: a larger body is refused at the limit, never buffered whole.
  // Only for methods that carry a body: looking for one makes the node adapter build a full Request.
  // The import upload streams to disk under its own, larger limit (transfer/import-job.service.ts).
  const ownLimit = (c: { req: { method: string; path: string } }) =>
    c.req.method === 'POST' && IMPORT_UPLOAD_PATH.test(c.req.path);
  app.use('*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || ownLimit(c)) return next();
    // The public POST routes count their body while reading it from the socket (http/read-body.ts).
    if (c.req.method === 'POST' && READS_OWN_BODY.test(c.req.path)) return next();
    return SETTINGS_WRITES.test(c.req.path) ? limitSettingsBody(c, next) : limitBody(c, next);
  });
  app.use('/api/v1/sites/:siteId/*', siteCors(container.sites, config.publicUrl, log));
  // The public comment routes check their fields themselves (and answer HTML forms in HTML); the import
  // upload is a file, streamed to disk, never parsed here.
  for (const signedIn of ['/api/v1/moderation/*', '/api/v1/admin/*', '/api/v1/auth/*', '/dashboard/*'])
    app.use(signedIn, (c, next) => (ownLimit(c) ? next() : textGuard(c, next)));

  app.route(
    '/api/v1',
    commentRoutes({
      submission: container.submission,
      threads: container.threads,
      trustProxy: config.trustProxy,
      publicUrl: config.publicUrl,
    }),
  );
  app.route('/api/v1', reportRoutes({ reports: container.reports, trustProxy: config.trustProxy }));
  // Moderation and admin: each router authenticates every request it serves (see its file).
  const cookies = { publicUrl: config.publicUrl, trustProxy: config.trustProxy };
  const auth = { sessions: container.sessions, tokens: container.tokens, cookies };
  app.route('/api/v1/auth', authRoutes({ ...auth, login: container.login }));
  app.route(
    '/api/v1/moderation',
    moderationRoutes({
      ...auth,
      moderation: container.moderation,
      review: container.review,
      bans: container.bans,
      articles: container.articles,
    }),
  );
  app.route('/api/v1/moderation', reportModerationRoutes({ ...auth, reports: container.reports }));
  app.route('/api/v1/admin', adminRoutes({ ...auth, ...container }));
  app.route('/api/v1/admin', transferRoutes({ ...auth, ...container }));
  app.route('/api/v1/admin/sites', authorExportRoutes({ ...auth, readers: container.readers }));
  registerSecuritySchemes(app.openAPIRegistry);
  registerWebhooks(app.openAPIRegistry);

  serveOpenApiDocument(app, '/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Comment moderation service',
      version: '1.0.0',
      description:
        'Public API for comment forms and threads; moderation and admin API for the dashboard and scripts (session cookie or Bearer API token). Errors are application/problem+json (RFC 9457).',
    },
  });
  app.route('/dashboard', dashboardRoutes({ ...container, cookies }));
  app.route(
    '/mail/manage',
    manageRoutes({ readers: container.readers, baseUrl: container.baseUrl, trustProxy: config.trustProxy }),
  );
  app.route('/mail', subscriptionRoutes({ subscriptions: container.subscriptions, trustProxy: config.trustProxy }));
  app.route('/', healthRoutes(container));
  app.route('/', docsRoutes());
  app.route('/', problemPages());
  app.route('/', widgetRoutes());
  if (config.demo) app.route('/', demoRoutes({ threads: container.threads, publicUrl: config.publicUrl }));
  return app;
}
