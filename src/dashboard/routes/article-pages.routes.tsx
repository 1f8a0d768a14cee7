// An article's page (its held and published comments) and its forms: close, reopen, moderation mode.
// Each form posts and is answered with a redirect back (post/redirect/get), like the queue's.
import { type Context, Hono } from 'hono';
import type { ArticleService } from '../../articles/article.service.ts';
import type { SessionService } from '../../auth/session.service.ts';
import type { ArticleModerationChoice } from '../../domain/moderation-mode.ts';
import type { AppEnv } from '../../http/app-env.ts';
import type { ReviewService } from '../../review/review.service.ts';
import type { SiteService } from '../../sites/site.service.ts';
import { render } from '../components/layout.tsx';
import { pageContext } from '../dashboard-http.tsx';
import { ArticlePage, articlePath } from '../pages/article.tsx';

const SHOWN = 50;
const NOTICES: Record<string, string> = {
  closed: 'The article is closed to new comments.',
  opened: 'The article is open for new comments.',
  mode: 'The moderation mode is saved.',
};

export function articlePages(deps: {
  articles: ArticleService;
  review: ReviewService;
  sites: SiteService;
  sessions: SessionService;
}) {
  const app = new Hono<AppEnv>();
  const ids = (c: Context<AppEnv>) => ({ siteId: c.req.param('siteId')!, articleId: c.req.param('articleId')! });

  app.get('/:siteId/:articleId', async (c) => {
    const who = c.get('principal');
    const { siteId, articleId } = ids(c);
    // Checks the site (a moderator of another one gets 403) and that the article exists.
    const article = await deps.articles.get(who, siteId, articleId);
    const site = await deps.sites.get(siteId);
    const of = { siteId, articleId, limit: SHOWN } as const;
    const held = await deps.review.list(who, { ...of, status: 'pending' });
    const published = await deps.review.list(who, { ...of, status: 'approved' });
    const done = c.req.query('done');
    return c.html(
      render(
        <ArticlePage
          page={pageContext(c, deps.sessions)}
          article={article}
          siteMode={site.settings.moderation}
          held={held.items}
          heldCount={held.counts.pending}
          published={published.items}
          // Own keys only: `?done=constructor` must not pick up Object's inherited members.
          notice={done && Object.hasOwn(NOTICES, done) ? NOTICES[done]! : null}
        />,
      ),
    );
  });

  const back = (c: Context<AppEnv>, done: string) => {
    const { siteId, articleId } = ids(c);
    return c.redirect(`${articlePath(siteId, articleId)}?done=${done}`, 303);
  };

  app.post('/:siteId/:articleId/close', async (c) => {
    const { siteId, articleId } = ids(c);
    await deps.articles.control(c.get('principal'), siteId, articleId, { closed: true });
    return back(c, 'closed');
  });

  app.post('/:siteId/:articleId/open', async (c) => {
    const { siteId, articleId } = ids(c);
    await deps.articles.control(c.get('principal'), siteId, articleId, { closed: false });
    return back(c, 'opened');
  });

  app.post('/:siteId/:articleId/mode', async (c) => {
    const { siteId, articleId } = ids(c);
    const form = await c.req.parseBody();
    // The service refuses anything but all, first, none and site.
    const mode = (typeof form.mode === 'string' ? form.mode : '') as ArticleModerationChoice;
    await deps.articles.control(c.get('principal'), siteId, articleId, { moderation: mode });
    return back(c, 'mode');
  });

  return app;
}
