// CORS for the public site API: only the site's allowed origins may read answers or post from a browser.
// Written here rather than with hono/cors: that middleware adds `Vary` after the handler has answered,
// which makes the Node adapter rebuild every response (a third of a cached thread page's cost). The
// headers go with the request context's (http/request-context.ts), never through a WHATWG Headers.
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { Logger } from 'pino';
import { ForbiddenError } from '../shared/errors.ts';
import type { AppEnv } from './app-env.ts';
import { selfOrigin } from './client-info.ts';
import { originRefusalLog } from './origin-refusals.ts';
import { errorToResponse } from './problem.ts';
import { addResponseHeader, requestHeader } from './request-context.ts';

const ALLOW_METHODS = 'GET, HEAD, POST, OPTIONS';
const ALLOW_HEADERS = 'Content-Type, Idempotency-Key';
const EXPOSE_HEADERS = 'ETag, Retry-After, Idempotent-Replayed, Location';
const MAX_AGE = '600';

/** How the middleware finds a site's allowed origins (the site service, passed in by the app). */
export interface SiteOrigins {
  find(siteId: string): Promise<{ settings: { origins: string[] } } | null>;
}

export function siteCors(sites: SiteOrigins, publicUrl: string | null, log: Logger): MiddlewareHandler<AppEnv> {
  const noteRefusal = originRefusalLog(log);
  /** Null when the site does not exist (the handler answers 404). */
  const isAllowed = async (
    origin: string,
    siteId: string | undefined,
    self: string | null,
  ): Promise<boolean | null> => {
    const site = siteId ? await sites.find(siteId) : null;
    if (!site) return null;
    if (self && origin === self) return true; // our own pages (the demo article)
    return site.settings.origins.includes(origin);
  };

  /** A browser's cross-origin request: the answer depends on the site's allowed origins. */
  const fromOrigin = async (c: Context<AppEnv>, next: Next, origin: string) => {
    const allowed = await isAllowed(origin, c.req.param('siteId'), selfOrigin(c, publicUrl));
    if (c.req.method === 'OPTIONS') {
      if (!allowed) return c.body(null, 204);
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': MAX_AGE,
        Vary: 'Origin, Access-Control-Request-Headers',
      });
    }
    if (allowed === false) {
      // Refused before anything is read or stored (browsers send simple POSTs without a preflight). The
      // refusal itself is readable by the page, so the widget can say what to configure instead of
      // failing as if the service were down; it carries nothing of the site's.
      const siteId = c.req.param('siteId')!;
      const shown = origin.slice(0, 200);
      noteRefusal(siteId, shown);
      const refusal = new ForbiddenError(
        `Origin ${shown} is not allowed for site "${siteId}". Add it to the site's allowed origins: npm run cli -- sites:update --id ${siteId} --origin ${shown}`,
        { code: 'origin_not_allowed' },
      );
      const res = errorToResponse(refusal, c, () => {});
      res.headers.set('Access-Control-Allow-Origin', origin);
      res.headers.set('Vary', 'Origin');
      return res;
    }
    if (!allowed) return next();
    // Error answers too get these (the widget reads their field errors): the request context adds
    // them to every answer that does not set them itself.
    addResponseHeader(c, 'access-control-allow-origin', origin);
    addResponseHeader(c, 'access-control-expose-headers', EXPOSE_HEADERS);
    return next();
  };

  // Not an async function: a request without Origin passes straight on, with no promise of its own.
  return function siteCorsMiddleware(c, next) {
    const origin = requestHeader(c, 'origin');
    // Answers differ by Origin, so shared caches must keep them apart.
    addResponseHeader(c, 'vary', 'Origin');
    if (origin === undefined) return next(); // not a browser's cross-origin request
    return fromOrigin(c, next, origin);
  };
}
