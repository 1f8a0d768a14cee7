// GET /embed.js, /count.js (stable URLs publishers paste, cached for minutes) and /widget/<name>.<hash>.js
// (content-hashed, cached for a year).
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { type WidgetScript, widgetScripts } from './widget-bundle.ts';

const STABLE = 'public, max-age=300, stale-while-revalidate=86400';
const IMMUTABLE = 'public, max-age=31536000, immutable';

function serveScript(c: Context<AppEnv>, script: WidgetScript, cacheControl: string): Response {
  const etag = `"${script.hash}"`;
  const headers: Record<string, string> = {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': cacheControl,
    etag,
    vary: 'Accept-Encoding',
    'x-content-type-options': 'nosniff',
    // Pages that isolate themselves (COEP: require-corp) may still load it.
    'cross-origin-resource-policy': 'cross-origin',
  };
  // `*` matches any current representation (RFC 9110 §13.1.2), as the thread's ETag check does.
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch?.trim() === '*' || ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return c.body(null, 304, headers);
  }
  if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    return c.body(new Uint8Array(script.gzip), 200, { ...headers, 'content-encoding': 'gzip' });
  }
  return c.body(script.code, 200, headers);
}

export function widgetRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/embed.js', async (c) => serveScript(c, (await widgetScripts()).loader, STABLE));
  // count.js is smaller than a loader would be: served directly.
  app.get('/count.js', async (c) => serveScript(c, (await widgetScripts()).count, STABLE));

  app.get('/widget/:file', async (c) => {
    const match = /^(embed|count)\.([0-9a-f]{12})\.js$/.exec(c.req.param('file'));
    if (!match) return c.notFound();
    const script = (await widgetScripts())[match[1] as 'embed' | 'count'];
    // A page may hold a loader from before a deploy for a few minutes: give it today's code, briefly cached.
    return serveScript(c, script, match[2] === script.hash ? IMMUTABLE : STABLE);
  });

  return app;
}
