// Who is calling the moderation and admin API: an API token (`Authorization: Bearer`) or the dashboard's
// session cookie. Cookie-authenticated writes must also carry the session's CSRF token
// (X-CSRF-Token); bearer calls cannot be forged by a browser, so they are exempt.
import type { Context, MiddlewareHandler } from 'hono';
import type { Principal } from '../domain/principal.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ForbiddenError, UnauthenticatedError } from '../shared/errors.ts';
import type { SessionService } from './session.service.ts';
import { type CookieContext, readSessionCookie } from './session-cookie.ts';
import type { TokenService } from './token.service.ts';

export interface AuthDeps {
  sessions: SessionService;
  tokens: TokenService;
  cookies: CookieContext;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The caller, or null when the request carries no valid credentials. */
async function identify(c: Context, deps: AuthDeps): Promise<Principal | null> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    // A bad token never falls back to a cookie: the caller meant the token.
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match ? deps.tokens.resolve(match[1]!) : null;
  }
  const cookie = readSessionCookie(c, deps.cookies);
  return cookie ? deps.sessions.resolve(cookie) : null;
}

export function requireAuth(deps: AuthDeps): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const principal = await identify(c, deps);
    if (!principal)
      throw new UnauthenticatedError('Sign in, or send Authorization: Bearer <API token>.', {
        code: 'unauthenticated',
      });
    if (
      principal.via === 'session' &&
      !SAFE_METHODS.has(c.req.method) &&
      !deps.sessions.checkCsrf(principal.sessionId!, c.req.header('x-csrf-token'))
    ) {
      throw new ForbiddenError('Missing or wrong X-CSRF-Token header for a signed-in session.', { code: 'csrf' });
    }
    c.set('principal', principal);
    await next();
  };
}
