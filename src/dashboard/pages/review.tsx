// The review queue: status tabs with counts, filters, bulk actions, the cards, and the shortcut help.

import type { QueueItem, QueueSort, QueueStatus, SharedIp } from '../../review/review.service.ts';
import { assetUrl } from '../assets.ts';
import { CommentCard } from '../components/comment-card.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { SharedIpWarning } from '../components/shared-ip-warning.tsx';
import { UndoForm } from '../components/undo-form.tsx';
import type { UndoEntry } from '../undo-offer.ts';

export interface QueueView {
  status: QueueStatus;
  siteId?: string | undefined;
  /** An article's title (any part of it) or its id. */
  article?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  sort?: QueueSort | undefined;
}

const SORTS: { sort: QueueSort; label: string }[] = [
  { sort: 'newest', label: 'Newest first' },
  { sort: 'oldest', label: 'Oldest first' },
  { sort: 'spam-first', label: 'Most likely spam first' },
  { sort: 'spam-last', label: 'Least likely spam first' },
];

const TABS: { status: QueueStatus; label: string }[] = [
  { status: 'pending', label: 'Pending' },
  { status: 'approved', label: 'Approved' },
  { status: 'rejected', label: 'Rejected' },
  { status: 'spam', label: 'Spam' },
];

function queueHref(v: QueueView, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  params.set('status', v.status);
  if (v.siteId) params.set('site', v.siteId);
  if (v.article) params.set('article', v.article);
  if (v.q) params.set('q', v.q);
  if (v.sort && v.sort !== 'newest') params.set('sort', v.sort);
  for (const [k, val] of Object.entries(extra)) params.set(k, val);
  return `/dashboard/queue?${params}`;
}

export function Cards(props: { items: QueueItem[] }) {
  return (
    <>
      {props.items.map((item) => (
        <CommentCard item={item} formId="bulk" selectable />
      ))}
    </>
  );
}

function HelpDialog() {
  const keys: [string, string][] = [
    ['j / k', 'next / previous comment'],
    ['a', 'approve'],
    ['r', 'reject'],
    ['s', 'mark as spam'],
    ['u', 'restore (rejected and spam tabs)'],
    ['z', 'undo the last action (for 10 seconds)'],
    ['x', 'select or unselect'],
    ['*', 'select all / none on this page'],
    ['o or Enter', 'open the details'],
    ['?', 'this help'],
  ];
  return (
    <dialog id="help" aria-labelledby="help-title">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <p>With comments selected, a, r, s and u act on all of them at once; otherwise on the highlighted one.</p>
      <dl>
        {keys.map(([k, what]) => (
          <>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}

/** "All done" only when nothing is waiting at all; a later page that ran out says how many still are. */
function EmptyText(props: { view: QueueView; waiting: number }) {
  const v = props.view;
  const filtered = v.q || v.article || v.siteId ? ' with these filters' : '';
  if (props.waiting > 0)
    return (
      <>
        No more on this page; {props.waiting} {v.status} {props.waiting === 1 ? 'comment' : 'comments'}
        {filtered}. <a href={queueHref({ ...v, cursor: undefined })}>Back to the start</a>
      </>
    );
  return v.status === 'pending' ? (
    <>All done: nothing waiting for review{filtered}. New comments appear on their own.</>
  ) : (
    <>
      Nothing in {v.status}
      {filtered}.
    </>
  );
}

export function QueuePage(p: {
  page: PageContext;
  view: QueueView;
  items: QueueItem[];
  counts: Record<QueueStatus, number>;
  sites: string[];
  nextCursor: string | null;
  /** Where the page ends for the script that refills it (the next page's cursor, or the end when oldest first). */
  endCursor: string | null;
  after: string;
  pollMs: number;
  /** The live feed's position when the page was rendered (live.js asks for what came after it). */
  liveCursor?: string | null;
  notice: string | null;
  /** The comments the notice's decision changed, with their statuses now: its Undo button (no JavaScript). */
  undo?: UndoEntry[] | null;
  /** Sites where most recent comments came from one IP (TRUST_PROXY probably missing). */
  sharedIps?: SharedIp[];
  error: string | null;
}) {
  const v = p.view;
  const returnTo = queueHref(v, v.cursor ? { cursor: v.cursor } : {});
  const bulkActions =
    v.status === 'pending'
      ? ['approve', 'reject', 'spam']
      : v.status === 'approved'
        ? ['reject', 'spam']
        : ['restore', 'approve', v.status === 'spam' ? 'reject' : 'spam'];
  return (
    <Layout
      title="Review queue"
      page={p.page}
      active="queue"
      notice={p.notice}
      noticeAction={p.undo ? <UndoForm csrf={p.page.csrf} entries={p.undo} returnTo={returnTo} /> : undefined}
      error={p.error}
    >
      <h1>Review queue</h1>
      <SharedIpWarning warnings={p.sharedIps ?? []} />
      <nav aria-label="Status">
        <ul class="tabs">
          {TABS.map((t) => (
            <li>
              <a
                href={queueHref({ ...v, status: t.status, cursor: undefined })}
                aria-current={t.status === v.status ? 'page' : undefined}
                data-tab={t.status}
              >
                {t.label}
                <span class="count" data-count={t.status}>
                  {p.counts[t.status]}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/dashboard/queue" class="filters" role="search">
        <input type="hidden" name="status" value={v.status} />
        <div class="field">
          <label for="f-site">Site</label>
          <select id="f-site" name="site">
            <option value="">All my sites</option>
            {p.sites.map((s) => (
              <option value={s} selected={s === v.siteId}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-article">Article title or id</label>
          <input id="f-article" name="article" type="search" value={v.article ?? ''} size={16} />
        </div>
        <div class="field">
          <label for="f-q">Search</label>
          <input id="f-q" name="q" type="search" value={v.q ?? ''} placeholder="text, name or email" />
        </div>
        <div class="field">
          <label for="f-sort">Order</label>
          <select id="f-sort" name="sort">
            {SORTS.map((s) => (
              <option value={s.sort} selected={s.sort === (v.sort ?? 'newest')}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>

      <form
        id="bulk"
        method="post"
        action="/dashboard/queue/bulk"
        class="bulkbar"
        aria-label="Act on selected comments"
      >
        <input type="hidden" name="_csrf" value={p.page.csrf} />
        <input type="hidden" name="return" value={returnTo} />
        <label>
          <input type="checkbox" id="select-all" /> Select all
        </label>
        {bulkActions.map((a) => (
          <button type="submit" name="action" value={a} class={a}>
            {a[0]!.toUpperCase() + a.slice(1)} selected
          </button>
        ))}
        <label class="sr-only" for="bulk-reason">
          Reason (optional)
        </label>
        <input id="bulk-reason" name="reason" placeholder="Reason (optional)" maxlength={1000} />
        <span class="hint">
          <kbd>?</kbd> keyboard shortcuts
        </span>
      </form>

      <p id="live" class="sr-only" role="status" aria-live="polite"></p>
      {p.items.length === 0 && (
        <p class="empty" id="queue-empty" data-empty={String(p.counts[v.status] === 0)}>
          <EmptyText view={v} waiting={p.counts[v.status]} />
        </p>
      )}
      <ol
        class="cards"
        id="queue"
        aria-label={`${v.status} comments`}
        data-status={v.status}
        data-after={p.after}
        data-sort={v.sort ?? 'newest'}
        data-cursor={p.endCursor ?? ''}
        data-more={`/dashboard/queue/more?${new URL(queueHref(v), 'http://x').searchParams}`}
        data-poll={v.cursor ? undefined : `/dashboard/queue/poll?${new URL(queueHref(v), 'http://x').searchParams}`}
        data-poll-ms={String(p.pollMs)}
        data-live-cursor={p.liveCursor ?? undefined}
      >
        <Cards items={p.items} />
      </ol>
      {p.nextCursor && (
        <p class="pager" id="pager">
          <a href={queueHref(v, { cursor: p.nextCursor })}>
            {v.sort === 'oldest' ? 'Newer comments' : 'More comments'}
          </a>
        </p>
      )}
      <div id="toast" class="toast" hidden>
        <span id="toast-text"></span>
        <button type="button" id="undo" aria-keyshortcuts="z">
          Undo <kbd>z</kbd>
        </button>
      </div>
      <HelpDialog />
      <script src={assetUrl('live.js')} defer></script>
    </Layout>
  );
}
