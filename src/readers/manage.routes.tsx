// /mail/manage: "Manage my comments". GET pages never change anything (mail scanners follow links);
// every POST must come from our own pages (Origin or Sec-Fetch-Site, else 403) and carry the signed
// token in its body. Browsers get pages, other clients JSON; errors are problem+json or a page.
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../http/app-env.ts';
import { clientIp } from '../http/client-info.ts';
import { wantsHtml } from '../http/form-pages.tsx';
import { errorToResponse } from '../http/problem.ts';
import { readBody } from '../http/read-body.ts';
import { AppError, ForbiddenError, ValidationError } from '../shared/errors.ts';
import { askPage, deletedAllPage, errorPage, listPage, sentPage } from './manage-pages.tsx';
import type { ReaderData } from './reader-data.service.ts';

/** A POST from another site (or without any sign of where it came from) is refused before it is read. */
function sameOrigin(origin: string): MiddlewareHandler<AppEnv> {
  return async function sameOriginOnly(c, next) {
    if (c.req.method === 'POST') {
      const fetchSite = c.req.header('sec-fetch-site');
      const from = c.req.header('origin');
      if (fetchSite !== 'same-origin' && from !== origin)
        throw new ForbiddenError('This form only works from its own page.', { code: 'cross_site' });
    }
    await next();
  };
}

/**
 * The form's fields, read as the comment routes read theirs (http/read-body.ts): JSON or a form, else 415;
 * broken JSON or a body that is not an object, 400.
 */
async function fields(c: Context): Promise<Record<string, unknown>> {
  return (await readBody(c)).data;
}

/** A field that must be text when present (`String()` of an object or array is not a site id or a token). */
function textField(f: Record<string, unknown>, name: string): string {
  const value = f[name] ?? '';
  if (typeof value !== 'string') throw new ValidationError([{ path: name, message: 'must be a string' }]);
  return value;
}

// The token is a key to someone's comments: kept out of caches and out of Referer headers.
const PRIVATE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

export function manageRoutes(deps: { readers: ReaderData; baseUrl: string; trustProxy: boolean }) {
  const app = new Hono<AppEnv>();
  app.onError(async (err, c) => {
    if (!(err instanceof AppError) || !wantsHtml(c)) throw err;
    const problem = errorToResponse(err, c, () => {});
    const body = (await problem.json()) as { title: string; detail: string };
    return c.html(errorPage(body.title, body.detail), problem.status as ContentfulStatusCode, PRIVATE);
  });
  app.use('*', sameOrigin(new URL(deps.baseUrl).origin));

  app.get('/', async (c) => {
    const site = await deps.readers.siteFor(c.req.query('site') ?? '');
    return c.html(askPage(site));
  });
  app.post('/', async (c) => {
    const f = await fields(c);
    await deps.readers.requestLink(textField(f, 'site'), f.email, clientIp(c, deps.trustProxy));
    if (!wantsHtml(c)) return c.json({ sent: 'if the address has comments on the site' }, 202);
    return c.html(sentPage(), 202);
  });

  app.get('/comments', async (c) => {
    const token = c.req.query('token') ?? '';
    const mine = await deps.readers.list(token);
    if (!wantsHtml(c)) return c.json(mine, 200, PRIVATE);
    return c.html(listPage({ ...mine, token }), 200, PRIVATE);
  });
  app.get('/download', async (c) => {
    const data = await deps.readers.download(c.req.query('token') ?? '');
    return c.json(data, 200, {
      ...PRIVATE,
      'content-disposition': `attachment; filename="my-comments-${data.site}.json"`,
    });
  });

  app.post('/delete', async (c) => {
    const f = await fields(c);
    const token = textField(f, 'token');
    await deps.readers.deleteOne(token, f.comment);
    if (!wantsHtml(c)) return c.json({ deleted: 1 }, 200, PRIVATE);
    // Back to the list, which no longer shows it.
    return c.redirect(`/mail/manage/comments?${new URLSearchParams({ token })}`, 303);
  });
  app.post('/delete-all', async (c) => {
    const n = await deps.readers.deleteAll((await fields(c)).token);
    if (!wantsHtml(c)) return c.json({ deleted: n }, 200, PRIVATE);
    return c.html(deletedAllPage(n), 200, PRIVATE);
  });
  return app;
}
