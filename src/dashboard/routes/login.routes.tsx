// Sign in and out of the dashboard. A new session (and cookie) at every sign-in; signing out ends it
// on the server, not only in the browser.
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import type { LoginService } from '../../auth/login.service.ts';
import type { SessionService } from '../../auth/session.service.ts';
import {
  type CookieContext,
  clearSessionCookie,
  readDeviceCookie,
  readSessionCookie,
  setDeviceCookie,
  setSessionCookie,
} from '../../auth/session-cookie.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { clientIp } from '../../http/client-info.ts';
import { errorToResponse } from '../../http/problem.ts';
import { AppError, ForbiddenError } from '../../shared/errors.ts';
import { render } from '../components/layout.tsx';
import { safeReturn } from '../dashboard-http.tsx';
import { LoginPage } from '../pages/login.tsx';

export function loginRoutes(deps: { login: LoginService; sessions: SessionService; cookies: CookieContext }) {
  const app = new Hono<AppEnv>();
  const sameOrigin = csrf(
    deps.cookies.publicUrl
      ? { origin: (o, c) => o === new URL(deps.cookies.publicUrl!).origin || o === new URL(c.req.url).origin }
      : {},
  );

  app.get('/login', async (c) => {
    const next = safeReturn(c.req.query('next'));
    const token = readSessionCookie(c, deps.cookies);
    if (token && (await deps.sessions.resolve(token))) return c.redirect(next, 303);
    return c.html(render(<LoginPage next={next} />));
  });

  app.post('/login', async (c) => {
    await sameOrigin(c, async () => {}).catch(() => {
      throw new ForbiddenError('This sign-in did not come from the dashboard.', { code: 'csrf' });
    });
    const form = await c.req.parseBody();
    const next = safeReturn(form.next);
    const email = typeof form.email === 'string' ? form.email : '';
    try {
      const result = await deps.login.login(
        { email, password: form.password },
        {
          ip: clientIp(c, deps.cookies.trustProxy),
          userAgent: c.req.header('user-agent') ?? null,
          deviceCookie: readDeviceCookie(c, deps.cookies),
          sessionCookie: readSessionCookie(c, deps.cookies) ?? undefined,
        },
      );
      setSessionCookie(c, deps.cookies, result.token);
      setDeviceCookie(c, deps.cookies, result.deviceCookie);
      return c.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      // The same status and words as the API (src/http/problem.ts), shown on the form.
      const problem = errorToResponse(err, c, () => {});
      const detail = ((await problem.json()) as { detail: string }).detail;
      const headers: Record<string, string> = problem.headers.get('retry-after')
        ? { 'retry-after': problem.headers.get('retry-after')! }
        : {};
      return c.html(render(<LoginPage next={next} email={email} error={detail} />), problem.status as 401, headers);
    }
  });

  return app;
}

/** Registered behind the session and CSRF checks. */
export function logoutRoute(deps: { sessions: SessionService; cookies: CookieContext }) {
  const app = new Hono<AppEnv>();
  app.post('/logout', async (c) => {
    const who = c.get('principal');
    if (who.sessionId) await deps.sessions.end(who.sessionId);
    clearSessionCookie(c, deps.cookies);
    return c.redirect('/dashboard/login', 303);
  });
  return app;
}
