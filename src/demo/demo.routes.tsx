// GET / : the demo article, its published thread and the no-JavaScript comment form.
import { Hono } from 'hono';
import type { ThreadService } from '../comments/thread.service.ts';
import type { AppEnv } from '../http/app-env.ts';
import { selfOrigin } from '../http/client-info.ts';
import { AppError, NotFoundError } from '../shared/errors.ts';
import { uuidPattern } from '../shared/ids.ts';
import { DemoPage } from './demo-page.tsx';
import { DEMO_SITE_ID, loadDemoArticle } from './seed-article.ts';

export function demoRoutes(deps: { threads: ThreadService; publicUrl: string | null }) {
  const app = new Hono<AppEnv>();
  const article = loadDemoArticle();

  app.get('/', async (c) => {
    const cursorParam = c.req.query('cursor');
    const cursor = cursorParam && cursorParam.length <= 200 ? cursorParam : null;
    let thread = null;
    try {
      thread = await deps.threads.get(DEMO_SITE_ID, article.id, {
        sort: 'oldest',
        limit: 50,
        cursor: cursor ?? undefined,
      });
    } catch (err) {
      // No comment yet (the article is created on its first comment), or a stale cursor.
      if (!(err instanceof NotFoundError) && !(err instanceof AppError && err.kind === 'invalid')) throw err;
    }
    const replyToId = c.req.query('replyTo');
    const replyTo =
      replyToId && uuidPattern.test(replyToId) && thread
        ? (flatten(thread.comments).find((cm) => cm.id === replyToId) ?? null)
        : null;
    const reportId = c.req.query('report');
    const reportOf =
      reportId && uuidPattern.test(reportId) && thread
        ? (flatten(thread.comments).find((cm) => cm.id === reportId) ?? null)
        : null;
    // The report route's 303 comes back with ?reported=<id>.
    const status = c.req.query('reported') ? 'reported' : c.req.query('status');
    const origin = selfOrigin(c, deps.publicUrl) ?? '';
    c.header('Cache-Control', 'no-store');
    return c.html(
      '<!doctype html>' +
        (
          <DemoPage
            article={article}
            siteId={DEMO_SITE_ID}
            thread={thread}
            replyTo={replyTo}
            notice={status === 'pending' || status === 'approved' || status === 'reported' ? status : null}
            reportOf={reportOf}
            articleUrl={`${origin}/`}
            renderedAt={Date.now()}
            cursor={cursor}
          />
        ).toString(),
    );
  });

  return app;
}

function flatten<T extends { replies: T[] }>(items: T[]): T[] {
  return items.flatMap((i) => [i, ...flatten(i.replies)]);
}
