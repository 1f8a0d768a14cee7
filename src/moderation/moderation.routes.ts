// /api/v1/moderation: signed in (session cookie or API token); each verb checks the sites it touches.
import type { ArticleService } from '../articles/article.service.ts';
import { type AuthDeps, requireAuth } from '../auth/auth.middleware.ts';
import { banRoutes } from '../bans/ban.routes.ts';
import type { BanService } from '../bans/ban.service.ts';
import { openApiRouter } from '../http/openapi.ts';
import { reviewRoutes } from '../review/review.routes.ts';
import type { ReviewService } from '../review/review.service.ts';
import { actionRoutes } from './action.routes.ts';
import { articleRoutes } from './article.routes.ts';
import type { ModerationService } from './moderation.service.ts';

export function moderationRoutes(
  deps: AuthDeps & {
    moderation: ModerationService;
    review: ReviewService;
    bans: BanService;
    articles: ArticleService;
  },
) {
  const app = openApiRouter();
  app.use('*', requireAuth(deps));
  app.route('/', reviewRoutes(deps));
  app.route('/', actionRoutes(deps));
  app.route('/bans', banRoutes(deps));
  app.route('/', articleRoutes(deps));
  return app;
}
