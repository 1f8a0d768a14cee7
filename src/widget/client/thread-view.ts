// One comment and its replies, as list items. Names and times are text; the body comes from the API's escaped html.
import type { PublicComment } from './api.ts';
import { bodyFragment, h } from './dom.ts';
import { timeElement } from './time.ts';

export interface ItemOptions {
  lang: string | undefined;
  onReply(comment: PublicComment, item: HTMLLIElement): void;
  onReport(comment: PublicComment, button: HTMLElement): void;
}

const PENDING_NOTE = 'Your comment is awaiting moderation.';

/** `own` marks the reader's comment that is still held: only this reader sees it, and nobody can reply to it yet. */
export function commentItem(comment: PublicComment, options: ItemOptions, own = false): HTMLLIElement {
  const item = h('li', { id: `comment-${comment.id}`, class: own ? 'own' : null });
  if (comment.deleted) {
    item.append(h('article', null, h('p', { class: 'mu' }, 'This comment was deleted.')));
  } else {
    const avatar = h('span', { class: 'av', 'aria-hidden': 'true' }, comment.avatar.initials);
    avatar.style.background = comment.avatar.color;
    item.append(
      h(
        'article',
        { tabindex: -1 },
        h(
          'header',
          null,
          avatar,
          h('strong', { class: 'au' }, comment.name),
          timeElement(comment.createdAt, options.lang),
        ),
        h('div', null, bodyFragment(comment.html)),
        own
          ? h('p', { class: 'msg' }, PENDING_NOTE)
          : h(
              'button',
              {
                type: 'button',
                class: 'link reply',
                'aria-label': `Reply to ${comment.name}`,
                onclick: () => options.onReply(comment, item),
              },
              'Reply',
            ),
        !own &&
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              'aria-label': `Report the comment by ${comment.name}`,
              onclick: (e) => options.onReport(comment, e.currentTarget as HTMLElement),
            },
            'Report',
          ),
      ),
    );
  }
  if (comment.replies.length)
    item.append(h('ol', null, ...comment.replies.map((reply) => commentItem(reply, options))));
  return item;
}

/** How many reply levels below the top this item sits. */
function levelOf(item: Element, top: Element): number {
  let level = 0;
  for (let el = item.parentElement; el && el !== top; el = el.parentElement) if (el.tagName === 'OL') level++;
  return level;
}

/** Puts a new reply where the server will show it on reload: nested, or next to its parent at the last level. */
export function placeReply(reply: HTMLLIElement, parent: HTMLLIElement, top: Element, maxDepth: number): void {
  // Mirrors the server's nesting (thread.service.ts); 0 = depth not known yet: nest.
  if (!maxDepth || levelOf(parent, top) < Math.max(1, maxDepth - 1)) {
    let list = parent.querySelector(':scope > ol');
    if (!list) list = parent.appendChild(h('ol'));
    list.append(reply);
  } else {
    parent.parentElement!.append(reply);
  }
}
