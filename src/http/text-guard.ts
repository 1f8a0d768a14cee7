// Input hygiene for the signed-in surfaces (moderation, admin, auth, dashboard): the comment fields' text rules
// (src/shared/text.ts) applied to every string a request carries, before any route, store or log sees it.
import type { MiddlewareHandler } from 'hono';
import { ValidationError } from '../shared/errors.ts';
import { badTextIn } from '../shared/text.ts';

async function bodyOf(c: Parameters<MiddlewareHandler>[0]): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  // Hono caches the parsed body: the route's own validator reads the same value again.
  if (/^application\/(?:[\w.+-]+\+)?json/i.test(type)) return c.req.json().catch(() => undefined);
  if (/^(?:application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type))
    return c.req.parseBody({ all: true }).catch(() => undefined);
  return undefined;
}

export const textGuard: MiddlewareHandler = async (c, next) => {
  const errors = [
    ...badTextIn(decodedPath(c.req.path), 'path'),
    ...badTextIn(c.req.queries(), 'query'),
    // Body fields are named as the routes' own validators name them (`title`, `settings.holdWords[0]`).
    ...(c.req.method === 'GET' || c.req.method === 'HEAD' ? [] : badTextIn(await bodyOf(c))),
  ];
  if (errors.length > 0) throw new ValidationError(errors);
  await next();
};

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
