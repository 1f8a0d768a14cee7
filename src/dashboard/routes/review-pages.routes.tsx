// The queue page, its live updates (short polling), and the actions its forms post: one comment or a
// selection, each answered with a redirect back (post/redirect/get), so it all works without JavaScript.
import { type Context, Hono } from 'hono';
import type { SessionService } from '../../auth/session.service.ts';
import { encodeCursor } from '../../comments/cursor.ts';
import type { CommentStatus } from '../../domain/comment-status.ts';
import { isAdmin } from '../../domain/principal.ts';
import type { AppEnv } from '../../http/app-env.ts';
import {
  MODERATION_ACTIONS,
  type ModerationAction,
  type ModerationService,
} from '../../moderation/moderation.service.ts';
import type { LiveQueue } from '../../review/live-queue.service.ts';
import { QUEUE_SORTS, QUEUE_STATUSES, type QueueStatus, type ReviewService } from '../../review/review.service.ts';
import type { SiteService } from '../../sites/site.service.ts';
import { render } from '../components/layout.tsx';
import { pageContext, safeReturn } from '../dashboard-http.tsx';
import { Cards, QueuePage, type QueueView } from '../pages/review.tsx';
import { undoOffer } from '../undo-offer.ts';

const POLL_MS = 5_000;
const PAGE_SIZE = 25;
const PAST_TENSE: Record<ModerationAction, string> = {
  approve: 'Approved',
  reject: 'Rejected',
  spam: 'Marked as spam',
  restore: 'Restored',
  undo: 'Undid the decision on',
};

/** The statuses the cards showed (`expected.<id>` hidden fields); the service rejects unknown values. */
function expectedOf(form: Record<string, unknown>, ids: string[]): Record<string, CommentStatus> {
  const out: Record<string, CommentStatus> = {};
  for (const id of ids) {
    const v = form[`expected.${id}`];
    if (typeof v === 'string') out[id] = v as CommentStatus;
  }
  return out;
}

const text = (v: string | undefined, max: number) => (v?.trim() ? v.trim().slice(0, max) : undefined);

function viewOf(c: Context): QueueView {
  const status = c.req.query('status');
  return {
    status: QUEUE_STATUSES.includes(status as QueueStatus) ? (status as QueueStatus) : 'pending',
    siteId: text(c.req.query('site'), 63),
    article: text(c.req.query('article'), 200),
    q: text(c.req.query('q'), 200),
    cursor: text(c.req.query('cursor'), 200),
    sort: QUEUE_SORTS.find((s) => s === c.req.query('sort')) ?? 'newest',
  };
}

/** "?done=approve&n=3" after a redirect; only known words are shown, never text from the URL. */
function noticeOf(c: Context): string | null {
  const done = c.req.query('done') as ModerationAction | undefined;
  const n = Number(c.req.query('n'));
  if (!done || !MODERATION_ACTIONS.includes(done) || !Number.isInteger(n) || n < 1) return null;
  return `${PAST_TENSE[done]} ${n} comment${n === 1 ? '' : 's'}.`;
}

function withDone(url: string, action: ModerationAction, n: number): string {
  return `${url}${url.includes('?') ? '&' : '?'}done=${action}&n=${n}`;
}

const cursorOf = (item: { createdAt: Date; id: string }) => encodeCursor({ createdAt: item.createdAt, id: item.id });

export function reviewPages(deps: {
  review: ReviewService;
  moderation: ModerationService;
  sites: SiteService;
  sessions: SessionService;
  liveQueue: LiveQueue;
}) {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => c.redirect('/dashboard/queue', 303));

  app.get('/queue', async (c) => {
    const who = c.get('principal');
    const view = viewOf(c);
    // Read before the page's rows: a change committed after them is after this position too.
    const liveCursor = await deps.liveQueue.cursor();
    const page = await deps.review.list(who, { ...view, limit: PAGE_SIZE });
    const sites = isAdmin(who) ? (await deps.sites.list()).map((s) => s.id) : who.siteIds;
    const newest = page.items[0];
    // Live updates ask for what is newer than the newest card, or than this moment on an empty page.
    const after = encodeCursor(
      newest
        ? { createdAt: newest.createdAt, id: newest.id }
        : { createdAt: new Date(), id: '00000000-0000-0000-0000-000000000000' },
    );
    const last = page.items.at(-1);
    const error = c.req.query('error') === 'none-selected' ? 'Select at least one comment first.' : null;
    c.header('Cache-Control', 'no-store');
    return c.html(
      render(
        <QueuePage
          page={pageContext(c, deps.sessions)}
          view={view}
          items={page.items}
          counts={page.counts}
          sites={sites}
          nextCursor={page.nextCursor}
          endCursor={page.nextCursor ?? (last && view.sort === 'oldest' ? cursorOf(last) : null)}
          after={after}
          pollMs={POLL_MS}
          liveCursor={liveCursor}
          notice={noticeOf(c)}
          undo={await undoOffer(deps.review, who, c.req.query('done'), c.req.query('n'))}
          sharedIps={await deps.review.sharedIps(who, view.siteId)}
          error={error}
        />,
      ),
    );
  });

  /** New comments for the page on screen, rendered as cards, plus fresh tab counts. */
  app.get('/queue/poll', async (c) => {
    const who = c.get('principal');
    const view = viewOf(c);
    const after = c.req.query('after');
    // Oldest first, new comments belong at the end of the queue: the page fetches them through /queue/more.
    const items =
      after && view.sort !== 'oldest' ? await deps.review.newerThan(who, { ...view, after, limit: 50 }) : [];
    const { counts } = await deps.review.list(who, { ...view, cursor: undefined, limit: 1 });
    const newest = items[0];
    c.header('Cache-Control', 'no-store');
    return c.json({
      counts,
      html: String(<Cards items={items} />),
      after: newest ? encodeCursor({ createdAt: newest.createdAt, id: newest.id }) : after,
    });
  });

  /**
   * The next held comments after the last card on screen (keyset: `cursor` is the one the previous page
   * handed out; none: from the start), as cards, with fresh counts: the page refills itself in place
   * while the moderator works, so it never looks empty while comments are waiting.
   */
  app.get('/queue/more', async (c) => {
    const who = c.get('principal');
    const view = viewOf(c);
    const page = await deps.review.list(who, { ...view, limit: PAGE_SIZE });
    const last = page.items.at(-1);
    c.header('Cache-Control', 'no-store');
    return c.json({
      counts: page.counts,
      html: String(<Cards items={page.items} />),
      ids: page.items.map((i) => i.id),
      nextCursor: page.nextCursor,
      // Oldest first, the end of the queue is where new comments arrive: the page asks from there again.
      endCursor: page.nextCursor ?? (last && view.sort === 'oldest' ? cursorOf(last) : null),
    });
  });

  app.post('/queue/bulk', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const back = safeReturn(form.return);
    const ids = ([] as unknown[]).concat(form.ids ?? []).filter((v): v is string => typeof v === 'string');
    const action = form.action as ModerationAction;
    if (ids.length === 0) return c.redirect(`${back}${back.includes('?') ? '&' : '?'}error=none-selected`, 303);
    const reason = typeof form.reason === 'string' && form.reason.trim() ? form.reason.trim() : null;
    const changed = await deps.moderation.act(c.get('principal'), ids, action, reason, expectedOf(form, ids));
    return c.redirect(withDone(back, action, changed.length), 303);
  });

  app.post('/comments/:id/:action', async (c) => {
    const form = await c.req.parseBody();
    const action = c.req.param('action') as ModerationAction;
    const reason = typeof form.reason === 'string' && form.reason.trim() ? form.reason.trim() : null;
    const id = c.req.param('id');
    await deps.moderation.act(c.get('principal'), [id], action, reason, expectedOf(form, [id]));
    return c.redirect(withDone(safeReturn(form.return), action, 1), 303);
  });

  return app;
}
