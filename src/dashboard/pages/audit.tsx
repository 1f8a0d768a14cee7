import type { AuditEntry } from '../../admin/admin.service.ts';
import { assetUrl } from '../assets.ts';
import { AuditSentence } from '../components/audit-sentence.tsx';
import { FullId } from '../components/full-id.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { Time } from '../components/time.tsx';

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
              <th scope="col">What happened</th>
              <th scope="col">Site</th>
              <th scope="col" class="optional">
                Target
              </th>
            </tr>
          </thead>
          <tbody>
            {p.entries.map((e) => (
              <tr>
                <td>
                  <Time at={e.createdAt} />
                </td>
                <td>
                  <AuditSentence entry={e} /> <span class="muted">{e.action}</span>
                </td>
                <td>{e.siteId ?? '—'}</td>
                <td class="optional">
                  {e.targetType} <FullId id={e.targetId} />
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
      <script src={assetUrl('dashboard-copy.js')} defer></script>
    </Layout>
  );
}
