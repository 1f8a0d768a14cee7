// The dashboard's scripts and stylesheet, read once and served from our origin with a content
// hash in the URL, so they can be cached for a year and a deploy is picked up at once.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';

const FILES = {
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  // The queue page's live updates (server-sent events), loaded on that page only.
  'live.js': 'text/javascript; charset=utf-8',
  /** The log pages' copy buttons for full ids. */
  'dashboard-copy.js': 'text/javascript; charset=utf-8',
  // Keys of the Reported tab (pages/reported.tsx).
  'reported.js': 'text/javascript; charset=utf-8',
} as const;
type AssetName = keyof typeof FILES;

const assets = Object.fromEntries(
  Object.keys(FILES).map((name) => {
    const body = readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
    return [name, { body, hash: createHash('sha256').update(body).digest('base64url').slice(0, 12) }];
  }),
) as Record<AssetName, { body: string; hash: string }>;

export function assetUrl(name: AssetName): string {
  return `/dashboard/assets/${name}?v=${assets[name].hash}`;
}

export function assetRoutes() {
  const app = new Hono();
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name') as AssetName;
    if (!(name in FILES)) return c.notFound();
    const fresh = c.req.query('v') === assets[name].hash;
    return c.body(assets[name].body, 200, {
      'content-type': FILES[name],
      'cache-control': fresh ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
  });
  return app;
}
