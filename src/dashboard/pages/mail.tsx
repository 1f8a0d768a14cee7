// The Mail page: with no SMTP, the mail this service keeps instead of sending (so a newcomer can
// follow a confirmation link on one machine); with SMTP, the log of what went out.
import type { MailLog, MailSummary, MailView } from '../../mail/mail-log.service.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { LinkedText } from '../components/linked-text.tsx';
import { Time } from '../components/time.tsx';

function ModeNote(p: { mode: MailLog['mode'] }) {
  return p.mode === 'kept' ? (
    <p class="muted">
      No SMTP server is configured (<code>SMTP_URL</code>), so mail is kept here instead of being sent: open one to read
      it and follow its links.
    </p>
  ) : (
    <p class="muted">
      Mail goes out via SMTP (<code>SMTP_URL</code>). This is the log of what was sent.
    </p>
  );
}

const recipient = (m: MailSummary) => (m.to.name ? `${m.to.name} <${m.to.address}>` : m.to.address);

export function MailListPage(p: {
  page: PageContext;
  mode: MailLog['mode'];
  messages: MailSummary[];
  nextCursor: string | null;
}) {
  return (
    <Layout title="Mail" page={p.page} active="mail">
      <h1>Mail</h1>
      <ModeNote mode={p.mode} />
      {p.messages.length === 0 ? (
        <p class="empty">No mail yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col" class="optional">
                Kind
              </th>
              <th scope="col" class="optional">
                Site
              </th>
            </tr>
          </thead>
          <tbody>
            {p.messages.map((m) => (
              <tr>
                <td>
                  <Time at={m.createdAt} />
                </td>
                <td>
                  <bdi>{recipient(m)}</bdi>
                </td>
                <td>
                  <a href={`/dashboard/mail/${m.id}`}>
                    <bdi>{m.subject}</bdi>
                  </a>
                  {m.status === 'failed' && <span class="muted"> (failed)</span>}
                </td>
                <td class="optional">{m.kind}</td>
                <td class="optional">{m.siteId ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.nextCursor && (
        <p class="pager">
          <a href={`/dashboard/mail?cursor=${p.nextCursor}`}>Older mail</a>
        </p>
      )}
    </Layout>
  );
}

export function MailMessagePage(p: { page: PageContext; mode: MailLog['mode']; mail: MailView }) {
  const m = p.mail;
  return (
    <Layout title={m.subject} page={p.page} active="mail">
      <p>
        <a href="/dashboard/mail">All mail</a>
      </p>
      <h1>
        <bdi>{m.subject}</bdi>
      </h1>
      <ModeNote mode={p.mode} />
      <dl class="mail-headers">
        <dt>From</dt>
        <dd>
          <bdi>{m.from}</bdi>
        </dd>
        <dt>To</dt>
        <dd>
          <bdi>{recipient(m)}</bdi>
        </dd>
        <dt>{p.mode === 'kept' ? 'Kept' : 'Sent'}</dt>
        <dd>
          <Time at={m.sentAt ?? m.createdAt} />
        </dd>
        <dt>Kind</dt>
        <dd>{m.kind}</dd>
        {m.headers['List-Unsubscribe'] && (
          <>
            <dt>List-Unsubscribe</dt>
            <dd>
              <code>{m.headers['List-Unsubscribe']}</code>
            </dd>
          </>
        )}
        {m.error && (
          <>
            <dt>Error</dt>
            <dd>{m.error}</dd>
          </>
        )}
      </dl>
      <h2>Text part</h2>
      <pre class="mail-text">
        <LinkedText text={m.text} />
      </pre>
    </Layout>
  );
}
