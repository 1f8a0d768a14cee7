import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import pino, { type Logger } from 'pino';
import type { AppEnv } from './app-env.ts';

const REQUEST_ID = /^[\w\-=]{1,128}$/;

/**
 * A request header, lowercase name. Under the Node server this is the Node request's own header
 * object: `c.req.header()` would first copy every header of the request into a WHATWG Headers, a
 * cost on every request. Both join repeated headers with ", ".
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Headers every answer carries (the request id; Vary and CORS from the site API's middleware), kept
 * as a plain object rather than set with `c.header()`: that builds a WHATWG Headers for every request,
 * which the Node adapter then copies out again. A route that builds its own answer takes them with
 * `takeResponseHeaders`; on any other answer they are added at the end, unless it set them itself.
 */
export function addResponseHeader(c: Context<AppEnv>, name: string, value: string): void {
  const headers = c.get('responseHeaders');
  if (headers) headers[name] = value;
  else c.header(name, value); // outside the app's middleware (a router tested alone)
}

/** The headers for an answer this route builds itself (they are then not added again). */
export function takeResponseHeaders(c: Context<AppEnv>): Record<string, string> {
  const headers = c.get('responseHeaders') ?? {};
  c.set('responseHeaders', null);
  return headers;
}

function addRemainingHeaders(c: Context<AppEnv>): void {
  const headers = c.get('responseHeaders');
  if (!headers) return;
  let target = c.res.headers;
  for (const name in headers) {
    if (target.has(name)) continue; // the route's own value wins, as it did with c.header()
    try {
      target.set(name, headers[name]!);
    } catch {
      // An immutable Headers (a Response from fetch or Response.redirect): copy the answer once.
      c.res = new Response(c.res.body, c.res);
      target = c.res.headers;
      target.set(name, headers[name]!);
    }
  }
}

/**
 * The access log: a child of the app's logger with a serializer of its own for its one line shape.
 * Its fields (request id, method, path, status, duration) cannot hold the personal data the logger's
 * redaction looks for (email, ip, password, cookie and authorization headers), and walking each line
 * for those paths cost about 10 µs a request. The line is the one pino would write (level, time, the
 * logger's bindings, then the fields), and it goes through pino: its level, time and destination.
 */
function accessLogger(log: Logger): (line: AccessLine) => void {
  const access = log.child({});
  const { asJsonSym, chindingsSym } = pino.symbols;
  const bindings = (access as unknown as Record<symbol, string>)[chindingsSym];
  (access as unknown as Record<symbol, unknown>)[asJsonSym] = (
    line: AccessLine,
    _msg: string,
    num: number,
    time: string,
  ) =>
    `{"level":${num}${time}${bindings},"reqId":${JSON.stringify(line.reqId)},"method":${JSON.stringify(line.method)},"path":${JSON.stringify(line.path)},"status":${line.status},"ms":${line.ms},"msg":"request"}\n`;
  return (line) => access.info(line, 'request');
}

interface AccessLine {
  reqId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/** Gives every request an id (echoed in X-Request-Id and error bodies) and a logger that carries it. */
export function requestContext(log: Logger): MiddlewareHandler<AppEnv> {
  const logAccess = accessLogger(log);
  return async function requestLogger(c, next) {
    const started = performance.now();
    const given = requestHeader(c, 'x-request-id');
    const reqId = given !== undefined && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', reqId);
    c.set('responseHeaders', { 'x-request-id': reqId });
    // The request's own logger is made only when something logs (errors): it costs on every request.
    let child: Logger | null = null;
    c.set('log', () => (child ??= log.child({ reqId })));
    await next();
    addRemainingHeaders(c);
    logAccess({
      reqId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  };
}
