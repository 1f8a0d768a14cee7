// What every dashboard request goes through: a signed-in session (else the login page), CSRF checks on
// every write (same origin AND the session's token), and errors shown as pages.
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { SessionService } from '../auth/session.service.ts';
import { type CookieContext, readSessionCookie } from '../auth/session-cookie.ts';
import type { AppEnv } from '../http/app-env.ts';
import { errorToResponse } from '../http/problem.ts';
import { ForbiddenError, UnauthenticatedError } from '../shared/errors.ts';
import { Layout, type PageContext, render } from './components/layout.tsx';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const wantsJson = (c: Context) => (c.req.header('accept') ?? '').includes('application/json');

/** Only local dashboard paths: never an open redirect. */
export function safeReturn(value: unknown, fallback = '/dashboard/queue'): string {
  return typeof value === 'string' &&
    /^\/dashboard(\/|\?|$)/.test(value) &&
    !value.includes('//') &&
    !value.includes('\\')
    ? value
    : fallback;
}

function loginRedirect(c: Context): Response {
  const next = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : '/dashboard/queue';
  return c.redirect(`/dashboard/login?next=${encodeURIComponent(safeReturn(next))}`, 303);
}

export function requireSession(sessions: SessionService, cookies: CookieContext): MiddlewareHandler<AppEnv> {
  return async function dashboardSession(c, next) {
    const token = readSessionCookie(c, cookies);
    // The queue's live updates (its poll and its event stream) are not activity: an open tab alone
    // must not keep a session from idling out.
    const background = /\/queue\/(poll|live)$/.test(c.req.path);
    const principal = token ? await sessions.resolve(token, { activity: !background }) : null;
    if (!principal) {
      if (wantsJson(c))
        throw new UnauthenticatedError('Your session has ended; sign in again.', { code: 'unauthenticated' });
      return loginRedirect(c);
    }
    c.set('principal', principal);
    await next();
  };
}

/** Writes must come from our own pages (Origin / Sec-Fetch-Site) and carry the session's CSRF token. */
export function requireCsrf(sessions: SessionService, publicUrl: string | null): MiddlewareHandler<AppEnv> {
  const sameOrigin = csrf(
    publicUrl
      ? { origin: (origin, c) => origin === new URL(publicUrl).origin || origin === new URL(c.req.url).origin }
      : {},
  );
  return async function dashboardCsrf(c, next) {
    if (SAFE.has(c.req.method)) return next();
    try {
      await sameOrigin(c, async () => {});
    } catch (err) {
      if (err instanceof HTTPException)
        throw new ForbiddenError('This request did not come from the dashboard.', { code: 'csrf' });
      throw err;
    }
    const principal = c.get('principal');
    const form = (c.req.header('content-type') ?? '').includes('form') ? await c.req.parseBody() : {};
    const token = c.req.header('x-csrf-token') ?? (typeof form._csrf === 'string' ? form._csrf : undefined);
    if (!principal?.sessionId || !sessions.checkCsrf(principal.sessionId, token)) {
      throw new ForbiddenError(
        'This form has expired or did not come from the dashboard. Reload the page and try again.',
        { code: 'csrf' },
      );
    }
    await next();
  };
}

export function pageContext(c: Context<AppEnv>, sessions: SessionService): PageContext {
  const who = c.get('principal');
  return { who, csrf: sessions.csrfToken(who.sessionId!) };
}

/** Errors as pages, with the status and words src/http/problem.ts gives them. */
export async function dashboardError(err: Error, c: Context<AppEnv>, sessions: SessionService): Promise<Response> {
  if (err instanceof UnauthenticatedError && !wantsJson(c)) return loginRedirect(c);
  const problem = errorToResponse(err, c, (e) => c.get('log')?.().error({ err: e }, 'dashboard request failed'));
  if (wantsJson(c)) return problem;
  const body = (await problem.json()) as { title: string; detail: string };
  const who = c.get('principal');
  const page = who?.sessionId ? pageContext(c, sessions) : null;
  const html = render(
    <Layout title={body.title} page={page}>
      <h1>{body.title}</h1>
      <p>{body.detail}</p>
      <p>
        <a href="/dashboard/queue">Back to the queue</a>
      </p>
    </Layout>,
  );
  return c.html(html, problem.status as 400, { 'cache-control': 'no-store' });
}
