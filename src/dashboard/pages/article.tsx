// One article as its moderators manage it: open or closed, its own moderation mode, its held comments
// (with the same actions as the queue) and its published thread. Reached from every card's article link.
import type { Article } from '../../articles/article.service.ts';
import type { ModerationMode } from '../../domain/moderation-mode.ts';
import type { QueueItem } from '../../review/review.service.ts';
import { CommentCard } from '../components/comment-card.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { Time } from '../components/time.tsx';

const MODE_LABEL: Record<ModerationMode, string> = {
  all: 'hold every comment for review',
  first: "hold an author's comments until one is approved",
  none: 'publish what passes the filters',
};

export function articlePath(siteId: string, articleId: string): string {
  return `/dashboard/articles/${encodeURIComponent(siteId)}/${encodeURIComponent(articleId)}`;
}

function excerpt(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function ArticlePage(p: {
  page: PageContext;
  article: Article;
  siteMode: ModerationMode;
  held: QueueItem[];
  heldCount: number;
  published: QueueItem[];
  notice: string | null;
}) {
  const a = p.article;
  const path = articlePath(a.siteId, a.id);
  const name = a.title ?? a.id;
  const queue = `/dashboard/queue?${new URLSearchParams({ status: 'pending', site: a.siteId, article: a.id })}`;
  return (
    <Layout title={`Article ${name}`} page={p.page} active="queue" notice={p.notice}>
      <p>
        <a href="/dashboard/queue">← Back to the queue</a>
      </p>
      <h1>
        <bdi>{name}</bdi>
      </h1>
      <p class="muted">
        Article <bdi>{a.id}</bdi> on {a.siteId}
        {a.url && (
          <>
            {' · '}
            <a href={a.url} rel="noopener noreferrer" target="_blank">
              open on the site
            </a>
          </>
        )}
      </p>
      <div class="grid2">
        <section class="panel" aria-labelledby="state-h">
          <h2 id="state-h">Comments</h2>
          <p id="article-state">
            {a.closed ? (
              <>
                <strong>Closed</strong> to new comments
                {a.closedAt && (
                  <>
                    {' '}
                    since <Time at={a.closedAt} />
                  </>
                )}
                .
              </>
            ) : (
              <>
                <strong>Open</strong> for new comments.
              </>
            )}
          </p>
          <form method="post" action={`${path}/${a.closed ? 'open' : 'close'}`} class="inline">
            <input type="hidden" name="_csrf" value={p.page.csrf} />
            <button type="submit" class={a.closed ? 'primary' : 'danger'}>
              {a.closed ? 'Reopen' : 'Close'} this article
            </button>
          </form>
        </section>
        <section class="panel" aria-labelledby="mode-h">
          <h2 id="mode-h">Moderation</h2>
          <p id="article-mode">
            New comments: {MODE_LABEL[a.effectiveModeration]} (
            {a.moderation ? "this article's own setting" : "the site's setting"}).
          </p>
          <form method="post" action={`${path}/mode`} class="filters">
            <input type="hidden" name="_csrf" value={p.page.csrf} />
            <div class="field">
              <label for="article-mode-select">Mode</label>
              <select id="article-mode-select" name="mode">
                <option value="site" selected={a.moderation === null}>
                  The site's ({p.siteMode})
                </option>
                {(['all', 'first', 'none'] as const).map((m) => (
                  <option value={m} selected={a.moderation === m}>
                    {m}: {MODE_LABEL[m]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">Save</button>
          </form>
        </section>
      </div>

      <h2 id="held-h">Held for review ({p.heldCount})</h2>
      {p.held.length === 0 ? (
        <p class="empty">Nothing held on this article.</p>
      ) : (
        <>
          <ol class="cards" id="queue" aria-labelledby="held-h">
            {p.held.map((item) => (
              <CommentCard item={item} formId="held" selectable={false} />
            ))}
          </ol>
          {/* The cards' buttons submit this form (form="held") and come back here. */}
          <form id="held" method="post" action={path} class="filters reason-line">
            <input type="hidden" name="_csrf" value={p.page.csrf} />
            <input type="hidden" name="return" value={path} />
          </form>
          {p.heldCount > p.held.length && (
            <p>
              <a href={queue}>All {p.heldCount} in the queue</a>
            </p>
          )}
        </>
      )}

      <h2 id="thread-h">Published ({a.commentCount})</h2>
      {p.published.length === 0 ? (
        <p class="empty">No published comments yet.</p>
      ) : (
        <ol class="thread" aria-labelledby="thread-h">
          {p.published.map((c) => (
            <li>
              <strong>
                <bdi>{c.name}</bdi>
              </strong>{' '}
              <span class="muted">
                <Time at={c.createdAt} />
                {c.parentId && ' · reply'}
              </span>{' '}
              <a href={`/dashboard/comments/${c.id}`}>
                <bdi>{excerpt(c.body)}</bdi>
              </a>
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
}
