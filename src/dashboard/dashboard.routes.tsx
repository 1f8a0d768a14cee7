// /dashboard: the moderators' web app, server-rendered over the same services as the API.
// Order matters: security headers on everything, then assets and the login page, then the session
// and CSRF checks in front of every other page.
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AdminService } from '../admin/admin.service.ts';
import type { ArticleService } from '../articles/article.service.ts';
import type { LoginService } from '../auth/login.service.ts';
import type { SessionService } from '../auth/session.service.ts';
import type { CookieContext } from '../auth/session-cookie.ts';
import type { TokenService } from '../auth/token.service.ts';
import type { UserService } from '../auth/user.service.ts';
import type { BanService } from '../bans/ban.service.ts';
import type { AppEnv } from '../http/app-env.ts';
import type { MailLog } from '../mail/mail-log.service.ts';
import type { ModerationService } from '../moderation/moderation.service.ts';
import type { ReportService } from '../reports/report.service.ts';
import type { LiveQueue } from '../review/live-queue.service.ts';
import type { ReviewService } from '../review/review.service.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import { assetRoutes } from './assets.ts';
import { render } from './components/layout.tsx';
import { dashboardError, pageContext, requireCsrf, requireSession } from './dashboard-http.tsx';
import { AuditPage } from './pages/audit.tsx';
import { MailListPage, MailMessagePage } from './pages/mail.tsx';
import { adminOnly } from './routes/admin-access.ts';
import { articlePages } from './routes/article-pages.routes.tsx';
import { liveQueueRoutes } from './routes/live-queue.routes.ts';
import { loginRoutes, logoutRoute } from './routes/login.routes.tsx';
import { moderationPages } from './routes/moderation-pages.routes.tsx';
import { reportedPages } from './routes/reported-pages.routes.tsx';
import { reviewPages } from './routes/review-pages.routes.tsx';
import { sitePages } from './routes/site-pages.routes.tsx';
import { userPages } from './routes/user-pages.routes.tsx';
import { deliveryPages, webhookPages } from './routes/webhook-pages.routes.tsx';

export interface DashboardDeps {
  login: LoginService;
  sessions: SessionService;
  tokens: TokenService;
  users: UserService;
  sites: SiteService;
  articles: ArticleService;
  moderation: ModerationService;
  review: ReviewService;
  liveQueue: LiveQueue;
  reports: ReportService;
  bans: BanService;
  webhooks: WebhookService;
  admin: AdminService;
  mailLog: MailLog;
  cookies: CookieContext;
}

export function dashboardRoutes(deps: DashboardDeps) {
  const app = new Hono<AppEnv>();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
    }),
    async function noStore(c, next) {
      await next();
      if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store');
    },
  );
  app.onError((err, c) => dashboardError(err, c, deps.sessions));

  app.route('/', assetRoutes());
  app.route('/', loginRoutes(deps));

  app.use('*', requireSession(deps.sessions, deps.cookies), requireCsrf(deps.sessions, deps.cookies.publicUrl));
  app.route('/', logoutRoute(deps));
  app.route('/', reviewPages(deps));
  app.route('/', liveQueueRoutes(deps));
  app.route('/', moderationPages(deps));
  app.route('/articles', articlePages(deps));
  app.route('/', reportedPages(deps));
  app.route('/sites', sitePages(deps));
  app.route('/webhooks', webhookPages(deps));
  app.route('/webhook-deliveries', deliveryPages(deps));
  app.route('/users', userPages(deps));

  const audit = new Hono<AppEnv>();
  audit.use('*', adminOnly);
  audit.get('/', async (c) => {
    const action = c.req.query('action')?.trim().slice(0, 50) || undefined;
    const page = await deps.admin.auditLog({ action, cursor: c.req.query('cursor') || undefined, limit: 50 });
    return c.html(render(<AuditPage page={pageContext(c, deps.sessions)} {...page} action={action} />));
  });
  app.route('/audit', audit);

  const mail = new Hono<AppEnv>();
  mail.use('*', adminOnly);
  mail.get('/', async (c) => {
    const list = await deps.mailLog.list({ cursor: c.req.query('cursor') || undefined, limit: 50 });
    return c.html(render(<MailListPage page={pageContext(c, deps.sessions)} mode={deps.mailLog.mode} {...list} />));
  });
  mail.get('/:id', async (c) => {
    const message = await deps.mailLog.get(c.req.param('id'));
    return c.html(
      render(<MailMessagePage page={pageContext(c, deps.sessions)} mode={deps.mailLog.mode} mail={message} />),
    );
  });
  app.route('/mail', mail);
  return app;
}
