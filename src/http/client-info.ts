import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client's IP. Behind a proxy (TRUST_PROXY) it is the last X-Forwarded-For entry, the one our
 * proxy appended; earlier entries are whatever the client claimed.
 */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (last && last.length <= 64) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // app.request() in tests has no socket
  }
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
