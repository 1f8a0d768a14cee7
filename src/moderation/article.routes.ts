// Per-article controls for the moderators of its site: read an article, close or reopen it, set its
// own moderation mode. Admins correct its URL and title under /api/v1/admin (src/admin/article.routes.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { articleSchema } from '../articles/article.schemas.ts';
import type { ArticleService } from '../articles/article.service.ts';
import { ARTICLE_MODERATION_CHOICES } from '../domain/moderation-mode.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';

const params = z.object({ siteId: z.string().max(63), articleId: z.string().max(200) });
const answer = {
  description: 'The article',
  content: { 'application/json': { schema: z.object({ article: articleSchema }) } },
};

const controlSchema = z
  .object({
    closed: z
      .boolean()
      .optional()
      .openapi({ description: 'true closes the article to new comments; false reopens it.' }),
    moderation: z.enum(ARTICLE_MODERATION_CHOICES).optional().openapi({
      description:
        "The article's own moderation mode: all (hold every comment), first (hold an author until one is approved), none, or site (follow the site's mode again).",
    }),
  })
  .strict()
  .openapi('ArticleControl');

const getRoute = createRoute({
  method: 'get',
  path: '/sites/{siteId}/articles/{articleId}',
  tags: ['Moderation'],
  summary: 'An article: closed or open, its moderation mode',
  security: signedIn,
  request: { params },
  responses: { 200: answer, ...authProblems, 404: problem('No such article (or site, for admins)') },
});

const controlRoute = createRoute({
  method: 'patch',
  path: '/sites/{siteId}/articles/{articleId}',
  tags: ['Moderation'],
  summary: 'Close or reopen an article, or set its own moderation mode',
  description:
    "For moderators of the article's site. Reopening also keeps the site's close-after-days rule from closing it again. Each change is an audit-log row and a webhook event (article.closed, article.opened, article.updated for the mode) in one transaction; what is already so changes nothing.",
  security: signedIn,
  request: {
    params,
    body: { content: { 'application/json': { schema: controlSchema } }, required: true },
  },
  responses: { 200: answer, ...authProblems, 404: problem('No such article (or site, for admins)') },
});

export function articleRoutes(deps: { articles: ArticleService }) {
  const app = openApiRouter();
  app.openapi(getRoute, async (c) => {
    const { siteId, articleId } = c.req.valid('param');
    return c.json({ article: await deps.articles.get(c.get('principal'), siteId, articleId) }, 200);
  });
  app.openapi(controlRoute, async (c) => {
    const { siteId, articleId } = c.req.valid('param');
    const article = await deps.articles.control(c.get('principal'), siteId, articleId, c.req.valid('json'));
    return c.json({ article }, 200);
  });
  return app;
}
