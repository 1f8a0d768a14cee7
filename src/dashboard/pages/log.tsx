import type { ReadableLogEntry } from '../../review/review.service.ts';
import { assetUrl } from '../assets.ts';
import { FullId } from '../components/full-id.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { Time } from '../components/time.tsx';
import { actorName } from './comment.tsx';

/** Each change with the comment a reader of the log recognises: its author, its first words, its article. */
function ReadableLogTable(props: { entries: ReadableLogEntry[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Change</th>
          <th scope="col">Comment</th>
          <th scope="col" class="optional">
            Note
          </th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((e) => (
          <tr>
            <td>
              <Time at={e.createdAt} />
            </td>
            <td>{actorName(e)}</td>
            <td>
              {e.from ?? 'new'} → <strong>{e.to}</strong>
            </td>
            <td class="log-comment">
              {e.comment ? (
                <>
                  <a href={`/dashboard/comments/${e.commentId}`} title={e.commentId}>
                    <bdi>{e.comment.name || '(deleted)'}</bdi>
                  </a>
                  : <bdi class="excerpt">{e.comment.excerpt || '(no text)'}</bdi>{' '}
                  <span class="muted">
                    on <bdi>{e.comment.articleTitle ?? e.comment.articleId}</bdi> · {e.siteId}
                  </span>{' '}
                </>
              ) : (
                <span class="muted">(comment gone) · {e.siteId} </span>
              )}
              <FullId id={e.commentId} />
            </td>
            <td class="optional">
              <bdi>{e.note ?? ''}</bdi>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LogPage(p: {
  page: PageContext;
  filters: { siteId?: string | undefined; moderator?: string | undefined; action?: string | undefined };
  sites: string[];
  actions: string[];
  entries: ReadableLogEntry[];
  nextCursor: string | null;
}) {
  const f = p.filters;
  const next = new URLSearchParams({
    ...(f.siteId ? { site: f.siteId } : {}),
    ...(f.moderator ? { moderator: f.moderator } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(p.nextCursor ? { cursor: p.nextCursor } : {}),
  });
  return (
    <Layout title="Moderation log" page={p.page} active="log">
      <h1>Moderation log</h1>
      <p class="muted">
        Every status change on the sites you moderate: by moderators, by the filters at submission, and by operators.
      </p>
      <form method="get" action="/dashboard/log" class="filters" role="search">
        <div class="field">
          <label for="l-site">Site</label>
          <select id="l-site" name="site">
            <option value="">All my sites</option>
            {p.sites.map((s) => (
              <option value={s} selected={s === f.siteId}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="l-mod">Moderator (email)</label>
          <input id="l-mod" name="moderator" value={f.moderator ?? ''} />
        </div>
        <div class="field">
          <label for="l-action">Moved to</label>
          <select id="l-action" name="action">
            <option value="">Any status</option>
            {p.actions.map((a) => (
              <option value={a} selected={a === f.action}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      {p.entries.length === 0 ? (
        <p class="empty">Nothing logged with these filters.</p>
      ) : (
        <ReadableLogTable entries={p.entries} />
      )}
      {p.nextCursor && (
        <p class="pager">
          <a href={`/dashboard/log?${next}`}>Older entries</a>
        </p>
      )}
      <script src={assetUrl('dashboard-copy.js')} defer></script>
    </Layout>
  );
}
