import type { Ban } from '../../bans/ban.service.ts';
import type { SharedIp } from '../../review/review.service.ts';
import type { FieldError } from '../../shared/errors.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { SharedIpWarning } from '../components/shared-ip-warning.tsx';
import { Time } from '../components/time.tsx';

export interface BanFormValues {
  siteId?: string;
  kind?: string;
  value?: string;
  duration?: string;
  reason?: string;
  rejectHeld?: string;
  /** Where the form came from (a comment's page), for the confirmation step. */
  return?: string;
}

function FieldErrorText(p: { errors: FieldError[]; path: string }) {
  const e = p.errors.find((x) => x.path === p.path);
  return e ? (
    <p class="error" id={`err-${p.path}`}>
      {e.message}
    </p>
  ) : null;
}

export function BansPage(p: {
  page: PageContext;
  bans: Ban[];
  sites: string[];
  values: BanFormValues;
  errors: FieldError[];
  notice: string | null;
  sharedIps: SharedIp[];
  /** Why the ban was refused as a whole (already banned), shown instead of the generic line. */
  error?: string | null;
}) {
  const v = p.values;
  const invalid = (path: string) =>
    p.errors.some((e) => e.path === path) ? { 'aria-invalid': 'true' as const, 'aria-describedby': `err-${path}` } : {};
  return (
    <Layout
      title="Bans"
      page={p.page}
      active="bans"
      notice={p.notice}
      error={p.error ?? (p.errors.length ? 'The ban was not created; see the messages below.' : null)}
    >
      <h1>Bans</h1>
      <p class="muted">
        A ban rejects new comments from an email address, an email domain (and its subdomains) or an IP on one site.
        Domain and IP bans show how many authors and comments they would hit and ask to confirm.
      </p>
      <SharedIpWarning warnings={p.sharedIps} />
      <section class="panel" aria-labelledby="new-ban">
        <h2 id="new-ban">New ban</h2>
        <form method="post" action="/dashboard/bans" class="filters">
          <input type="hidden" name="_csrf" value={p.page.csrf} />
          <div class="field">
            <label for="ban-site">Site</label>
            <select id="ban-site" name="siteId" {...invalid('siteId')}>
              {p.sites.map((s) => (
                <option value={s} selected={s === v.siteId}>
                  {s}
                </option>
              ))}
            </select>
            <FieldErrorText errors={p.errors} path="siteId" />
          </div>
          <div class="field">
            <label for="ban-kind">By</label>
            <select id="ban-kind" name="kind">
              {['email', 'domain', 'ip'].map((k) => (
                <option value={k} selected={k === v.kind}>
                  {k === 'ip' ? 'IP address' : k}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="ban-value">Email, domain or IP</label>
            <input id="ban-value" name="value" required value={v.value ?? ''} {...invalid('value')} />
            <FieldErrorText errors={p.errors} path="value" />
          </div>
          <div class="field">
            <label for="ban-duration">For</label>
            <select id="ban-duration" name="duration">
              {[
                ['1', '1 day'],
                ['7', '7 days'],
                ['30', '30 days'],
                ['', 'Until lifted'],
              ].map(([d, label]) => (
                <option value={d} selected={d === (v.duration ?? '')}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="ban-reason">Reason</label>
            <input id="ban-reason" name="reason" maxlength={500} value={v.reason ?? ''} {...invalid('reason')} />
            <FieldErrorText errors={p.errors} path="reason" />
          </div>
          <div class="field check">
            <input type="checkbox" id="ban-reject-held" name="rejectHeld" value="1" checked={v.rejectHeld === '1'} />
            <label for="ban-reject-held">Also reject their held comments</label>
          </div>
          <button type="submit" class="primary">
            Ban
          </button>
        </form>
      </section>
      <h2>In force</h2>
      {p.bans.length === 0 ? (
        <p class="empty">No bans in force.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">By</th>
              <th scope="col">Value</th>
              <th scope="col" class="optional">
                Reason
              </th>
              <th scope="col">Since</th>
              <th scope="col">Until</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.bans.map((b) => (
              <tr>
                <td>{b.siteId}</td>
                <td>{b.kind}</td>
                <td>
                  <bdi>{b.value}</bdi>
                </td>
                <td class="optional">
                  <bdi>{b.reason ?? ''}</bdi>
                </td>
                <td>
                  <Time at={b.createdAt} />
                </td>
                <td>
                  {b.expiresAt ? `${b.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'lifted by hand'}
                </td>
                <td>
                  <form method="post" action={`/dashboard/bans/${b.id}/lift`} class="inline">
                    <input type="hidden" name="_csrf" value={p.page.csrf} />
                    <button type="submit">Lift</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
