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
      const reqId = c.get('requestId');
      // The request's own logger is made only when something logs (errors): it costs on every request.
      let child: Logger | null = null;
      c.set('log', () => (child ??= log.child({ reqId })));
      await next();
      log.info(
        {
          reqId,
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    },
  ];
}
