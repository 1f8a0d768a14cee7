// POST /api/v1/auth/login and /logout, GET /api/v1/auth/me: the session cookie for the dashboard and
// for scripts that prefer a session to an API token.
import { createRoute, z } from '@hono/zod-openapi';
import { clientIp } from '../http/client-info.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, isoDate, problem, signedIn } from '../http/openapi-common.ts';
import { type AuthDeps, requireAuth } from './auth.middleware.ts';
import { type LoginService, loginInputSchema } from './login.service.ts';
import {
  clearSessionCookie,
  readDeviceCookie,
  readSessionCookie,
  setDeviceCookie,
  setSessionCookie,
} from './session-cookie.ts';

const meSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(['admin', 'moderator']),
    siteIds: z.array(z.string()).openapi({ description: 'Assigned sites (admins work on every site).' }),
  })
  .openapi('Me');

const loginRoute = createRoute({
  method: 'post',
  path: '/login',
  tags: ['Accounts'],
  summary: 'Sign in: sets the session cookie',
  description:
    'Answers the CSRF token to send as X-CSRF-Token on writes made with the cookie. Failed sign-ins lock the account out for browsers without its device cookie (429 with Retry-After) and slow their IP down; a browser that signed in before keeps its own budget.',
  request: {
    body: { content: { 'application/json': { schema: loginInputSchema.openapi('LoginInput') } }, required: true },
  },
  responses: {
    200: {
      description: 'Signed in',
      headers: {
        'Set-Cookie': {
          description:
            'The session cookie (cms_session, __Host- prefixed over HTTPS; HttpOnly, SameSite=Lax) and the device cookie that keeps this browser its own sign-in budget.',
          schema: { type: 'string' },
          required: true,
        },
      },
      content: {
        'application/json': { schema: z.object({ user: meSchema, csrfToken: z.string(), expiresAt: isoDate }) },
      },
    },
    400: problem('Missing email or password'),
    401: problem('Wrong email or password'),
    429: problem('Too many failed sign-ins; see Retry-After'),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/logout',
  tags: ['Accounts'],
  summary: 'Sign out: ends the session on the server and clears the cookie',
  security: signedIn,
  responses: { 204: { description: 'Signed out' }, ...authProblems },
});

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['Accounts'],
  summary: 'Who you are signed in as',
  security: signedIn,
  responses: {
    200: { description: 'The account', content: { 'application/json': { schema: z.object({ user: meSchema }) } } },
    ...authProblems,
  },
});

export function authRoutes(deps: AuthDeps & { login: LoginService }) {
  const app = openApiRouter();
  const signedInOnly = requireAuth(deps);

  app.openapi(loginRoute, async (c) => {
    const client = {
      ip: clientIp(c, deps.cookies.trustProxy),
      userAgent: c.req.header('user-agent') ?? null,
      deviceCookie: readDeviceCookie(c, deps.cookies),
      sessionCookie: readSessionCookie(c, deps.cookies) ?? undefined,
    };
    const result = await deps.login.login(c.req.valid('json'), client);
    setSessionCookie(c, deps.cookies, result.token);
    setDeviceCookie(c, deps.cookies, result.deviceCookie);
    c.header('Cache-Control', 'no-store');
    const { userId, email, role, siteIds } = result.principal;
    return c.json(
      { user: { id: userId, email, role, siteIds }, csrfToken: result.csrfToken, expiresAt: result.expiresAt },
      200,
    );
  });

  app.use('/logout', signedInOnly);
  app.openapi(logoutRoute, async (c) => {
    const principal = c.get('principal');
    if (principal.sessionId) await deps.sessions.end(principal.sessionId);
    clearSessionCookie(c, deps.cookies);
    return c.body(null, 204);
  });

  app.use('/me', signedInOnly);
  app.openapi(meRoute, (c) => {
    const { userId, email, role, siteIds } = c.get('principal');
    return c.json({ user: { id: userId, email, role, siteIds } }, 200);
  });
  return app;
}
