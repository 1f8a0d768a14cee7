// Listens for HTTP and stops gracefully: no new connections, in-flight requests finish within a bound.

import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { problemBody } from '../http/problem.ts';

export interface RunningServer {
  port: number;
  /** True from the moment shutdown begins (readiness answers 503 from then on). */
  readonly stopping: boolean;
  close(timeoutMs?: number): Promise<void>;
}

/**
 * What Node answers itself, before any route runs, to a request it cannot parse: headers past its
 * 16 KB limit (431), a request that never finished arriving (408), anything else malformed (400). Its
 * own answer is a bare status line; this one is problem+json like every other error.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request line and headers are larger than this server reads (16 KB in all).']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request did not arrive in time.']
        : [400, 'The request is not valid HTTP/1.1.'];
  const body = JSON.stringify(problemBody(status, detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/problem+json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: any app's env will do; only fetch() is used
export function startHttpServer(app: Hono<any>, opts: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onError = (err: Error) => reject(err);
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info: AddressInfo) => {
      server.off('error', onError);
      const http = server as unknown as Server;
      http.on('clientError', answerClientError);
      // While stopping, every answer tells the client not to reuse its connection, so keep-alive
      // clients move on instead of sending their next request into a closing socket.
      http.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
        if (stopping) res.setHeader('connection', 'close');
      });
      resolve({
        port: info.port,
        get stopping() {
          return stopping;
        },
        close: (timeoutMs = 10_000) =>
          new Promise<void>((done) => {
            stopping = true;
            const timer = setTimeout(() => {
              http.closeAllConnections();
              done();
            }, timeoutMs);
            timer.unref();
            // Stops accepting; idle keep-alive sockets are closed, in-flight requests run to the end.
            http.close(() => {
              clearTimeout(timer);
              done();
            });
          }),
      });
    }) as ServerType;
    server.once('error', onError);
  });
}
