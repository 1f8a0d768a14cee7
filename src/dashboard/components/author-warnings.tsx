// What a card says about its author beyond the comment: a ban in force on them (by email, domain or
// IP). The data comes with the queue item (review.service.ts); JSX escapes every string.
import type { QueueItem } from '../../review/review.service.ts';

const BY = { email: 'email', domain: 'email domain', ip: 'IP' } as const;

export function AuthorWarnings(props: { item: Pick<QueueItem, 'ban'> }) {
  const ban = props.item.ban;
  if (!ban) return null;
  return (
    <p class="warning banned" role="note">
      Banned author: the {BY[ban.kind]} <bdi>{ban.value}</bdi> is banned on this site
      {ban.expiresAt ? ` until ${ban.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''} (
      <a href="/dashboard/bans">bans</a>).
    </p>
  );
}
