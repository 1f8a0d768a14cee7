import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { canonicalIp, forwardedAddress } from '../shared/ip-address.ts';

/** The headers a reverse proxy adds to name the client it forwards for. */
const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/**
 * The client's IP, canonical (see shared/ip-address.ts). Behind a proxy (TRUST_PROXY) it is the last
 * X-Forwarded-For entry, the one our proxy appended; earlier entries are whatever the client claimed.
 * Only an IP address is ever taken: a last entry that is not one ("unknown", a name, junk) means the
 * client is unknown (null), never that string, and never the proxy's own address (which would make
 * every such reader one client).
 */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (last !== undefined) return last.length <= 64 ? forwardedAddress(last) : null;
  }
  return socketAddress(c);
}

/** The address of the connection's other end (never a header), canonical; null when there is no socket. */
export function socketAddress(c: Context): string | null {
  try {
    return canonicalIp(getConnInfo(c).remote.address);
  } catch {
    return null; // app.request() in tests has no socket
  }
}

/** The first proxy header the request carries ("x-forwarded-for", "forwarded", "x-real-ip"), else null. */
export function proxyHeaderOf(c: Context): (typeof PROXY_HEADERS)[number] | null {
  return PROXY_HEADERS.find((name) => c.req.header(name) !== undefined) ?? null;
}

/** The origin this service was reached at (the node server builds the URL from the Host header). */
export function selfOrigin(c: Context, publicUrl: string | null): string | null {
  if (publicUrl) return new URL(publicUrl).origin;
  try {
    return new URL(c.req.url).origin;
  } catch {
    return null;
  }
}
