// 405 with Allow for a known path asked with a method it does not serve (RFC 9110 §15.5.6), answered before any
// router's authentication: a wrong method is the caller's mistake whoever they are, and says nothing secret.
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { TrieRouter } from 'hono/router/trie-router';
import { problemResponse } from './problem.ts';

// Middleware is registered as ALL (and is not a method a path serves); OPTIONS is left to CORS preflight.
const SKIPPED = new Set(['ALL', 'OPTIONS']);

/** Reads the app's route table on first use, when every router is mounted. */
export function methodNotAllowed(app: Hono<never>): MiddlewareHandler {
  let router: TrieRouter<string> | undefined;
  let methods: string[] = [];
  const build = () => {
    const r = new TrieRouter<string>();
    const seen = new Set<string>();
    for (const route of app.routes) {
      if (SKIPPED.has(route.method)) continue;
      r.add(route.method, route.path, route.method);
      seen.add(route.method);
    }
    methods = [...seen];
    return r;
  };
  const serves = (r: TrieRouter<string>, method: string, path: string) => r.match(method, path)[0].length > 0;
  const allowedOn = (path: string) => {
    router ??= build();
    const allowed = methods.filter((m) => serves(router!, m, path));
    if (allowed.includes('GET')) allowed.push('HEAD');
    return allowed;
  };
  // A CORS preflight is answered by the site API's middleware; any other OPTIONS of a known path (and a
  // preflight nothing answered) asks what the path serves: 204 with Allow (RFC 9110 §9.3.7), not a 404.
  const options: MiddlewareHandler = async (c, next) => {
    await next();
    if (c.res.status !== 404) return;
    const allowed = allowedOn(c.req.path);
    if (allowed.length === 0) return;
    c.res = new Response(null, { status: 204, headers: { allow: [...allowed, 'OPTIONS'].join(', ') } });
  };
  const refuse = async (c: Context, method: string, path: string, allowed: string[]) => {
    const res = problemResponse(
      c,
      405,
      `${method} is not allowed on ${path.slice(0, 200)}; use ${allowed.join(', ')}.`,
    );
    res.headers.set('allow', allowed.join(', '));
    return res;
  };
  // Not an async function: a request its route serves passes straight on, with no promise of its own.
  return (c, next) => {
    const method = c.req.method;
    if (method === 'OPTIONS') return options(c, next);
    // The app's router already matched this request: a route of its own method among the matches means
    // it is served (middleware is ALL), with no second match over the whole table on every request.
    const asked = method === 'HEAD' ? 'GET' : method;
    for (const route of matchedRoutes(c)) if (route.method === asked) return next();
    const path = c.req.path;
    const allowed = allowedOn(path);
    if (allowed.length === 0) return next(); // an unknown path: 404 from notFound
    return refuse(c, method, path, allowed);
  };
}
