// One comment in full: the card with its actions, every reason and matched word, the author's record
// on the site, the moderation log, and bans for the author.

import type { LogEntry } from '../../comments/moderated-comment.ts';
import type { QueueItem } from '../../review/review.service.ts';
import { clientKey } from '../../shared/ip-address.ts';
import { CommentCard } from '../components/comment-card.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { ReasonDetails, SpamScore } from '../components/reasons.tsx';
import { Time } from '../components/time.tsx';
import { UndoForm } from '../components/undo-form.tsx';
import type { UndoEntry } from '../undo-offer.ts';

interface Match {
  field: string;
  word: string;
  start: number;
  end: number;
}

function matchesOf(reasons: unknown[]): Match[] {
  return reasons.flatMap((r) => {
    const m = (r as { data?: { matches?: unknown } })?.data?.matches;
    return Array.isArray(m)
      ? (m.filter((x) => x && typeof x.field === 'string' && Number.isInteger(x.start)) as Match[])
      : [];
  });
}

export function actorName(e: { actorType: string; actorId: string; actorEmail?: string | null }): string {
  if (e.actorType === 'user') return e.actorEmail ?? `user ${e.actorId.slice(0, 8)}`;
  if (e.actorType === 'filter') return `filters (${e.actorId})`;
  return `${e.actorType} (${e.actorId})`;
}

/** An IPv4 address alone; an IPv6 address, and its /64 (where the same reader's next address will be). */
function ipBans(ip: string | null): { kind: string; id: string; value: string; label: string }[] {
  if (!ip) return [];
  const network = ip.includes(':') ? clientKey(ip) : null;
  return [
    { kind: 'ip', id: 'ip', value: ip, label: 'Ban IP' },
    ...(network ? [{ kind: 'ip', id: 'net', value: network, label: 'Ban IPv6 network' }] : []),
  ];
}

function BanForms(p: { page: PageContext; c: QueueItem }) {
  const domain = p.c.email.split('@')[1] ?? '';
  const kinds = [
    { kind: 'email', id: 'email', value: p.c.email, label: 'Ban email' },
    { kind: 'domain', id: 'domain', value: domain, label: 'Ban domain' },
    ...ipBans(p.c.ip),
  ].filter((k) => k.value);
  return (
    <section class="panel" aria-labelledby="ban-h">
      <h2 id="ban-h">Ban this author on {p.c.siteId}</h2>
      <p class="muted">New comments from a banned email, domain or IP are rejected.</p>
      {kinds.map((k) => (
        <form method="post" action="/dashboard/bans" class="filters">
          <input type="hidden" name="_csrf" value={p.page.csrf} />
          <input type="hidden" name="return" value={`/dashboard/comments/${p.c.id}`} />
          <input type="hidden" name="siteId" value={p.c.siteId} />
          <input type="hidden" name="kind" value={k.kind} />
          <input type="hidden" name="value" value={k.value} />
          <div class="field">
            <label for={`dur-${k.id}`}>For</label>
            <select id={`dur-${k.id}`} name="duration">
              <option value="1">1 day</option>
              <option value="7">7 days</option>
              <option value="30">30 days</option>
              <option value="">Until lifted</option>
            </select>
          </div>
          <div class="field">
            <label for={`why-${k.id}`}>Reason</label>
            <input id={`why-${k.id}`} name="reason" maxlength={500} />
          </div>
          <div class="field check">
            <input type="checkbox" id={`held-${k.id}`} name="rejectHeld" value="1" />
            <label for={`held-${k.id}`}>Also reject their held comments</label>
          </div>
          <button type="submit" class="danger">
            {k.label} <bdi>{k.value}</bdi>
          </button>
        </form>
      ))}
    </section>
  );
}

function LogTable(props: { entries: LogEntry[]; showComment?: boolean }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Change</th>
          {props.showComment && <th scope="col">Comment</th>}
          <th scope="col" class="optional">
            Note
          </th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((e) => (
          <tr>
            <td>
              <Time at={e.createdAt} />
            </td>
            <td>{actorName(e)}</td>
            <td>
              {e.from ?? 'new'} → <strong>{e.to}</strong>
            </td>
            {props.showComment && (
              <td>
                <a href={`/dashboard/comments/${e.commentId}`}>{e.commentId.slice(0, 8)}</a>{' '}
                <span class="muted">({e.siteId})</span>
              </td>
            )}
            <td class="optional">
              <bdi>{e.note ?? ''}</bdi>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CommentPage(p: {
  page: PageContext;
  comment: QueueItem;
  recent: QueueItem[];
  log: LogEntry[];
  notice: string | null;
  /** The notice's decision, for its Undo button (no JavaScript). */
  undo?: UndoEntry[] | null;
}) {
  const c = p.comment;
  const matches = matchesOf(c.reasons);
  return (
    <Layout
      title={`Comment by ${c.name}`}
      page={p.page}
      active="queue"
      notice={p.notice}
      noticeAction={
        p.undo ? <UndoForm csrf={p.page.csrf} entries={p.undo} returnTo={`/dashboard/comments/${c.id}`} /> : undefined
      }
    >
      <p>
        <a href={`/dashboard/queue?status=${c.status === 'deleted' ? 'pending' : c.status}`}>← Back to the queue</a>
      </p>
      <h1>
        Comment by <bdi>{c.name}</bdi>
      </h1>
      <ol class="cards" id="queue" data-detail="true">
        <CommentCard item={c} formId="act" selectable={false} detailLink={false} />
      </ol>
      {/* The card's buttons submit this form (form="act"), so the reason goes with them. */}
      <form id="act" method="post" action={`/dashboard/comments/${c.id}/approve`} class="filters reason-line">
        <input type="hidden" name="_csrf" value={p.page.csrf} />
        <input type="hidden" name="return" value={`/dashboard/comments/${c.id}`} />
        <div class="field">
          <label for="act-reason">Reason for the log, sent with the buttons above (optional)</label>
          <input id="act-reason" name="reason" maxlength={1000} size={60} />
        </div>
      </form>
      <div class="grid2">
        <section class="panel" aria-labelledby="why-h">
          <h2 id="why-h">Why it was held</h2>
          <ReasonDetails reasons={c.reasons} />
          <SpamScore reasons={c.reasons} />
          {matches.length > 0 && (
            <>
              <h3>Matched words</h3>
              <ul>
                {matches.map((m) => (
                  <li>
                    “<bdi>{m.word}</bdi>” in {m.field}, characters {m.start}–{m.end}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>Request</h3>
          <p class="muted">
            User agent: <bdi>{c.userAgent ?? 'unknown'}</bdi>
          </p>
        </section>
        <section class="panel" aria-labelledby="hist-h">
          <h2 id="hist-h">The author on {c.siteId}</h2>
          <p>
            {c.author.approved} approved · {c.author.pending} pending · {c.author.rejected} rejected · {c.author.spam}{' '}
            spam
          </p>
          {p.recent.length === 0 ? (
            <p class="muted">No other comments.</p>
          ) : (
            <ul>
              {p.recent.map((r) => (
                <li>
                  <a href={`/dashboard/comments/${r.id}`}>
                    <bdi>{r.body.length > 80 ? `${r.body.slice(0, 80)}…` : r.body || '(deleted)'}</bdi>
                  </a>{' '}
                  <span class="muted">
                    ({r.status}, <Time at={r.createdAt} />)
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <h2>Moderation log</h2>
      <LogTable entries={p.log} />
      {c.status !== 'deleted' && <BanForms page={p.page} c={c} />}
    </Layout>
  );
}
