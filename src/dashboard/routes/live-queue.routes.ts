// The live queue's stream: server-sent events to an open queue tab, one `change` event per committed
// status change of the sites the tab may see (the card it concerns is marked, the tab counts follow).
// Every change carries an id: a tab that reconnects (EventSource sends Last-Event-ID; a new
// EventSource, or the page's first one, sends `?after=` the position the page was rendered at) is first
// replayed the changes it missed, or sent `resync` when they cannot be replayed (its queue is refetched).
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
import { comparePositions, type LiveQueue, type LiveStream, parsePosition } from '../../review/live-queue.service.ts';
import type { SiteService } from '../../sites/site.service.ts';

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

    // The header wins over the query: EventSource sends it on each reconnect with the newest id it saw.
    const after = (c.req.header('last-event-id') ?? c.req.query('after') ?? '').trim().slice(0, 64) || null;

    let out: SSEStreamingApi | null = null;
    const early: { change: LiveChange; id: string }[] = [];
    let earlyResync = false;
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
    // The newest position sent: a live change the replay already carried is not sent twice.
    let sent: ReturnType<typeof parsePosition> = null;
    const sendChange = (change: LiveChange, id: string) => {
      const at = parsePosition(id);
      if (at && sent && comparePositions(at, sent) <= 0) return;
      if (at) sent = at;
      write((s) => s.writeSSE({ event: 'change', id, data: JSON.stringify(change) }));
    };
    const sendResync = () =>
      write((s) => s.writeSSE({ event: 'resync', data: JSON.stringify({ reason: 'missed_changes' }) }));
    const stream: LiveStream = {
      sessionId: who.sessionId ?? '',
      siteIds: scope,
      send(change, id) {
        if (!out) early.push({ change, id });
        else sendChange(change, id);
      },
      resync() {
        if (!out) earlyResync = true;
        else sendResync();
      },
      end: () => finish(),
    };
    const start = await deps.liveQueue.open(stream, after);
    if (!start) return problemResponse(c, 503, 'The server is restarting; this tab reconnects in a moment.');
    const { remove } = start;

    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (s) => {
      s.onAbort(() => finish());
      out = s;
      sent = start.cursor ? parsePosition(start.cursor) : null;
      write((w) =>
        w.writeSSE({
          event: 'ready',
          data: JSON.stringify({ sites: scope, replayed: start.replay.length, refetch: start.refetch }),
          retry: RETRY_MS,
          ...(start.cursor ? { id: start.cursor } : {}),
        }),
      );
      if (start.refetch || earlyResync) sendResync();
      for (const r of start.replay) sendChange(r.change, r.id);
      for (const e of early.splice(0)) sendChange(e.change, e.id);
      const beat = setInterval(() => {
        write((w) => w.write(': heartbeat\n\n'));
        void deps.sessions
          .resolve(token, { activity: false })
          .then((p) => {
            if (!stillAllowed(p, scope)) finish();
          })
          .catch(() => {});
      }, deps.liveQueue.heartbeatMs);
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
