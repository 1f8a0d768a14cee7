// Admin: a site's webhook endpoints (secret shown once), and one endpoint with its deliveries.
import { EVENT_TYPES } from '../../domain/event-types.ts';
import type { FieldError } from '../../shared/errors.ts';
import type { Site } from '../../sites/site.service.ts';
import type { WebhookService } from '../../webhooks/webhook.service.ts';
import type { WebhookEndpoint } from '../../webhooks/webhook-endpoint.ts';
import { errorFor, Field } from '../components/form-field.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { Time } from '../components/time.tsx';

type Delivery = Awaited<ReturnType<WebhookService['deliveries']>>[number];

function Secret(p: { secret: string | null }) {
  if (!p.secret) return null;
  return (
    <section class="panel" aria-labelledby="secret-h">
      <h2 id="secret-h">Signing secret</h2>
      <p>Copy it now: it is not shown again. Receivers verify each delivery with it (Standard Webhooks).</p>
      <p class="secret">{p.secret}</p>
    </section>
  );
}

export function WebhooksPage(p: {
  page: PageContext;
  site: Site;
  endpoints: WebhookEndpoint[];
  secret: string | null;
  values: Record<string, string>;
  errors: FieldError[];
  notice: string | null;
}) {
  return (
    <Layout
      title={`Webhooks of ${p.site.name}`}
      page={p.page}
      active="sites"
      notice={p.notice}
      error={p.errors.length ? 'The endpoint was not added; see the messages below.' : null}
    >
      <p>
        <a href={`/dashboard/sites/${p.site.id}`}>← Settings of {p.site.name}</a>
      </p>
      <h1>Webhook endpoints of {p.site.name}</h1>
      <Secret secret={p.secret} />
      {p.endpoints.length === 0 ? (
        <p class="empty">No endpoints yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
              <th scope="col">
                <span class="sr-only">Links</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.endpoints.map((e) => (
              <tr>
                <td>{e.url}</td>
                <td>{e.events.length ? e.events.join(', ') : 'all'}</td>
                <td>{e.enabled ? 'enabled' : `disabled${e.disabledReason ? `: ${e.disabledReason}` : ''}`}</td>
                <td>
                  <a href={`/dashboard/webhooks/${e.id}`}>Deliveries</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel" aria-labelledby="new-ep">
        <h2 id="new-ep">New endpoint</h2>
        <form method="post" action={`/dashboard/sites/${p.site.id}/webhooks`}>
          <input type="hidden" name="_csrf" value={p.page.csrf} />
          <Field
            id="ep-url"
            label="URL"
            help="Where to POST events, e.g. https://example.com/hooks/comments"
            error={errorFor(p.errors, 'url')}
          >
            {(a) => <input {...a} name="url" type="url" required value={p.values.url ?? ''} size={50} />}
          </Field>
          <fieldset class="field">
            <legend>Events (none ticked: all)</legend>
            {EVENT_TYPES.map((t) => (
              <label>
                <input type="checkbox" name="events" value={t} /> {t}{' '}
              </label>
            ))}
          </fieldset>
          <Field id="ep-personal" label="Include the author's email, IP and user agent" error={null} checkbox>
            {(a) => <input {...a} type="checkbox" name="includePersonalData" />}
          </Field>
          <button type="submit" class="primary">
            Add endpoint
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function EndpointPage(p: {
  page: PageContext;
  endpoint: WebhookEndpoint;
  deliveries: Delivery[];
  secret: string | null;
  notice: string | null;
}) {
  const e = p.endpoint;
  const hidden = <input type="hidden" name="_csrf" value={p.page.csrf} />;
  return (
    <Layout title="Webhook deliveries" page={p.page} active="sites" notice={p.notice}>
      <p>
        <a href={`/dashboard/sites/${e.siteId}/webhooks`}>← Endpoints of {e.siteId}</a>
      </p>
      <h1>Deliveries to {e.url}</h1>
      <p>
        {e.enabled ? 'Enabled' : `Disabled${e.disabledReason ? `: ${e.disabledReason}` : ''}`} · events:{' '}
        {e.events.length ? e.events.join(', ') : 'all'} · personal data: {e.includePersonalData ? 'yes' : 'no'}
      </p>
      <Secret secret={p.secret} />
      <div class="actions filters">
        <form method="post" action={`/dashboard/webhooks/${e.id}/${e.enabled ? 'disable' : 'enable'}`}>
          {hidden}
          <button type="submit">{e.enabled ? 'Disable' : 'Enable'}</button>
        </form>
        <form method="post" action={`/dashboard/webhooks/${e.id}/rotate-secret`}>
          {hidden}
          <button type="submit">Rotate secret (old one valid 24 h)</button>
        </form>
        <form method="post" action={`/dashboard/webhooks/${e.id}/delete`}>
          {hidden}
          <button type="submit" class="danger">
            Delete endpoint
          </button>
        </form>
      </div>
      {p.deliveries.length === 0 ? (
        <p class="empty">No deliveries yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col" class="optional">
                Attempts
              </th>
              <th scope="col">Last answer</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.deliveries.map((d) => (
              <tr>
                <td>{d.eventType}</td>
                <td>{d.status}</td>
                <td class="optional">
                  {d.log.map((a) => `${a.statusCode ?? a.error ?? '—'} (${a.durationMs} ms)`).join(', ') || '0'}
                </td>
                <td>{d.lastStatusCode ?? d.lastError ?? '—'}</td>
                <td>
                  <Time at={d.createdAt} />
                </td>
                <td>
                  <form method="post" action={`/dashboard/webhook-deliveries/${d.id}/redeliver`} class="inline">
                    {hidden}
                    <input type="hidden" name="endpoint" value={e.id} />
                    <button type="submit">Redeliver</button>
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
