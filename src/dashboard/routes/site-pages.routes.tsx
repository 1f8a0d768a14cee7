// Admin pages under /dashboard/sites: the list, a new site, a site's settings, its webhook endpoints.
import { type Context, Hono } from 'hono';
import type { AdminService } from '../../admin/admin.service.ts';
import type { SessionService } from '../../auth/session.service.ts';
import { actorOf } from '../../domain/principal.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { AppError, type FieldError, ValidationError } from '../../shared/errors.ts';
import type { Site, SiteService } from '../../sites/site.service.ts';
import type { WebhookService } from '../../webhooks/webhook.service.ts';
import { render } from '../components/layout.tsx';
import { pageContext } from '../dashboard-http.tsx';
import { SiteSettingsPage, SitesPage } from '../pages/sites.tsx';
import { WebhooksPage } from '../pages/webhooks.tsx';
import { settingLabel } from '../setting-labels.ts';
import { settingFields, settingsFromForm } from '../settings-form.ts';
import { adminOnly } from './admin-access.ts';

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export function sitePages(deps: {
  sites: SiteService;
  admin: AdminService;
  webhooks: WebhookService;
  sessions: SessionService;
}) {
  const app = new Hono<AppEnv>();
  app.use('*', adminOnly);

  const list = async (
    c: Context<AppEnv>,
    values: Record<string, string>,
    errors: FieldError[],
    notice: string | null,
  ) =>
    c.html(
      render(
        <SitesPage
          page={pageContext(c, deps.sessions)}
          sites={await deps.sites.list()}
          values={values}
          errors={errors}
          notice={notice}
        />,
      ),
      errors.length ? 400 : 200,
    );

  app.get('/', (c) => list(c, {}, [], c.req.query('created') ? 'The site was created.' : null));

  app.post('/', async (c) => {
    const form = await c.req.parseBody();
    const values = { id: str(form.id), name: str(form.name), origins: str(form.origins) };
    try {
      const origins = values.origins.split(/\s+/).filter(Boolean);
      const site = await deps.admin.createSite(actorOf(c.get('principal')), {
        id: values.id,
        name: values.name,
        settings: { origins },
      });
      return c.redirect(`/dashboard/sites/${site.id}?created=1`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return list(c, values, err.extra.errors ?? [], null);
      throw err;
    }
  });

  const settingsPage = (
    c: Context<AppEnv>,
    site: Site,
    values: Record<string, unknown>,
    name: string,
    errors: FieldError[],
    notice: string | null,
    version = site.version,
  ) =>
    c.html(
      render(
        <SiteSettingsPage
          page={pageContext(c, deps.sessions)}
          site={site}
          fields={settingFields()}
          values={values}
          name={name}
          errors={errors}
          notice={notice}
          version={version}
        />,
      ),
      errors.length ? 400 : 200,
    );

  /**
   * Someone else saved the settings after this form was loaded: nothing of it was written. The page
   * shows the settings as now saved (and their version, so saving again is a deliberate choice) and
   * names the fields whose typed values were not saved.
   */
  const conflictPage = async (c: Context<AppEnv>, siteId: string, typed: Record<string, unknown>, name: string) => {
    const site = await deps.sites.fresh(siteId);
    const lost = [
      ...(name !== site.name ? ['Name'] : []),
      ...settingFields()
        .filter(
          (f) =>
            f.key in typed &&
            JSON.stringify(typed[f.key]) !== JSON.stringify(site.settings[f.key as keyof typeof site.settings]),
        )
        .map((f) => settingLabel(f.key).label),
    ];
    const conflict = `Another admin saved the settings of this site while you were editing them. Nothing was saved${
      lost.length ? `: your changes to ${lost.join(', ')} are not in the form below` : ''
    }. The form now shows the settings as saved; make your changes again and save.`;
    return c.html(
      render(
        <SiteSettingsPage
          page={pageContext(c, deps.sessions)}
          site={site}
          fields={settingFields()}
          values={site.settings}
          name={site.name}
          errors={[]}
          notice={null}
          version={site.version}
          conflict={conflict}
        />,
      ),
      409,
    );
  };

  app.get('/:siteId', async (c) => {
    // Not from the cache: the form is saved over the version it shows.
    const site = await deps.sites.fresh(c.req.param('siteId'));
    const notice = c.req.query('saved')
      ? 'Settings saved.'
      : c.req.query('created')
        ? 'The site was created. Review its settings.'
        : null;
    return settingsPage(c, site, site.settings, site.name, [], notice);
  });

  app.post('/:siteId', async (c) => {
    const site = await deps.sites.get(c.req.param('siteId'));
    const form = await c.req.parseBody();
    const fields = settingFields();
    const { settings, errors } = settingsFromForm(fields, form);
    // Shown again as typed, so a mistake does not cost the rest of the form.
    const typed = Object.fromEntries(
      fields.map((f) => [f.key, f.kind === 'boolean' ? String(settings[f.key] === true) : str(form[f.key])]),
    );
    // The version the form was loaded with; a form without one (an old tab) saves as before.
    const version = /^\d{1,9}$/.test(str(form.version)) ? Number(str(form.version)) : undefined;
    if (errors.length) return settingsPage(c, site, typed, str(form.name), errors, null, version);
    try {
      await deps.admin.updateSite(actorOf(c.get('principal')), site.id, { name: str(form.name), settings }, version);
    } catch (err) {
      if (err instanceof ValidationError)
        return settingsPage(c, site, typed, str(form.name), err.extra.errors ?? [], null, version);
      if (err instanceof AppError && err.extra.code === 'site_changed')
        return conflictPage(c, site.id, settings, str(form.name));
      throw err;
    }
    return c.redirect(`/dashboard/sites/${site.id}?saved=1`, 303);
  });

  const webhooksPage = async (
    c: Context<AppEnv>,
    site: Site,
    secret: string | null,
    values: Record<string, string>,
    errors: FieldError[],
  ) =>
    c.html(
      render(
        <WebhooksPage
          page={pageContext(c, deps.sessions)}
          site={site}
          endpoints={await deps.webhooks.list(site.id)}
          secret={secret}
          values={values}
          errors={errors}
          notice={secret ? 'The endpoint was added.' : null}
        />,
      ),
      errors.length ? 400 : secret ? 201 : 200,
    );

  app.get('/:siteId/webhooks', async (c) => webhooksPage(c, await deps.sites.get(c.req.param('siteId')), null, {}, []));

  app.post('/:siteId/webhooks', async (c) => {
    const site = await deps.sites.get(c.req.param('siteId'));
    const form = await c.req.parseBody({ all: true });
    const url = str(form.url);
    const events = ([] as unknown[]).concat(form.events ?? []).filter((e): e is string => typeof e === 'string');
    try {
      // The secret is shown in this answer only: never in a URL or a redirect.
      const { secret } = await deps.admin.createWebhook(actorOf(c.get('principal')), site.id, {
        url,
        events,
        includePersonalData: form.includePersonalData === 'on',
      });
      return webhooksPage(c, site, secret, {}, []);
    } catch (err) {
      if (err instanceof ValidationError) return webhooksPage(c, site, null, { url }, err.extra.errors ?? []);
      throw err;
    }
  });

  return app;
}
