// Most of a site's recent comments from one IP: behind a reverse proxy without TRUST_PROXY the service
// sees the proxy's address for every reader, so flood control, bans and sign-in limits treat them all
// as one client. Shown on the queue and on the bans pages.
import type { SharedIp } from '../../review/review.service.ts';

export function SharedIpWarning(props: { warnings: SharedIp[] }) {
  return (
    <>
      {props.warnings.map((w) => (
        <p class="warning shared-ip" role="alert">
          {w.count} of the last {w.of} comments on {w.siteId} came from one IP, <code>{w.ip}</code>.{' '}
          {w.trustProxy
            ? 'TRUST_PROXY is on, so your proxy probably does not send the reader’s address in X-Forwarded-For.'
            : 'The service probably sees your reverse proxy’s address, not the readers’: TRUST_PROXY is probably missing (set TRUST_PROXY=true, only behind your own proxy).'}{' '}
          Banning that IP would hit everyone.
        </p>
      ))}
    </>
  );
}
