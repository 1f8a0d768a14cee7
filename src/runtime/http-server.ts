// Listens for HTTP and stops gracefully: no new connections, in-flight requests finish within a bound.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningServer {
  port: number;
  /** True from the moment shutdown begins (readiness answers 503 from then on). */
  readonly stopping: boolean;
  close(timeoutMs?: number): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any app's env will do; only fetch() is used
export function startHttpServer(app: Hono<any>, opts: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onError = (err: Error) => reject(err);
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info: AddressInfo) => {
      server.off('error', onError);
      const http = server as unknown as Server;
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
