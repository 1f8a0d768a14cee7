// The Reported tab: comments readers reported, highest weighted score first, with each reason's count
// and weight, the notifiers' details of illegal-content notices, the time since the first report, and
// the decisions as plain form posts (keys in assets/reported.js). Below: the sites' transparency figures.
// Every string a reader wrote goes through JSX (escaped) and is a bidi isolate.
import type { ReportedComment, ReportTransparency } from '../../reports/report.service.ts';
import { assetUrl } from '../assets.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { Time } from '../components/time.tsx';

const REASON_LABEL: Record<string, string> = {
  spam: 'Spam',
  abuse: 'Abuse',
  off_topic: 'Off topic',
  other: 'Other',
  illegal: 'Illegal content',
};
const DECISIONS = [
  { action: 'dismiss', key: 'd', label: 'Dismiss reports', title: 'The comment stays, or is published again' },
  { action: 'reject', key: 'r', label: 'Reject comment', title: 'Uphold the reports and reject the comment' },
  { action: 'spam', key: 's', label: 'Spam', title: 'Uphold the reports and mark the comment as spam' },
] as const;

const weight = (n: number) => n.toFixed(2);

function duration(seconds: number | null): string {
  if (seconds === null) return 'no decision yet';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} d`;
}

function ReportedCard(props: { item: ReportedComment; csrf: string; back: string }) {
  const { comment: c, reports } = props.item;
  const open = reports.filter((r) => r.outcome === 'open');
  const notices = open.filter((r) => r.notice);
  const details = open.filter((r) => r.detail);
  const headingId = `r-${c.id}-h`;
  return (
    <li class="card" id={`r-${c.id}`} data-id={c.id} data-status={c.status} tabindex={-1} aria-labelledby={headingId}>
      <div class="select"></div>
      <div class="content">
        <header>
          <h3 class="author" id={headingId}>
            <bdi>{c.name}</bdi>
          </h3>
          <span class="meta">
            <bdi>{c.email}</bdi>
          </span>
          <span class="meta">
            {c.siteId} · <bdi>{c.articleId}</bdi>
          </span>
          <span class="status">{c.status === 'pending' ? 'hidden pending review' : c.status}</span>
        </header>
        <p class="body" dir="auto">
          <bdi>{c.body}</bdi>
        </p>
        <p class="score">
          <strong>Score {weight(props.item.score)}</strong> from {open.length} open report
          {open.length === 1 ? '' : 's'} · first reported <Time at={new Date(props.item.firstReportedAt)} />
        </p>
        <ul class="reasons" aria-label="Reasons">
          {props.item.reasons.map((r) => (
            <li class="reason">
              {REASON_LABEL[r.reason] ?? r.reason} ×{r.count} <span class="muted">(weight {weight(r.weight)})</span>
            </li>
          ))}
        </ul>
        {details.length > 0 && (
          <ul class="report-details" aria-label="What reporters wrote">
            {details.map((r) => (
              <li dir="auto">
                <span class="muted">{REASON_LABEL[r.reason]}:</span> <bdi>{r.detail}</bdi>
              </li>
            ))}
          </ul>
        )}
        {notices.map((r) => (
          <dl class="notice-fields" aria-label="Illegal-content notice (EU DSA Art. 16)">
            <dt>Law or rule</dt>
            <dd dir="auto">{r.notice!.law}</dd>
            <dt>Explanation</dt>
            <dd dir="auto">{r.notice!.explanation}</dd>
            <dt>Notifier</dt>
            <dd>
              <bdi>{r.notice!.reporterName}</bdi> &lt;<bdi>{r.notice!.reporterEmail}</bdi>&gt;
            </dd>
            <dt>Good faith</dt>
            <dd>{r.notice!.goodFaith ? 'confirmed' : 'not confirmed'}</dd>
            <dt>Filed</dt>
            <dd>
              <Time at={new Date(r.createdAt)} />
            </dd>
          </dl>
        ))}
        <form method="post" class="actions" action={`/dashboard/reported/${c.id}/dismiss`}>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="return" value={props.back} />
          {DECISIONS.map((d) => (
            <button
              type="submit"
              formaction={`/dashboard/reported/${c.id}/${d.action}`}
              data-decision={d.action}
              aria-keyshortcuts={d.key}
              title={`${d.title} (${d.key})`}
            >
              {d.label}
            </button>
          ))}
          <a class="button" href={`/dashboard/comments/${c.id}`}>
            Details
          </a>
        </form>
      </div>
    </li>
  );
}

function TransparencyTable(props: { t: ReportTransparency }) {
  const t = props.t;
  return (
    <section aria-labelledby={`t-${t.siteId}`}>
      <h3 id={`t-${t.siteId}`}>{t.siteId}</h3>
      <p>
        {t.total} report{t.total === 1 ? '' : 's'} · {t.decisions} decision{t.decisions === 1 ? '' : 's'} · median time
        from first report to decision: <strong>{duration(t.medianSecondsToDecision)}</strong>
      </p>
      <table>
        <caption class="sr-only">Reports on {t.siteId} by reason and outcome</caption>
        <thead>
          <tr>
            <th scope="col">Reason</th>
            <th scope="col">Open</th>
            <th scope="col">Upheld</th>
            <th scope="col">Dismissed</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {t.byReason.map((r) => (
            <tr>
              <th scope="row">{REASON_LABEL[r.reason] ?? r.reason}</th>
              <td>{r.open}</td>
              <td>{r.upheld}</td>
              <td>{r.dismissed}</td>
              <td>{r.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ReportedPage(p: {
  page: PageContext;
  siteId: string | undefined;
  sites: string[];
  items: ReportedComment[];
  transparency: ReportTransparency[];
  notice: string | null;
}) {
  const back = `/dashboard/reported${p.siteId ? `?site=${encodeURIComponent(p.siteId)}` : ''}`;
  return (
    <Layout title="Reported" page={p.page} active="reported" notice={p.notice}>
      <script src={assetUrl('reported.js')} defer></script>
      <h1>Reported by readers</h1>
      <p class="muted">
        Comments whose reports reach the site's queue threshold, or that carry an illegal-content notice, highest
        weighted score first. Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>d</kbd> dismiss the reports,{' '}
        <kbd>r</kbd> reject the comment, <kbd>s</kbd> mark it as spam.
      </p>
      <form method="get" action="/dashboard/reported" class="filters" role="search">
        <div class="field">
          <label for="r-site">Site</label>
          <select id="r-site" name="site">
            <option value="">All my sites</option>
            {p.sites.map((s) => (
              <option value={s} selected={s === p.siteId}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      {p.items.length === 0 ? (
        <p class="empty" id="reported-empty">
          No reported comments waiting.
        </p>
      ) : (
        <ol class="cards" id="reported" aria-label="Reported comments">
          {p.items.map((item) => (
            <ReportedCard item={item} csrf={p.page.csrf} back={back} />
          ))}
        </ol>
      )}
      <h2>Transparency</h2>
      <p class="muted">Every report filed, by reason and outcome, and how fast moderators decided.</p>
      {p.transparency.map((t) => (
        <TransparencyTable t={t} />
      ))}
    </Layout>
  );
}
