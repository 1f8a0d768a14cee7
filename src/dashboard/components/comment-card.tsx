// One comment as moderators see it: who (name, email, IP), where (article, site), the text with matched
// words marked, why it was held, the parent of a reply, the author's record, and the actions.
// Every string goes through JSX, which escapes it: comment text is never markup. Every string a reader
// wrote is also a bidi isolate (<bdi>, or dir="auto" on its own block): a right-to-left override in a
// name cannot reorder the email, the time or the labels shown after it.
import type { QueueItem } from '../../review/review.service.ts';
import { type HighlightField, highlight } from '../highlight.ts';
import { AuthorWarnings } from './author-warnings.tsx';
import { Reasons, SpamScore } from './reasons.tsx';
import { Time } from './time.tsx';

const ACTIONS_BY_STATUS: Record<string, ('approve' | 'reject' | 'spam' | 'restore')[]> = {
  pending: ['approve', 'reject', 'spam'],
  approved: ['reject', 'spam'],
  rejected: ['restore', 'approve', 'spam'],
  spam: ['restore', 'approve', 'reject'],
};
const LABEL = { approve: 'Approve', reject: 'Reject', spam: 'Spam', restore: 'Restore' } as const;
const KEY = { approve: 'a', reject: 'r', spam: 's', restore: 'u' } as const;

function Marked(props: { item: { reasons: unknown[] }; field: HighlightField; text: string }) {
  return (
    <bdi>
      {highlight(props.item.reasons, props.field, props.text).map((s) =>
        s.match ? <mark title={`Matched: ${s.match}`}>{s.text}</mark> : s.text,
      )}
    </bdi>
  );
}

const isFirst = (item: QueueItem) => {
  const a = item.author;
  return a.approved + a.rejected + a.spam + a.pending <= 1;
};

/** The author's record, said once per card: here, and not again as the "first comment" filter reason. */
function History(props: { item: QueueItem }) {
  const a = props.item.author;
  if (isFirst(props.item))
    return (
      <p class="history">
        <span class="first">First comment from this author on this site.</span>
      </p>
    );
  return (
    <p class="history">
      Author on this site: {a.approved} approved · {a.pending} pending · {a.rejected} rejected · {a.spam} spam
    </p>
  );
}

/** Filter reasons except the author's record, which History states. */
const reasonsBesidesHistory = (item: QueueItem) =>
  item.reasons.filter((r) => (r as { code?: unknown } | null)?.code !== 'first_comment');

function excerpt(text: string, max = 240): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function CommentCard(props: { item: QueueItem; formId: string; selectable: boolean; detailLink?: boolean }) {
  const c = props.item;
  const headingId = `c-${c.id}-h`;
  return (
    <li class="card" id={`c-${c.id}`} data-id={c.id} data-status={c.status} tabindex={-1} aria-labelledby={headingId}>
      <div class="select">
        {props.selectable && (
          <input
            type="checkbox"
            form={props.formId}
            name="ids"
            value={c.id}
            id={`sel-${c.id}`}
            aria-label={`Select the comment by ${c.name}`}
          />
        )}
      </div>
      <div class="content">
        <header>
          <h3 class="author" id={headingId}>
            <Marked item={c} field="name" text={c.name} />
          </h3>
          {c.verified && (
            <span class="verified" title="This address was confirmed through a link mailed to it">
              verified
            </span>
          )}
          <span class="meta">
            <Marked item={c} field="email" text={c.email} />
          </span>
          <span class="meta">IP {c.ip ? <Marked item={c} field="ip" text={c.ip} /> : 'unknown'}</span>
          <span class="meta">
            <Time at={c.createdAt} />
          </span>
          <span class="meta">
            on {/* The article's page here (close it, set its mode); the small arrow opens it on the site. */}
            <a
              class="article-link"
              href={`/dashboard/articles/${encodeURIComponent(c.siteId)}/${encodeURIComponent(c.article.id)}`}
            >
              <bdi>{c.article.title ?? c.article.id}</bdi>
            </a>
            {c.article.url && (
              <>
                {' '}
                <a href={c.article.url} rel="noopener noreferrer" target="_blank" title="Open the article on the site">
                  ↗
                </a>
              </>
            )}{' '}
            · {c.siteId}
          </span>
          <span class="status">{c.status}</span>
        </header>
        {c.parent && (
          <blockquote class="parent">
            In reply to{' '}
            <strong>
              <bdi>{c.parent.name || 'a deleted comment'}</bdi>
            </strong>{' '}
            ({c.parent.status}): <bdi>{excerpt(c.parent.body)}</bdi>
          </blockquote>
        )}
        <p class="body" dir="auto">
          <Marked item={c} field="body" text={c.body} />
        </p>
        <div class="facts">
          <Reasons reasons={reasonsBesidesHistory(c)} />
          <SpamScore reasons={c.reasons} limit={3} />
          <History item={c} />
        </div>
        {c.otherNames.length > 0 && (
          <p class="warning other-names" role="note">
            This email has also posted as{' '}
            {c.otherNames.map((n, i) => (
              <>
                {i > 0 && ', '}
                <bdi>{n}</bdi>
              </>
            ))}
            : check it is the same person before trusting it.
          </p>
        )}
        <AuthorWarnings item={c} />
      </div>
      <div class="actions">
        {/* The status on screen: the server refuses the action if the comment has changed since. */}
        <input type="hidden" form={props.formId} name={`expected.${c.id}`} value={c.status} />
        {(ACTIONS_BY_STATUS[c.status] ?? []).map((action) => (
          <button
            type="submit"
            form={props.formId}
            formaction={`/dashboard/comments/${c.id}/${action}`}
            class={action}
            data-action={action}
            aria-keyshortcuts={KEY[action]}
            title={`${LABEL[action]} (${KEY[action]})`}
          >
            {LABEL[action]}
          </button>
        ))}
        {props.detailLink !== false && (
          <a class="button" href={`/dashboard/comments/${c.id}`}>
            Details
          </a>
        )}
      </div>
    </li>
  );
}
