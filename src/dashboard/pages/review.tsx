// The review queue: status tabs with counts, filters, bulk actions, the cards, and the shortcut help.
import type { QueueItem, QueueSort, QueueStatus, SharedIp } from '../../review/review.service.ts';
import { CommentCard } from '../components/comment-card.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { SharedIpWarning } from '../components/shared-ip-warning.tsx';

export interface QueueView {
  status: QueueStatus;
  siteId?: string | undefined;
  articleId?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  sort?: QueueSort | undefined;
}

const SORTS: { sort: QueueSort; label: string }[] = [
  { sort: 'newest', label: 'Newest first' },
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
  if (v.articleId) params.set('article', v.articleId);
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

export function QueuePage(p: {
  page: PageContext;
  view: QueueView;
  items: QueueItem[];
  counts: Record<QueueStatus, number>;
  sites: string[];
  nextCursor: string | null;
  after: string;
  pollMs: number;
  notice: string | null;
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
    <Layout title="Review queue" page={p.page} active="queue" notice={p.notice} error={p.error}>
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
          <label for="f-article">Article id</label>
          <input id="f-article" name="article" value={v.articleId ?? ''} size={16} />
        </div>
        <div class="field">
          <label for="f-q">Search text, name or email</label>
          <input id="f-q" name="q" type="search" value={v.q ?? ''} />
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
          Press <kbd>?</kbd> for keyboard shortcuts
        </span>
      </form>

      <p id="live" class="sr-only" role="status" aria-live="polite"></p>
      {p.items.length === 0 && (
        <p class="empty" id="queue-empty">
          Nothing {v.status === 'pending' ? 'waiting for review' : `in ${v.status}`}
          {v.q || v.articleId || v.siteId ? ' with these filters' : ''}.
        </p>
      )}
      <ol
        class="cards"
        id="queue"
        aria-label={`${v.status} comments`}
        data-status={v.status}
        data-after={p.after}
        data-poll={v.cursor ? undefined : `/dashboard/queue/poll?${new URL(queueHref(v), 'http://x').searchParams}`}
        data-poll-ms={String(p.pollMs)}
      >
        <Cards items={p.items} />
      </ol>
      {p.nextCursor && (
        <p class="pager">
          <a href={queueHref(v, { cursor: p.nextCursor })}>Older comments</a>
        </p>
      )}
      <HelpDialog />
    </Layout>
  );
}
