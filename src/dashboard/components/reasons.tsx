// Why a comment was held, in plain words: a short label per reason code, and the filter's own sentence.
const LABELS: Record<string, string> = {
  first_comment: 'First comment by this author',
  unverified_author: 'Returning author, address not verified',
  moderation_all: 'Site holds every comment',
  banned: 'Author is banned',
  profanity: 'Profanity',
  blocked_word: 'Blocked word',
  hold_word: 'Word held for review',
  too_many_links: 'Many links',
  honeypot: 'Hidden field filled (a bot)',
  time_trap: 'Sent too fast (a bot)',
  shouting: 'Mostly capitals',
  repeated_characters: 'Repeated characters',
  blocked_email: 'Blocked email',
  blocked_domain: 'Blocked email domain',
  blocked_ip: 'Blocked IP',
  filter_failed: 'A filter failed',
};

interface Reason {
  action?: string;
  code?: string;
  detail?: string;
}

function reasonLabel(code: string): string {
  return LABELS[code] ?? code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function Reasons(props: { reasons: unknown[] }) {
  const reasons = props.reasons.filter(
    (r): r is Reason => typeof r === 'object' && r !== null && typeof (r as Reason).code === 'string',
  );
  if (reasons.length === 0) return null;
  return (
    <ul class="reasons" aria-label="Why it was held">
      {reasons.map((r) => (
        <li class={`reason ${r.action ?? ''}`} title={r.detail ?? ''}>
          <strong>{reasonLabel(r.code!)}</strong>
          {r.detail ? <span class="sr-only">: {r.detail}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The filters' sentences in full (detail page). */
export function ReasonDetails(props: { reasons: unknown[] }) {
  const reasons = props.reasons.filter(
    (r): r is Reason => typeof r === 'object' && r !== null && typeof (r as Reason).code === 'string',
  );
  if (reasons.length === 0) return <p class="muted">No filter reasons recorded.</p>;
  return (
    <ul>
      {reasons.map((r) => (
        <li>
          <strong>{reasonLabel(r.code!)}</strong> ({r.action ?? 'note'}){r.detail ? `: ${r.detail}` : ''}
        </li>
      ))}
    </ul>
  );
}
