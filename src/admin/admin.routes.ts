// /api/v1/admin: signed in, and an admin. Moderators are refused before any lookup, so they learn
// nothing about what exists here.
import type { MiddlewareHandler } from 'hono';
import type { ArticleService } from '../articles/article.service.ts';
import { type AuthDeps, requireAuth } from '../auth/auth.middleware.ts';
import type { TokenService } from '../auth/token.service.ts';
import type { UserService } from '../auth/user.service.ts';
import { requireAdmin } from '../domain/principal.ts';
import type { AppEnv } from '../http/app-env.ts';
import { openApiRouter } from '../http/openapi.ts';
import type { ReportService } from '../reports/report.service.ts';
import { reportAdminRoutes } from '../reports/report-admin.routes.ts';
import type { SiteService } from '../sites/site.service.ts';
import { spamAdminRoutes } from '../spam-learning/spam.routes.ts';
import type { SpamAdmin } from '../spam-learning/spam-admin.service.ts';
import type { SubscriptionService } from '../subscriptions/subscription.service.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import type { AdminService } from './admin.service.ts';
import { articleAdminRoutes } from './article.routes.ts';
import { auditRoutes } from './audit.routes.ts';
import { siteAdminRoutes } from './site.routes.ts';
import { subscriptionAdminRoutes } from './subscription.routes.ts';
import { userAdminRoutes } from './user.routes.ts';
import { webhookAdminRoutes } from './webhook.routes.ts';

const adminOnly: MiddlewareHandler<AppEnv> = async function adminOnly(c, next) {
  requireAdmin(c.get('principal'));
  await next();
};

export function adminRoutes(
  deps: AuthDeps & {
    admin: AdminService;
    articles: ArticleService;
    sites: SiteService;
    users: UserService;
    tokens: TokenService;
    webhooks: WebhookService;
    spamAdmin: SpamAdmin;
    subscriptions: SubscriptionService;
    reports: ReportService;
  },
) {
  const app = openApiRouter();
  app.use('*', requireAuth(deps), adminOnly);
  app.route('/sites', siteAdminRoutes(deps));
  app.route('/sites', spamAdminRoutes(deps));
  app.route('/sites', reportAdminRoutes(deps));
  app.route('/', articleAdminRoutes(deps));
  app.route('/', userAdminRoutes(deps));
  app.route('/', webhookAdminRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', subscriptionAdminRoutes(deps));
  return app;
}
