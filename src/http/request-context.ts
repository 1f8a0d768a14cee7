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

interface AccessLine {
  reqId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/** pino's number for `info`, the access log's level. */
const INFO = 30;

/**
 * The access log: a child of the app's logger, its lines written by hand in the one shape they have.
 * Their fields (request id, method, path, status, duration) cannot hold the personal data the logger's
 * redaction looks for (email, ip, password, cookie and authorization headers): walking each line for
 * those paths cost about 10 µs a request. A line is the one pino would write (level, time, the
 * logger's bindings, then the fields) and goes to the logger's own stream, checked against the child's
 * level. The lines of one turn of the event loop go to that stream as one write: handed over one by
 * one, each made the stream measure everything it had buffered (up to its 4 KB) again.
 * They are handed over before the loop next waits for I/O, so they reach the stream, in order, before
 * anything later; only a line from another request logged in the same turn can come before them.
 * A stream that wants each line's level (pino.multistream) or a logger with a write hook gets its
 * lines through pino, one by one.
 */
function accessLogger(log: Logger): (line: AccessLine) => void {
  const access = log.child({});
  const { chindingsSym, timeSym, streamSym, needsMetadataGsym, hooksSym } = pino.symbols;
  const internals = access as unknown as Record<symbol, unknown>;
  const bindings = internals[chindingsSym] as string;
  const time = (internals[timeSym] as () => string).bind(access);
  const stream = internals[streamSym] as { write(s: string): unknown; [k: symbol]: unknown };
  const format = (line: AccessLine, timePart: string) =>
    `{"level":${INFO}${timePart}${bindings},"reqId":${jsonText(line.reqId)},"method":${jsonText(line.method)},"path":${jsonText(line.path)},"status":${line.status},"ms":${line.ms},"msg":"request"}\n`;
  if (stream[needsMetadataGsym] === true || (internals[hooksSym] as { streamWrite?: unknown }).streamWrite) {
    internals[pino.symbols.asJsonSym] = (line: AccessLine, _msg: string, _num: number, t: string) => format(line, t);
    return (line) => access.info(line, 'request');
  }
  let pending = '';
  const flush = () => {
    const lines = pending;
    pending = '';
    stream.write(lines);
  };
  return (line) => {
    if (access.levelVal > INFO) return;
    if (pending === '') setImmediate(flush);
    pending += format(line, time());
  };
}

/** A string as JSON: most need no escaping (a request id, a method, a plain path), checked first. */
const PLAIN_JSON = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const jsonText = (s: string) => (PLAIN_JSON.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * Gives every request an id (echoed in X-Request-Id and error bodies) and a logger that carries it,
 * writes its access log line, and hands its duration to `observe` (the request metrics): one
 * middleware for the three rather than a layer of the chain (and its promises) for each.
 */
export function requestContext(
  log: Logger,
  observe: (c: Context<AppEnv>, seconds: number) => void = () => {},
): MiddlewareHandler<AppEnv> {
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
    const elapsed = performance.now() - started;
    logAccess({ reqId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(elapsed) });
    observe(c, elapsed / 1000);
  };
}
