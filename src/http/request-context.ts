import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import type { AppEnv } from './app-env.ts';

/** Gives every request an id (echoed in X-Request-Id and error bodies) and a logger that carries it. */
export function requestContext(log: Logger): MiddlewareHandler<AppEnv>[] {
  return [
    requestId({ limitLength: 128 }),
    async function requestLogger(c, next) {
      const started = performance.now();
      const reqLog = log.child({ reqId: c.get('requestId') });
      c.set('log', reqLog);
      await next();
      reqLog.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
    },
  ];
}
