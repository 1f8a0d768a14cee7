// Embedded mode: while the server holds the data directory, CLI commands run inside it.
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { LockInfo } from '../db/data-dir-lock.ts';
import { proxyHeaderOf, socketAddress } from '../http/client-info.ts';
import { isLoopback } from '../shared/ip-address.ts';
import type { Services } from './command-context.ts';
import { runCli } from './program.ts';

interface Forwarded {
  argv: string[];
  stdin?: string;
}

export async function forwardToServer(
  lock: LockInfo,
  body: Forwarded,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const res = await fetch(`http://127.0.0.1:${lock.port}/internal/cli`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${lock.token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  if (!res.ok) throw new Error(`the running server (pid ${lock.pid}) refused the command: HTTP ${res.status}`);
  return (await res.json()) as { code: number; stdout: string; stderr: string };
}

/**
 * The server side. The server listens on every interface (HOST), so three checks: the connection comes
 * from this machine (its socket address: headers are the client's to write), no proxy relayed it (a
 * reverse proxy on this machine connects from loopback for every reader; forwardToServer sends no proxy
 * headers), and the caller knows the token from the lock file in DATA_DIR (0600: the same user). Any
 * other caller finds nothing here.
 */
export function cliForwardRoutes(services: Services, token: string) {
  const app = new Hono();
  const expected = Buffer.from(`Bearer ${token}`);
  app.post('/internal/cli', async (c) => {
    if (!isLoopback(socketAddress(c)) || proxyHeaderOf(c) !== null) return c.notFound();
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return c.notFound();
    const body = (await c.req.json().catch(() => null)) as Forwarded | null;
    if (!body || !Array.isArray(body.argv) || !body.argv.every((a) => typeof a === 'string'))
      return c.json({ code: 2, stdout: '', stderr: 'bad request\n' }, 400);
    let stdout = '';
    let stderr = '';
    const code = await runCli(body.argv, services, {
      out: (s) => (stdout += s),
      err: (s) => (stderr += s),
      readStdin: async () => body.stdin ?? '',
    });
    return c.json({ code, stdout, stderr });
  });
  return app;
}
