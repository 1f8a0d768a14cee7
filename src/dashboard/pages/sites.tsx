// Admin: the sites, a new site, and one site's settings (generated from the settings schema).
import type { FieldError } from '../../shared/errors.ts';
import type { Site } from '../../sites/site.service.ts';
import { errorFor, Field } from '../components/form-field.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { groupOf, SETTING_GROUPS, settingLabel } from '../setting-labels.ts';
import { formValue, type SettingField } from '../settings-form.ts';

export function SitesPage(p: {
  page: PageContext;
  sites: Site[];
  values: Record<string, string>;
  errors: FieldError[];
  notice: string | null;
}) {
  return (
    <Layout
      title="Sites"
      page={p.page}
      active="sites"
      notice={p.notice}
      error={p.errors.length ? 'The site was not created; see the messages below.' : null}
    >
      <h1>Sites</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Name</th>
            <th scope="col">Mode</th>
            <th scope="col" class="optional">
              Allowed origins
            </th>
            <th scope="col">
              <span class="sr-only">Links</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {p.sites.map((s) => (
            <tr>
              <td>{s.id}</td>
              <td>{s.name}</td>
              <td>{s.settings.moderation}</td>
              <td class="optional">{s.settings.origins.join(', ') || '(none)'}</td>
              <td>
                <a href={`/dashboard/sites/${s.id}`}>Settings</a> ·{' '}
                <a href={`/dashboard/sites/${s.id}/webhooks`}>Webhooks</a> ·{' '}
                <a href={`/dashboard/queue?site=${s.id}`}>Queue</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel" aria-labelledby="new-site">
        <h2 id="new-site">New site</h2>
        <form method="post" action="/dashboard/sites">
          <input type="hidden" name="_csrf" value={p.page.csrf} />
          <Field
            id="site-id"
            label="Id"
            help="Used in API paths and the embed snippet: a-z, 0-9, - and _."
            error={errorFor(p.errors, 'id')}
          >
            {(a) => <input {...a} name="id" required value={p.values.id ?? ''} />}
          </Field>
          <Field id="site-name" label="Name" error={errorFor(p.errors, 'name')}>
            {(a) => <input {...a} name="name" required value={p.values.name ?? ''} />}
          </Field>
          <Field
            id="site-origins"
            label="Allowed origins"
            help="One per line, e.g. https://news.example"
            error={errorFor(p.errors, 'settings.origins')}
          >
            {(a) => (
              <textarea {...a} name="origins">
                {p.values.origins ?? ''}
              </textarea>
            )}
          </Field>
          <button type="submit" class="primary">
            Create site
          </button>
        </form>
      </section>
    </Layout>
  );
}

function SettingInput(p: { field: SettingField; value: string; error: string | null }) {
  const f = p.field;
  const { label, help } = settingLabel(f.key);
  const id = `set-${f.key}`;
  if (f.kind === 'boolean') {
    return (
      <Field id={id} label={label} help={help} error={p.error} checkbox>
        {(a) => <input {...a} type="checkbox" name={f.key} checked={p.value === 'true'} />}
      </Field>
    );
  }
  return (
    <Field id={id} label={label} help={help} error={p.error}>
      {(a) =>
        f.kind === 'list' ? (
          <textarea {...a} name={f.key} rows={4}>
            {p.value}
          </textarea>
        ) : f.kind === 'choice' ? (
          <select {...a} name={f.key}>
            {f.options.map((o) => (
              <option value={o} selected={o === p.value}>
                {o}
              </option>
            ))}
          </select>
        ) : f.kind === 'number' ? (
          <input
            {...a}
            name={f.key}
            type="number"
            inputmode="decimal"
            step={f.integer ? '1' : 'any'}
            min={f.min ?? undefined}
            max={f.max ?? undefined}
            value={p.value}
            required={!f.nullable}
          />
        ) : (
          <input {...a} name={f.key} value={p.value} />
        )
      }
    </Field>
  );
}

export function SiteSettingsPage(p: {
  page: PageContext;
  site: Site;
  fields: SettingField[];
  values: Record<string, unknown>;
  name: string;
  errors: FieldError[];
  notice: string | null;
  /** The version the form is made from (p.site's, or the one just saved by someone else). */
  version: number;
  /** Someone else saved meanwhile: says so instead of the usual banner. */
  conflict?: string | null;
}) {
  return (
    <Layout
      title={`Settings of ${p.site.name}`}
      page={p.page}
      active="sites"
      notice={p.notice}
      error={p.conflict ?? (p.errors.length ? 'Nothing was saved; see the messages below.' : null)}
    >
      <p>
        <a href="/dashboard/sites">← Sites</a>
      </p>
      <h1>
        Settings of {p.site.name} <span class="muted">({p.site.id})</span>
      </h1>
      <p>
        <a href={`/dashboard/sites/${p.site.id}/webhooks`}>Webhook endpoints of this site</a>
      </p>
      <form method="post" action={`/dashboard/sites/${p.site.id}`} class="panel" novalidate>
        <input type="hidden" name="_csrf" value={p.page.csrf} />
        {/* Saved only over this version: a colleague's save in between is not silently replaced. */}
        <input type="hidden" name="version" value={String(p.version)} />
        <Field id="set-name" label="Name" error={errorFor(p.errors, 'name')}>
          {(a) => <input {...a} name="name" required value={p.name} />}
        </Field>
        {SETTING_GROUPS.map((g) => {
          const fields = p.fields.filter((f) => groupOf(f.key) === g.title);
          if (fields.length === 0) return null;
          return (
            <fieldset class="group">
              <legend>{g.title}</legend>
              {fields.map((f) => (
                <SettingInput
                  field={f}
                  value={
                    typeof p.values[f.key] === 'string' ? (p.values[f.key] as string) : formValue(f, p.values[f.key])
                  }
                  error={
                    errorFor(p.errors, `settings.${f.key}`) ??
                    p.errors.find((e) => e.path.startsWith(`settings.${f.key}.`))?.message ??
                    null
                  }
                />
              ))}
            </fieldset>
          );
        })}
        <button type="submit" class="primary">
          Save settings
        </button>
      </form>
    </Layout>
  );
}
