// One comment section in a shadow root: heading with the count, sort toggle, thread, "load more", form.
import { OriginRefused, type Sort, siteApi } from './api.ts';
import { commentForm } from './comment-form.ts';
import { h } from './dom.ts';
import { pendingStore } from './pending.ts';
import { reportDialog } from './report.ts';
import { commentItem, type ItemOptions, placeReply } from './thread-view.ts';

export function mountWidget(host: HTMLElement, base: string): void {
  const data = host.dataset;
  const site = data.site!;
  const article = {
    id: data.article || location.pathname,
    title: data.articleTitle || document.title,
    url: data.articleUrl || location.href.split('#')[0]!,
  };
  const pageSize = Math.min(100, Math.max(1, Number(data.pageSize) || 20));
  const lang = document.documentElement.lang || undefined;
  const dir = getComputedStyle(host).direction;
  // Throws on elements that cannot host a shadow root: the page's own fallback then stays as it is.
  const shadow = host.attachShadow({ mode: 'open' });
  host.replaceChildren(); // the server-rendered fallback for readers without JavaScript

  const api = siteApi(base, site);
  const pending = pendingStore(site, article.id);
  let sort: Sort = data.sort === 'newest' ? 'newest' : 'oldest';
  let count = 0;
  // The site's reply depth comes with the thread; an article without comments has none (404) yet.
  let maxDepth = 0;
  let cursor: string | null = null;

  const report = reportDialog(api);
  const itemOptions: ItemOptions = {
    lang,
    onReply: (comment, item) => form.replyTo(comment, item),
    onReport: (comment, button) => report.open(comment, button),
  };
  const heading = h('h2', { id: 'comments-title' }, 'Comments');
  const sortButtons = (['oldest', 'newest'] as const).map((value) =>
    h(
      'button',
      {
        type: 'button',
        'aria-pressed': value === sort,
        onclick: () => {
          if (value === sort) return;
          sort = value;
          load(false);
        },
      },
      value === 'oldest' ? 'Oldest first' : 'Newest first',
    ),
  );
  const state = h('p', { class: 'mu', role: 'status' });
  const list = h('ol');
  const more = h(
    'button',
    { type: 'button', class: 'more', hidden: true, onclick: () => load(true) },
    'Load more comments',
  );
  const form = commentForm({
    api,
    article,
    onPosted(status, comment) {
      const item = commentItem(comment, itemOptions, status === 'pending');
      if (status === 'pending') pending.add(comment);
      else setCount(count + 1);
      // The first comment created the article: its thread now tells the depth, before anyone replies.
      if (!maxDepth)
        void api.thread(article.id, sort, 1, null).then(
          (t) => (maxDepth ||= t?.maxDepth ?? 0),
          () => {},
        );
      place(item, comment.parentId);
      item.querySelector('article')!.focus();
    },
  });
  const bar = h('div', { class: 'bar', role: 'group', 'aria-label': 'Sort comments', hidden: true }, ...sortButtons);
  const root = h(
    'div',
    { class: 'root', dir, 'data-theme': data.theme },
    heading,
    bar,
    state,
    list,
    more,
    form.element,
    report.element,
    // Readers' own data: a page of the service where they get a signed link to their comments by mail.
    h(
      'p',
      { class: 'mu' },
      h('a', { href: `${base}/mail/manage?site=${encodeURIComponent(site)}`, target: '_blank' }, 'Manage my comments'),
    ),
  );
  shadow.append(h('style', null, WIDGET_CSS), root);

  function setCount(n: number) {
    count = n;
    heading.textContent = n === 0 ? 'No comments yet' : n === 1 ? '1 comment' : `${n} comments`;
  }

  function place(item: HTMLLIElement, parentId: string | null) {
    const parent = parentId ? shadow.getElementById(`comment-${parentId}`) : null;
    if (parent) placeReply(item, parent as HTMLLIElement, list, maxDepth);
    else if (!parentId) sort === 'newest' ? list.prepend(item) : list.append(item);
  }

  async function load(next: boolean) {
    state.textContent = 'Loading comments…';
    more.hidden = true;
    try {
      const thread = await api.thread(article.id, sort, pageSize, next ? cursor : null);
      sortButtons.forEach((button, i) =>
        button.setAttribute('aria-pressed', String((i === 0) === (sort === 'oldest'))),
      );
      if (!next) {
        form.cancelReply(false);
        list.replaceChildren();
      }
      list.append(...(thread?.comments ?? []).map((c) => commentItem(c, itemOptions)));
      setCount(thread?.article.commentCount ?? 0);
      bar.hidden = !thread?.comments.length;
      maxDepth = thread?.maxDepth ?? maxDepth;
      cursor = thread?.nextCursor ?? null;
      more.hidden = !cursor;
      if (thread?.article.closed) {
        root.classList.add('closed');
        form.close();
      }
      if (!next) showOwnPending();
      state.textContent = '';
      if (!next && location.hash.startsWith('#comment-'))
        shadow.getElementById(location.hash.slice(1))?.scrollIntoView();
    } catch (err) {
      if (err instanceof OriginRefused) {
        // A form here could never post: say so, and tell the page's developer what to configure.
        console.error(`Comments: ${err.message}`);
        form.element.remove();
        state.textContent = 'Comments are not available on this page.';
        return;
      }
      state.replaceChildren(
        'Comments could not be loaded. ',
        h('button', { type: 'button', class: 'link', onclick: () => load(next) }, 'Try again'),
      );
      more.hidden = !cursor;
    }
  }

  function showOwnPending() {
    const held = pending.list();
    const published = held.filter((c) => shadow.getElementById(`comment-${c.id}`)).map((c) => c.id);
    pending.remove(published);
    for (const comment of held)
      if (!published.includes(comment.id)) place(commentItem(comment, itemOptions, true), comment.parentId);
  }

  void load(false);
}
