// A warning in the server log when a page on an origin a site does not allow asks for its comments:
// the operator sees which origin to allow for which site. One line per site and origin per interval
// (a popular page would otherwise write one per reader), with the number of refusals left unlogged.
import type { Logger } from 'pino';

const INTERVAL_MS = 10 * 60_000;
/** Distinct site-origin pairs remembered; past this the oldest is forgotten (and may be logged again). */
const MAX_PAIRS = 1_000;

export function originRefusalLog(log: Logger, intervalMs = INTERVAL_MS) {
  const pairs = new Map<string, { loggedAt: number; unlogged: number }>();
  return function noteRefusal(siteId: string, origin: string): void {
    const key = `${siteId}\u0000${origin}`;
    const now = Date.now();
    const seen = pairs.get(key);
    if (seen && now - seen.loggedAt < intervalMs) {
      seen.unlogged += 1;
      return;
    }
    pairs.delete(key);
    if (pairs.size >= MAX_PAIRS) pairs.delete(pairs.keys().next().value!);
    pairs.set(key, { loggedAt: now, unlogged: 0 });
    log.warn(
      { siteId, origin, refusedSinceLastWarning: seen?.unlogged ?? 0 },
      `refused a page on ${origin}: it is not an allowed origin of site "${siteId}" (allow it with: npm run cli -- sites:update --id ${siteId} --origin ${origin})`,
    );
  };
}
