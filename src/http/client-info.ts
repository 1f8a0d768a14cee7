import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { canonicalIp, forwardedAddress } from '../shared/ip-address.ts';
import { requestHeader } from './request-context.ts';

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
  // Read from the Node request's headers: asked on every request while TRUST_PROXY is off.
  return PROXY_HEADERS.find((name) => requestHeader(c, name) !== undefined) ?? null;
}

/**
 * Origins already worked out, by the text they came from (PUBLIC_URL, or a request URL's scheme and
 * host): a site API request from a browser asks for its own origin on every call, and parsing a URL
 * for it cost about a microsecond. Bounded: Host headers are the client's to choose.
 */
const origins = new Map<string, string | null>();
const MAX_ORIGINS = 100;

function originOf(text: string): string | null {
  let origin = origins.get(text);
  if (origin !== undefined) return origin;
  try {
    origin = new URL(text).origin;
  } catch {
    origin = null;
  }
  if (origins.size >= MAX_ORIGINS) origins.clear();
  origins.set(text, origin);
  return origin;
}

/** The origin this service was reached at (the node server builds the URL from the Host header). */
export function selfOrigin(c: Context, publicUrl: string | null): string | null {
  if (publicUrl) return originOf(publicUrl);
  const url = c.req.url;
  // Everything before the path: the origin depends on nothing after it.
  const path = url.indexOf('/', url.indexOf('//') + 2);
  return originOf(path < 0 ? url : `${url.slice(0, path)}/`);
}
