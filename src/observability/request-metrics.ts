import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from './metrics.ts';

/**
 * Counts and times every request by its route pattern (never the raw path: bounded label values).
 * Called by the request context middleware (http/request-context.ts) once the answer is made.
 */
export function requestMetrics(metrics: Metrics): (c: Context, seconds: number) => void {
  return function recordRequest(c, seconds) {
    let route = 'unmatched';
    try {
      const matched = routePath(c, -1);
      if (matched && matched !== '*' && matched !== '/*') route = matched;
    } catch {
      // no route matched
    }
    metrics.observeRequest(c.req.method, route, c.res.status, seconds);
  };
}
