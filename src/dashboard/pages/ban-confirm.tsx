// The second step of a domain or IP ban: what it would hit (authors, comments, held ones), a webmail
// domain's override, the shared-IP warning, and the same form again with confirm=1.
import { type BanPreview, describeImpact } from '../../bans/ban.service.ts';
import type { SharedIp } from '../../review/review.service.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { SharedIpWarning } from '../components/shared-ip-warning.tsx';
import type { BanFormValues } from './bans.tsx';

export function BanConfirmPage(p: {
  page: PageContext;
  preview: BanPreview;
  values: BanFormValues;
  sharedIps: SharedIp[];
  error: string | null;
}) {
  const v = p.values;
  const what = p.preview.kind === 'ip' ? 'IP' : 'email domain';
  return (
    <Layout title="Confirm the ban" page={p.page} active="bans" error={p.error}>
      <h1>
        Ban the {what} <bdi>{p.preview.value}</bdi> on {p.preview.siteId}?
      </h1>
      <p class="impact">
        This ban would hit <strong>{describeImpact(p.preview)}</strong> on {p.preview.siteId}, and every new comment
        from this {what}.
      </p>
      {p.preview.webmail && (
        <p class="warning webmail" role="alert">
          <bdi>{p.preview.value}</bdi> is a webmail domain: many unrelated readers write from it.
        </p>
      )}
      <SharedIpWarning warnings={p.sharedIps} />
      <form method="post" action="/dashboard/bans" class="filters">
        <input type="hidden" name="_csrf" value={p.page.csrf} />
        <input type="hidden" name="confirm" value="1" />
        {v.return && <input type="hidden" name="return" value={v.return} />}
        <input type="hidden" name="siteId" value={v.siteId ?? ''} />
        <input type="hidden" name="kind" value={v.kind ?? ''} />
        <input type="hidden" name="value" value={v.value ?? ''} />
        <input type="hidden" name="duration" value={v.duration ?? ''} />
        <input type="hidden" name="reason" value={v.reason ?? ''} />
        <div class="field check">
          <input type="checkbox" id="confirm-reject-held" name="rejectHeld" value="1" checked={v.rejectHeld === '1'} />
          <label for="confirm-reject-held">Also reject their held comments ({p.preview.held})</label>
        </div>
        {p.preview.webmail && (
          <div class="field check">
            <input type="checkbox" id="confirm-webmail" name="allowWebmail" value="1" required />
            <label for="confirm-webmail">
              Ban the webmail domain <bdi>{p.preview.value}</bdi> anyway
            </label>
          </div>
        )}
        <button type="submit" class="danger">
          Ban {p.preview.kind === 'ip' ? 'IP' : 'domain'} <bdi>{p.preview.value}</bdi>
        </button>{' '}
        <a class="button" href={v.return ?? '/dashboard/bans'}>
          Cancel
        </a>
      </form>
    </Layout>
  );
}
