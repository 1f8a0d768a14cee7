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
  learned_spam: 'Learned spam score',
};

interface Reason {
  action?: string;
  code?: string;
  detail?: string;
  data?: Record<string, unknown>;
}

interface TokenWhy {
  text: string;
  probability: number;
}

/** The learned spam score's reason (src/filters/learned-spam.filter.ts), when the comment was scored. */
function learnedOf(reasons: unknown[]): { score: number; forSpam: TokenWhy[]; forHam: TokenWhy[] } | null {
  const r = reasons.find((x): x is Reason => (x as Reason | null)?.code === 'learned_spam') as Reason | undefined;
  const d = r?.data;
  if (!d || typeof d.score !== 'number') return null;
  const tokens = (v: unknown): TokenWhy[] =>
    Array.isArray(v)
      ? v.filter((t): t is TokenWhy => typeof t?.text === 'string' && typeof t?.probability === 'number')
      : [];
  return { score: d.score, forSpam: tokens(d.forSpam), forHam: tokens(d.forHam) };
}

const pct = (n: number) => `${Math.round(n * 100)}%`;

function TokenList(props: { label: string; tokens: TokenWhy[]; kind: 'spam' | 'ham' }) {
  if (props.tokens.length === 0) return null;
  return (
    <span class={`spam-tokens ${props.kind}`}>
      {props.label}{' '}
      {props.tokens.map((t, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <bdi title={`spam probability ${pct(t.probability)}`}>{t.text}</bdi>
        </>
      ))}
    </span>
  );
}

/** The learned spam score with the tokens that drove it, most telling first (`limit` each way). */
export function SpamScore(props: { reasons: unknown[]; limit?: number }) {
  const learned = learnedOf(props.reasons);
  if (!learned) return null;
  const limit = props.limit ?? 5;
  return (
    <p class="spam-score" data-score={learned.score}>
      <strong>Spam score {pct(learned.score)}</strong>{' '}
      <TokenList label="for spam:" tokens={learned.forSpam.slice(0, limit)} kind="spam" />{' '}
      <TokenList label="against:" tokens={learned.forHam.slice(0, limit)} kind="ham" />
    </p>
  );
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
