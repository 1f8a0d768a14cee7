// Admin: correct an article's URL (the link moderators click and webhooks carry) and title.
import { createRoute, z } from '@hono/zod-openapi';
import { articleSchema } from '../articles/article.schemas.ts';
import type { ArticleService } from '../articles/article.service.ts';
import { actorOf } from '../domain/principal.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';

const articlePatchSchema = z
  .object({
    url: z.string().max(2048).nullable().optional().openapi({
      description: "An http(s) URL on one of the site's allowed origins, or null for none.",
    }),
    title: z.string().max(1000).nullable().optional().openapi({ description: '1-300 characters, or null for none.' }),
  })
  .strict()
  .openapi('ArticlePatch');

const updateRoute = createRoute({
  method: 'patch',
  path: '/sites/{siteId}/articles/{articleId}',
  tags: ['Admin'],
  summary: "Correct an article's URL or title",
  description:
    "Comments set an article's URL and title only from the site's allowed origins, and fill in or correct them only while they are missing or off those origins; this edit is final (comments never change them afterwards). Audited.",
  security: signedIn,
  request: {
    params: z.object({ siteId: z.string(), articleId: z.string() }),
    body: { content: { 'application/json': { schema: articlePatchSchema } }, required: true },
  },
  responses: {
    200: {
      description: 'The article',
      content: { 'application/json': { schema: z.object({ article: articleSchema }) } },
    },
    ...authProblems,
    404: problem('No such site or article'),
  },
});

export function articleAdminRoutes(deps: { articles: ArticleService }) {
  const app = openApiRouter();
  app.openapi(updateRoute, async (c) => {
    const { siteId, articleId } = c.req.valid('param');
    const article = await deps.articles.update(actorOf(c.get('principal')), siteId, articleId, c.req.valid('json'));
    return c.json({ article }, 200);
  });
  return app;
}
