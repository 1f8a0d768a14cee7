// The app's router. Hono's RegExpRouter matches a path with one regular expression, but it refuses this
// app's full route table (a static segment after a parameter one, e.g. moderation's `comments/bulk`
// next to `comments/:id/…`), so SmartRouter fell back to the TrieRouter for every request: 15–20 µs
// for a thread page path. Readers' traffic (thread pages, counts, comment posts) is all under one
// prefix, and the routes that can match there are few and fit the RegExpRouter; everything else stays
// on the TrieRouter. Each side holds every route that could match a path of its side, in registration
// order, so it answers exactly what one router over the whole table would.
import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

const PUBLIC_PREFIX = '/api/v1/sites/';
const PREFIX_SEGMENTS = PUBLIC_PREFIX.split('/').slice(0, -1); // ['', 'api', 'v1', 'sites']

/**
 * False only when the pattern certainly matches no path under the prefix: one of its first segments
 * is a plain word other than the prefix's. Anything unsure (parameters, wildcards, a shorter pattern)
 * counts as a possible match; an extra route costs nothing but a place in the expression.
 */
export function mayMatchPublic(pattern: string): boolean {
  const segments = pattern.split('/');
  for (let i = 0; i < PREFIX_SEGMENTS.length; i++) {
    const segment = segments[i];
    if (segment === undefined || /[:*{}?()]/.test(segment)) return true;
    if (segment !== PREFIX_SEGMENTS[i]) return false;
  }
  return true;
}

export class PublicFirstRouter<T> implements Router<T> {
  name = 'PublicFirstRouter';
  #routes: [string, string, T][] | null = [];

  add(method: string, path: string, handler: T): void {
    if (!this.#routes) throw new Error('Can not add a route since the matcher is already built.');
    this.#routes.push([method, path, handler]);
  }

  match(method: string, path: string): Result<T> {
    // Built at the first request, when every router is mounted (as Hono's SmartRouter does).
    const routes = this.#routes ?? [];
    this.#routes = null;
    const publicSide = new SmartRouter<T>({ routers: [new RegExpRouter(), new TrieRouter()] });
    const rest = new TrieRouter<T>();
    for (const [m, p, h] of routes) {
      rest.add(m, p, h);
      if (mayMatchPublic(p)) publicSide.add(m, p, h);
    }
    publicSide.match('GET', PUBLIC_PREFIX); // settles which router the public side uses
    // Names it for a test that it is still the RegExpRouter (a public route that stops fitting it falls
    // back to the TrieRouter: correct, just slower).
    this.name = `PublicFirstRouter (${publicSide.name} + TrieRouter)`;
    this.match = (m, p) => (p.startsWith(PUBLIC_PREFIX) ? publicSide.match(m, p) : rest.match(m, p));
    return this.match(method, path);
  }
}
