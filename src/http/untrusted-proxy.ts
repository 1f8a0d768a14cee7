// With TRUST_PROXY off the client is the connection's other end. Behind a reverse proxy that is the
// proxy, for every reader: one IP for flood control, sign-in throttling and bans, and the one stored
// with every comment. Requests that carry a proxy's headers are the sign; say so in the log, once an
// hour at most (a client may also send the header itself, so it is a hint, never acted on).
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { proxyHeaderOf } from './client-info.ts';

const WARN_EVERY_MS = 60 * 60 * 1000;

const UNTRUSTED_PROXY_WARNING =
  'requests arrive through a proxy, but TRUST_PROXY is off: every client behind it counts as the ' +
  "proxy's address (one IP for flood control, sign-in throttling and bans, stored with every comment). " +
  'If this service runs behind your own reverse proxy, set TRUST_PROXY=true and have the proxy overwrite ' +
  'X-Forwarded-For; if it does not, a client sent the header itself and it was ignored.';

export function warnAboutUntrustedProxy(log: Logger): MiddlewareHandler {
  let lastWarning = Number.NEGATIVE_INFINITY;
  return function untrustedProxyWarning(c, next) {
    if (Date.now() - lastWarning >= WARN_EVERY_MS) {
      const header = proxyHeaderOf(c);
      if (header) {
        lastWarning = Date.now();
        log.warn({ header }, UNTRUSTED_PROXY_WARNING);
      }
    }
    return next();
  };
}
