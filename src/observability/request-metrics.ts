import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from './metrics.ts';

/** Counts and times every request by its route pattern (never the raw path: bounded label values). */
export function requestMetrics(metrics: Metrics): MiddlewareHandler {
  return async function recordRequest(c, next) {
    const started = performance.now();
    await next();
    let route = 'unmatched';
    try {
      const matched = routePath(c, -1);
      if (matched && matched !== '*' && matched !== '/*') route = matched;
    } catch {
      // no route matched
    }
    metrics.observeRequest(c.req.method, route, c.res.status, (performance.now() - started) / 1000);
  };
}
