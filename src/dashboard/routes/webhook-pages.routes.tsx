// Admin pages for one webhook endpoint: its deliveries with every attempt, redelivery, enable / disable,
// secret rotation (new secret shown once) and removal.
import { Hono } from 'hono';
import type { AdminService } from '../../admin/admin.service.ts';
import type { SessionService } from '../../auth/session.service.ts';
import { actorOf } from '../../domain/principal.ts';
import type { AppEnv } from '../../http/app-env.ts';
import type { WebhookService } from '../../webhooks/webhook.service.ts';
import { render } from '../components/layout.tsx';
import { pageContext } from '../dashboard-http.tsx';
import { EndpointPage } from '../pages/webhooks.tsx';
import { adminOnly } from './admin-access.ts';

const NOTICES: Record<string, string> = {
  enabled: 'The endpoint is enabled.',
  disabled: 'The endpoint is disabled.',
  redelivered: 'The delivery is queued again.',
};

/** Own keys only: `?done=constructor` must not pick up Object's inherited members. */
const noticeOf = (done: string | undefined) => (done && Object.hasOwn(NOTICES, done) ? NOTICES[done]! : null);

export function webhookPages(deps: { admin: AdminService; webhooks: WebhookService; sessions: SessionService }) {
  const app = new Hono<AppEnv>();
  app.use('*', adminOnly);

  app.get('/:id', async (c) => {
    const endpoint = await deps.webhooks.get(c.req.param('id'));
    const deliveries = await deps.webhooks.deliveries(endpoint.id, 100);
    return c.html(
      render(
        <EndpointPage
          page={pageContext(c, deps.sessions)}
          endpoint={endpoint}
          deliveries={deliveries}
          secret={null}
          notice={noticeOf(c.req.query('done'))}
        />,
      ),
    );
  });

  for (const [path, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post(`/:id/${path}`, async (c) => {
      await deps.admin.updateWebhook(actorOf(c.get('principal')), c.req.param('id'), { enabled });
      return c.redirect(`/dashboard/webhooks/${c.req.param('id')}?done=${enabled ? 'enabled' : 'disabled'}`, 303);
    });
  }

  app.post('/:id/rotate-secret', async (c) => {
    const { endpoint, secret } = await deps.admin.rotateWebhookSecret(
      actorOf(c.get('principal')),
      c.req.param('id'),
      24,
    );
    const deliveries = await deps.webhooks.deliveries(endpoint.id, 100);
    return c.html(
      render(
        <EndpointPage
          page={pageContext(c, deps.sessions)}
          endpoint={endpoint}
          deliveries={deliveries}
          secret={secret}
          notice="A new secret signs from now on; the old one also signs for 24 hours."
        />,
      ),
    );
  });

  app.post('/:id/delete', async (c) => {
    const endpoint = await deps.webhooks.get(c.req.param('id'));
    await deps.admin.deleteWebhook(actorOf(c.get('principal')), endpoint.id);
    return c.redirect(`/dashboard/sites/${endpoint.siteId}/webhooks`, 303);
  });

  return app;
}

export function deliveryPages(deps: { admin: AdminService }) {
  const app = new Hono<AppEnv>();
  app.use('*', adminOnly);
  app.post('/:id/redeliver', async (c) => {
    const form = await c.req.parseBody();
    await deps.admin.redeliver(actorOf(c.get('principal')), c.req.param('id'));
    const endpoint = typeof form.endpoint === 'string' && /^[0-9a-f-]{36}$/i.test(form.endpoint) ? form.endpoint : null;
    return c.redirect(endpoint ? `/dashboard/webhooks/${endpoint}?done=redelivered` : '/dashboard/sites', 303);
  });
  return app;
}
