// The thread page's inputs, read the way the OpenAPI route's validators read them, without running a
// schema when there is nothing to check: most requests have no query string (the defaults) and a
// plain ASCII article id. Anything else goes through the same zod schemas as before.
import type { Context } from 'hono';
import { ValidationError } from '../shared/errors.ts';
import { zodToFieldErrors } from '../shared/validation.ts';
import { articleIdSchema, threadQuerySchema } from './comment.schemas.ts';
import type { ThreadQuery } from './thread.service.ts';

const DEFAULTS: ThreadQuery = Object.freeze({ sort: 'oldest', limit: 20, cursor: undefined });
/** Ids the text schema would give back unchanged: visible ASCII (nothing to trim or refuse), 1-200 long. */
const PLAIN_ARTICLE_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * Query strings already checked, by their text: every reader of a widget sends the same one
 * (`?sort=oldest&limit=20`). Bounded; only valid ones are kept.
 */
const checked = new Map<string, ThreadQuery>();
const MAX_CHECKED = 1_000;

export function threadQueryOf(c: Context): ThreadQuery {
  const url = c.req.url;
  const mark = url.indexOf('?');
  if (mark === -1) return DEFAULTS;
  const text = url.slice(mark + 1);
  const known = checked.get(text);
  if (known) return known;
  // As hono's query validator: a repeated parameter is an array (and then refused).
  const raw = Object.fromEntries(
    Object.entries(c.req.queries()).map(([k, v]) => (v.length === 1 ? [k, v[0]] : [k, v])),
  );
  const parsed = threadQuerySchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodToFieldErrors(parsed.error));
  if (checked.size >= MAX_CHECKED) checked.clear();
  const query = Object.freeze(parsed.data);
  checked.set(text, query);
  return query;
}

export function articleIdOf(raw: string): string {
  if (PLAIN_ARTICLE_ID.test(raw)) return raw;
  const parsed = articleIdSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodToFieldErrors(parsed.error, 'articleId'));
  return parsed.data;
}
