// CORS for the public site API: only the site's allowed origins may read answers or post from a browser.
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ForbiddenError } from '../shared/errors.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { AppEnv } from './app-env.ts';
import { selfOrigin } from './client-info.ts';

export function siteCors(sites: SiteService, publicUrl: string | null): MiddlewareHandler<AppEnv> {
  /** Null when the site does not exist (the handler answers 404). */
  const isAllowed = async (origin: string, siteId: string | undefined, self: string | null): Promise<boolean | null> => {
    const site = siteId ? await sites.find(siteId) : null;
    if (!site) return null;
    if (self && origin === self) return true; // our own pages (the demo article)
    return site.settings.origins.includes(origin);
  };

  const corsHeaders = cors({
    origin: async (origin, c) => ((await isAllowed(origin, c.req.param('siteId'), selfOrigin(c, publicUrl))) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Idempotency-Key'],
    exposeHeaders: ['ETag', 'Retry-After', 'Idempotent-Replayed', 'Location'],
    maxAge: 600,
  });

  return async function siteCorsMiddleware(c, next) {
    // Browsers send simple POSTs (forms, text/plain) without a preflight, so refuse them here,
    // before anything is stored. Requests without Origin (curl, servers) are not browsers.
    const origin = c.req.header('origin');
    if (c.req.method === 'POST' && origin !== undefined) {
      if ((await isAllowed(origin, c.req.param('siteId'), selfOrigin(c, publicUrl))) === false) {
        throw new ForbiddenError(`Origin ${origin.slice(0, 200)} is not allowed to post comments to this site.`, { code: 'origin_not_allowed' });
      }
    }
    return corsHeaders(c, next);
  };
}
