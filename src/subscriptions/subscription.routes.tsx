// The links in subscription mail. GET shows a page with one button (mail scanners follow GET links,
// so a GET never changes anything); POST acts. POST /mail/unsubscribe with `List-Unsubscribe=One-Click`
// is the RFC 8058 one-click unsubscribe mail providers send. Bad tokens: 400, nothing changes.
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { clientIp } from '../http/client-info.ts';
import { formErrorPage, notePage, wantsHtml } from '../http/form-pages.tsx';
import { AppError } from '../shared/errors.ts';
import type { SubscriptionService } from './subscription.service.ts';

const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';
const here = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}?${new URLSearchParams({ token: u.searchParams.get('token') ?? '' })}`;
};

export function subscriptionRoutes(deps: { subscriptions: SubscriptionService; trustProxy: boolean }) {
  const app = new Hono<AppEnv>();
  // Errors as a page for a browser, as problem+json for everything else.
  app.onError((err, c) => {
    // Titled for what the link was for: these readers posted no comment here.
    const title = c.req.path.endsWith('/unsubscribe')
      ? 'You were not unsubscribed'
      : 'Your subscription was not confirmed';
    if (err instanceof AppError && wantsHtml(c)) return formErrorPage(c, err, title);
    throw err;
  });

  app.get('/confirm', (c) =>
    c.html(
      notePage({
        title: 'Confirm your subscription',
        lines: ['Press the button to start getting these mails. You can unsubscribe from any of them in one click.'],
        action: { url: here(c.req.url), label: 'Confirm' },
      }),
    ),
  );
  app.post('/confirm', async (c) => {
    const sub = await deps.subscriptions.confirm(tokenOf(c.req.url), clientIp(c, deps.trustProxy));
    const what = sub.kind === 'replies' ? 'replies to your comment' : 'new comments on this article';
    if (!wantsHtml(c)) return c.json({ confirmed: true, kind: sub.kind });
    return c.html(notePage({ title: 'Subscription confirmed', lines: [`You will get an email about ${what}.`] }));
  });

  app.get('/unsubscribe', (c) =>
    c.html(
      notePage({
        title: 'Unsubscribe',
        lines: ['Press the button to stop these mails.'],
        action: { url: here(c.req.url), label: 'Unsubscribe' },
      }),
    ),
  );
  app.post('/unsubscribe', async (c) => {
    const { scope } = await deps.subscriptions.unsubscribe(tokenOf(c.req.url));
    if (!wantsHtml(c)) return c.json({ unsubscribed: true, scope });
    const line =
      scope === 'site' ? 'You will get no more mail from this site.' : 'You will get no more mail about this.';
    return c.html(notePage({ title: 'Unsubscribed', lines: [line] }));
  });
  return app;
}
