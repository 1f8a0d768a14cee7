// The pages behind problem `type` URIs: what each type means, so a URI from an answer opens somewhere.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { PROBLEM_TYPES_PATH, problemTypeOf, problemTypes } from './problem-types.ts';

const page = (title: string, body: ReturnType<typeof html>) =>
  html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title></head><body>${body}</body></html>`;

export function problemPages() {
  const app = new Hono();
  const cache = { 'cache-control': 'public, max-age=86400' };
  app.get(PROBLEM_TYPES_PATH, (c) =>
    c.html(
      page(
        'Problem types',
        html`<h1>Problem types</h1>
<p>Errors are answered as application/problem+json (RFC 9457); each answer's <code>type</code> is one of these.</p>
<dl>${problemTypes().map((t) => html`<dt><a href="${PROBLEM_TYPES_PATH}/${t.code}">${t.code}</a></dt><dd>${t.meaning}</dd>`)}</dl>`,
      ),
      200,
      cache,
    ),
  );
  app.get(`${PROBLEM_TYPES_PATH}/:code`, (c) => {
    const type = problemTypeOf(c.req.param('code'));
    if (!type) return c.notFound();
    return c.html(
      page(
        `Problem: ${type.code}`,
        html`<h1>${type.code}</h1><p>${type.meaning}</p><p><a href="${PROBLEM_TYPES_PATH}">All problem types</a></p>`,
      ),
      200,
      cache,
    );
  });
  return app;
}
