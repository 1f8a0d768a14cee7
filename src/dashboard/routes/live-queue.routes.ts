// The live queue's stream: server-sent events to an open queue tab, one `change` event per committed
// status change of the sites the tab may see (the card it concerns is marked, the tab counts follow).
// Session-authenticated like every dashboard page; the session and its sites are checked again at each
// heartbeat, so a signed-out or reassigned moderator stops hearing. Ended on shutdown (see run-server).
import { Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { SessionService } from '../../auth/session.service.ts';
import { type CookieContext, readSessionCookie } from '../../auth/session-cookie.ts';
import { isAdmin, type Principal, requireSite, siteScope } from '../../domain/principal.ts';
import type { LiveChange } from '../../events/live-feed.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { problemResponse } from '../../http/problem.ts';
import type { LiveQueue, LiveStream } from '../../review/live-queue.service.ts';
import type { SiteService } from '../../sites/site.service.ts';

/** Comment lines keep proxies from timing the stream out and notice clients that went away. */
const HEARTBEAT_MS = 15_000;
/** How soon EventSource reconnects after the stream ends (a restart, another process). */
const RETRY_MS = 2_000;
/** Changes queued for a client that does not read; past this it is dropped (it reconnects, or polls). */
const MAX_BACKLOG = 1_000;

/** Still allowed to hear what the stream was opened for. */
function stillAllowed(p: Principal | null, scope: string[] | null): boolean {
  if (!p) return false;
  if (scope === null) return isAdmin(p);
  return isAdmin(p) || scope.every((id) => p.siteIds.includes(id));
}

export function liveQueueRoutes(deps: {
  liveQueue: LiveQueue;
  sessions: SessionService;
  sites: SiteService;
  cookies: CookieContext;
}) {
  const app = new Hono<AppEnv>();

  app.get('/queue/live', async (c) => {
    const who = c.get('principal');
    const site = c.req.query('site')?.trim().slice(0, 63) || undefined;
    if (site) {
      requireSite(who, site);
      // An admin may ask for any site, so an unknown one is 404 (a moderator got 403 above).
      if (isAdmin(who)) await deps.sites.get(site);
    }
    const scope = site ? [site] : siteScope(who);
    const token = readSessionCookie(c, deps.cookies) ?? '';

    let out: SSEStreamingApi | null = null;
    const early: LiveChange[] = [];
    let chain: Promise<unknown> = Promise.resolve();
    let backlog = 0;
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const write = (w: (s: SSEStreamingApi) => Promise<unknown>) => {
      const s = out;
      if (!s) return;
      if (++backlog > MAX_BACKLOG) return finish();
      chain = chain
        .then(() => w(s))
        .catch(() => finish())
        .finally(() => backlog--);
    };
    const stream: LiveStream = {
      sessionId: who.sessionId ?? '',
      siteIds: scope,
      send(change) {
        if (!out) early.push(change);
        else write((s) => s.writeSSE({ event: 'change', data: JSON.stringify(change) }));
      },
      end: () => finish(),
    };
    const remove = await deps.liveQueue.open(stream);
    if (!remove) return problemResponse(c, 503, 'The server is restarting; this tab reconnects in a moment.');

    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (s) => {
      s.onAbort(() => finish());
      out = s;
      write((w) => w.writeSSE({ event: 'ready', data: JSON.stringify({ sites: scope }), retry: RETRY_MS }));
      for (const change of early.splice(0)) stream.send(change);
      const beat = setInterval(() => {
        write((w) => w.write(': heartbeat\n\n'));
        void deps.sessions
          .resolve(token, { activity: false })
          .then((p) => {
            if (!stillAllowed(p, scope)) finish();
          })
          .catch(() => {});
      }, HEARTBEAT_MS);
      try {
        await finished;
      } finally {
        clearInterval(beat);
        remove();
      }
      await Promise.race([chain, s.sleep(1_000)]);
    });
  });

  return app;
}
