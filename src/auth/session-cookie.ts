// The dashboard's cookies (the session, and the device cookie of login-limiter.ts): HttpOnly,
// SameSite=Lax, and Secure with the __Host- prefix whenever the service is reached over TLS.
// A request reached over TLS reads only the __Host- cookie: a plain `cms_session` there may have been
// set by a sibling subdomain (cookie tossing: `Domain=example.com` reaches every host under it), and
// the prefix is what a browser refuses to let anyone but this host set. Plain HTTP (localhost during
// development, or a closed network) uses and reads only the plain name: browsers keep no Secure
// cookie from a plain-HTTP site (Safari not even from localhost), and without TLS anyone on the path
// can read and set cookies anyway.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { DEVICE_COOKIE_MAX_AGE_SECONDS } from './device-cookie.ts';
import { SESSION_ABSOLUTE_MS } from './session.service.ts';

const SESSION = 'cms_session';
const DEVICE = 'cms_device';

export interface CookieContext {
  publicUrl: string | null;
  trustProxy: boolean;
}

/**
 * TLS when PUBLIC_URL says https, when the request itself is https, or when a proxy says it was
 * (X-Forwarded-Proto: https). The header is believed even without TRUST_PROXY: it can only make
 * the cookie stricter, never weaker.
 */
function isSecureRequest(c: Context, o: CookieContext): boolean {
  if (o.publicUrl) return o.publicUrl.startsWith('https:');
  if (c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https') return true;
  try {
    return new URL(c.req.url).protocol === 'https:';
  } catch {
    return false;
  }
}

function read(c: Context, o: CookieContext, name: string): string | undefined {
  return isSecureRequest(c, o) ? getCookie(c, name, 'host') : getCookie(c, name);
}

function write(c: Context, o: CookieContext, name: string, value: string, maxAgeSeconds: number): void {
  const secure = isSecureRequest(c, o);
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure,
    maxAge: maxAgeSeconds,
    ...(secure ? { prefix: 'host' as const } : {}),
  });
}

export const readSessionCookie = (c: Context, o: CookieContext) => read(c, o, SESSION);

export function setSessionCookie(c: Context, o: CookieContext, token: string): void {
  write(c, o, SESSION, token, Math.floor(SESSION_ABSOLUTE_MS / 1000));
}

export function clearSessionCookie(c: Context, o: CookieContext): void {
  const secure = isSecureRequest(c, o);
  deleteCookie(c, SESSION, { path: '/', secure, ...(secure ? { prefix: 'host' as const } : {}) });
}

export const readDeviceCookie = (c: Context, o: CookieContext) => read(c, o, DEVICE);

export function setDeviceCookie(c: Context, o: CookieContext, value: string): void {
  write(c, o, DEVICE, value, DEVICE_COOKIE_MAX_AGE_SECONDS);
}
