// The Reported tab and its decisions. Each decision is a plain form post answered with a redirect back
// (post/redirect/get), so it all works without JavaScript; assets/reported.js only adds keys.
import { Hono } from 'hono';
import type { SessionService } from '../../auth/session.service.ts';
import { isAdmin } from '../../domain/principal.ts';
import type { AppEnv } from '../../http/app-env.ts';
import type { ReportService } from '../../reports/report.service.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { SiteService } from '../../sites/site.service.ts';
import { render } from '../components/layout.tsx';
import { pageContext, safeReturn } from '../dashboard-http.tsx';
import { ReportedPage } from '../pages/reported.tsx';

const DONE = {
  dismiss: 'Reports dismissed: the comment stays published.',
  reject: 'Reports upheld: the comment was rejected.',
  spam: 'Reports upheld: the comment was marked as spam.',
} as const;
type Decision = keyof typeof DONE;

export function reportedPages(deps: { reports: ReportService; sites: SiteService; sessions: SessionService }) {
  const app = new Hono<AppEnv>();

  app.get('/reported', async (c) => {
    const who = c.get('principal');
    const site = c.req.query('site')?.trim().slice(0, 63) || undefined;
    const sites = isAdmin(who) ? (await deps.sites.list()).map((s) => s.id) : who.siteIds;
    // One site (the service checks the moderator may see it), or all of theirs.
    const shown = site ? [site] : sites;
    const queues = await Promise.all(shown.map((s) => deps.reports.queue(who, s)));
    const items = queues.flat().sort((a, b) => b.score - a.score || a.firstReportedAt.localeCompare(b.firstReportedAt));
    const transparency = await Promise.all(shown.map((s) => deps.reports.transparency(who, s)));
    const done = c.req.query('done') as Decision | undefined;
    c.header('Cache-Control', 'no-store');
    return c.html(
      render(
        <ReportedPage
          page={pageContext(c, deps.sessions)}
          siteId={site}
          sites={sites}
          items={items}
          transparency={transparency}
          notice={done && Object.hasOwn(DONE, done) ? DONE[done] : null}
        />,
      ),
    );
  });

  app.post('/reported/:id/:action', async (c) => {
    const form = await c.req.parseBody();
    const action = c.req.param('action');
    if (!Object.hasOwn(DONE, action)) throw new NotFoundError(`No decision "${action.slice(0, 50)}".`);
    const who = c.get('principal');
    const id = c.req.param('id');
    const note = typeof form.reason === 'string' && form.reason.trim() ? form.reason.trim().slice(0, 1000) : null;
    if (action === 'dismiss') await deps.reports.dismiss(who, id, note);
    else await deps.reports.uphold(who, id, action as 'reject' | 'spam', note);
    const back = safeReturn(form.return, '/dashboard/reported');
    return c.redirect(`${back}${back.includes('?') ? '&' : '?'}done=${action}`, 303);
  });

  return app;
}
