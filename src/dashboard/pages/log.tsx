import type { LogEntry } from '../../comments/moderated-comment.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { LogTable } from './comment.tsx';

export function LogPage(p: {
  page: PageContext;
  filters: { siteId?: string | undefined; moderator?: string | undefined; action?: string | undefined };
  sites: string[];
  actions: string[];
  entries: LogEntry[];
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
        <LogTable entries={p.entries} showComment />
      )}
      {p.nextCursor && (
        <p class="pager">
          <a href={`/dashboard/log?${next}`}>Older entries</a>
        </p>
      )}
    </Layout>
  );
}
