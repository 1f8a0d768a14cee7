// The session cookie: HttpOnly, SameSite=Lax, and Secure (with the __Host- prefix) whenever the
// dashboard is reached over TLS, directly or behind a trusted proxy.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_ABSOLUTE_MS } from './session.service.ts';

const NAME = 'cms_session';

export interface CookieContext {
  publicUrl: string | null;
  trustProxy: boolean;
}

function isSecureRequest(c: Context, o: CookieContext): boolean {
  if (o.publicUrl) return o.publicUrl.startsWith('https:');
  if (o.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https') return true;
  try {
    return new URL(c.req.url).protocol === 'https:';
  } catch {
    return false;
  }
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, NAME, 'host') ?? getCookie(c, NAME);
}

export function setSessionCookie(c: Context, o: CookieContext, token: string): void {
  const secure = isSecureRequest(c, o);
  setCookie(c, NAME, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure,
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
    ...(secure ? { prefix: 'host' as const } : {}),
  });
}

export function clearSessionCookie(c: Context, o: CookieContext): void {
  const secure = isSecureRequest(c, o);
  deleteCookie(c, NAME, { path: '/', secure, ...(secure ? { prefix: 'host' as const } : {}) });
}
