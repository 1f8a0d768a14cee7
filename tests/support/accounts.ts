// Accounts for tests: users made through the same service the CLI and dashboard use, signed in over
// the real login route, or given an API token.
import type { User } from '../../src/auth/user.service.ts';
import type { UserRole } from '../../src/domain/principal.ts';
import { call, type JsonResponse } from './http.ts';
import type { TestContext } from './test-app.ts';

export const PASSWORD = 'a long enough test password';
const setup = { type: 'cli' as const, id: 'test-setup' };

export async function createUser(
  ctx: TestContext,
  email: string,
  role: UserRole,
  siteIds: string[] = [],
  password = PASSWORD,
): Promise<User> {
  return ctx.container.users.create({ email, role, password, siteIds }, setup);
}

export async function tokenFor(ctx: TestContext, user: User): Promise<string> {
  return (await ctx.container.tokens.create(user.id, 'test', setup)).token;
}

export interface Session {
  cookie: string;
  csrf: string;
  /** The session's Set-Cookie header. */
  setCookie: string;
  /** The device cookie (`name=value`) the sign-in gave this browser. */
  device: string;
}

/** The Set-Cookie header of the cookie called `name` (with or without the __Host- prefix). */
export function setCookieNamed(headers: Headers, name: string): string | undefined {
  return headers.getSetCookie().find((c) => c.startsWith(`${name}=`) || c.startsWith(`__Host-${name}=`));
}

/** Signs in with the JSON login route; the cookie and CSRF token as a browser would keep them. */
export async function signIn(
  ctx: TestContext,
  email: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
): Promise<Session> {
  const res = await ctx.app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const setCookie = setCookieNamed(res.headers, 'cms_session') ?? '';
  const body = (await res.json()) as { csrfToken: string };
  const device = setCookieNamed(res.headers, 'cms_device')?.split(';')[0] ?? '';
  return { cookie: setCookie.split(';')[0]!, csrf: body.csrfToken, setCookie, device };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A JSON call with the given credentials. */
export function api(
  ctx: TestContext,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<JsonResponse> {
  return call(ctx, path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** A dashboard form post from the dashboard's own origin, with the session's CSRF token unless told otherwise. */
export function dashboardPost(
  ctx: TestContext,
  path: string,
  session: Session | null,
  form: Record<string, string | string[]>,
  opts: { csrf?: string | null; origin?: string | null } = {},
) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of ([] as string[]).concat(v)) body.append(k, item);
  const csrf = opts.csrf === undefined ? session?.csrf : opts.csrf;
  if (csrf) body.set('_csrf', csrf);
  const origin = opts.origin === undefined ? 'http://localhost' : opts.origin;
  return ctx.app.request(`http://localhost${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin ? { origin } : {}),
      ...(session ? { cookie: session.cookie } : {}),
    },
    body: body.toString(),
  });
}

export async function dashboardGet(ctx: TestContext, path: string, session: Session | null) {
  const res = await ctx.app.request(`http://localhost${path}`, { headers: session ? { cookie: session.cookie } : {} });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
