import type { AuditEntry } from '../../admin/admin.service.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { Time } from '../components/time.tsx';
import { actorName } from './comment.tsx';

export function AuditPage(p: {
  page: PageContext;
  entries: AuditEntry[];
  nextCursor: string | null;
  action: string | undefined;
}) {
  return (
    <Layout title="Audit log" page={p.page} active="audit">
      <h1>Audit log</h1>
      <p class="muted">
        Bans, sites, accounts, tokens and webhooks: who changed what. Comment decisions are in the{' '}
        <a href="/dashboard/log">moderation log</a>.
      </p>
      <form method="get" action="/dashboard/audit" class="filters" role="search">
        <div class="field">
          <label for="a-action">Action</label>
          <input id="a-action" name="action" value={p.action ?? ''} placeholder="e.g. ban.create" />
        </div>
        <button type="submit">Filter</button>
      </form>
      {p.entries.length === 0 ? (
        <p class="empty">Nothing logged yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Site</th>
              <th scope="col" class="optional">
                What
              </th>
            </tr>
          </thead>
          <tbody>
            {p.entries.map((e) => (
              <tr>
                <td>
                  <Time at={e.createdAt} />
                </td>
                <td>{actorName(e)}</td>
                <td>{e.action}</td>
                <td>{e.siteId ?? '—'}</td>
                <td class="optional">
                  {e.targetType} {e.targetId.slice(0, 12)}{' '}
                  <span class="muted">{JSON.stringify(e.details).slice(0, 160)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.nextCursor && (
        <p class="pager">
          <a
            href={`/dashboard/audit?cursor=${p.nextCursor}${p.action ? `&action=${encodeURIComponent(p.action)}` : ''}`}
          >
            Older entries
          </a>
        </p>
      )}
    </Layout>
  );
}
