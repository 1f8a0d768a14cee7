// Admin: accounts (moderators and admins), their sites, passwords and API tokens.
import type { ApiToken } from '../../auth/token.service.ts';
import type { User } from '../../auth/user.service.ts';
import type { FieldError } from '../../shared/errors.ts';
import { errorFor, Field } from '../components/form-field.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { Time } from '../components/time.tsx';

function SiteChoices(p: { sites: string[]; chosen: string[] }) {
  return (
    <fieldset class="field">
      <legend>Sites a moderator works on (admins work on every site)</legend>
      {p.sites.map((s) => (
        <label>
          <input type="checkbox" name="siteIds" value={s} checked={p.chosen.includes(s)} /> {s}{' '}
        </label>
      ))}
    </fieldset>
  );
}

function RoleSelect(p: { id: string; value: string; error: string | null }) {
  return (
    <Field id={p.id} label="Role" error={p.error}>
      {(a) => (
        <select {...a} name="role">
          <option value="moderator" selected={p.value !== 'admin'}>
            moderator
          </option>
          <option value="admin" selected={p.value === 'admin'}>
            admin
          </option>
        </select>
      )}
    </Field>
  );
}

export function UsersPage(p: {
  page: PageContext;
  users: User[];
  sites: string[];
  values: Record<string, string | string[]>;
  errors: FieldError[];
  notice: string | null;
}) {
  const v = p.values;
  return (
    <Layout
      title="Moderators"
      page={p.page}
      active="users"
      notice={p.notice}
      error={p.errors.length ? 'The account was not created; see the messages below.' : null}
    >
      <h1>Moderators and admins</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col" class="optional">
              Sites
            </th>
            <th scope="col">State</th>
            <th scope="col">
              <span class="sr-only">Links</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {p.users.map((u) => (
            <tr>
              <td>{u.email}</td>
              <td>{u.role}</td>
              <td class="optional">{u.role === 'admin' ? 'all' : u.siteIds.join(', ') || 'none'}</td>
              <td>{u.disabled ? 'disabled' : 'active'}</td>
              <td>
                <a href={`/dashboard/users/${u.id}`}>Edit, password, tokens</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel" aria-labelledby="new-user">
        <h2 id="new-user">New account</h2>
        <form method="post" action="/dashboard/users">
          <input type="hidden" name="_csrf" value={p.page.csrf} />
          <Field id="u-email" label="Email" error={errorFor(p.errors, 'email')}>
            {(a) => (
              <input {...a} name="email" type="email" required autocomplete="off" value={String(v.email ?? '')} />
            )}
          </Field>
          <RoleSelect id="u-role" value={String(v.role ?? 'moderator')} error={errorFor(p.errors, 'role')} />
          <Field
            id="u-password"
            label="Password"
            help="At least 12 characters. Share it privately; they can be given a new one here any time."
            error={errorFor(p.errors, 'password')}
          >
            {(a) => <input {...a} name="password" type="password" required autocomplete="new-password" />}
          </Field>
          <SiteChoices sites={p.sites} chosen={([] as string[]).concat(v.siteIds ?? [])} />
          {errorFor(p.errors, 'siteIds') && <p class="error">{errorFor(p.errors, 'siteIds')}</p>}
          <button type="submit" class="primary">
            Create account
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function UserPage(p: {
  page: PageContext;
  user: User;
  sites: string[];
  tokens: ApiToken[];
  newToken: string | null;
  errors: FieldError[];
  notice: string | null;
}) {
  const u = p.user;
  const csrf = <input type="hidden" name="_csrf" value={p.page.csrf} />;
  return (
    <Layout
      title={u.email}
      page={p.page}
      active="users"
      notice={p.notice}
      error={
        p.errors.length
          ? p.errors[0]!.path === '(body)'
            ? p.errors[0]!.message
            : 'Nothing was changed; see the messages below.'
          : null
      }
    >
      <p>
        <a href="/dashboard/users">← Accounts</a>
      </p>
      <h1>
        {u.email}{' '}
        <span class="muted">
          ({u.role}
          {u.disabled ? ', disabled' : ''})
        </span>
      </h1>
      <div class="grid2">
        <form method="post" action={`/dashboard/users/${u.id}`} class="panel">
          <h2>Role and sites</h2>
          {csrf}
          <RoleSelect id="e-role" value={u.role} error={errorFor(p.errors, 'role')} />
          <SiteChoices sites={p.sites} chosen={u.siteIds} />
          <Field id="e-disabled" label="Disabled (signs them out everywhere)" error={null} checkbox>
            {(a) => <input {...a} type="checkbox" name="disabled" checked={u.disabled} />}
          </Field>
          <button type="submit" class="primary">
            Save
          </button>
        </form>
        <form method="post" action={`/dashboard/users/${u.id}/password`} class="panel">
          <h2>New password</h2>
          {csrf}
          <Field
            id="e-password"
            label="Password"
            help="At least 12 characters. Every session of the account ends."
            error={errorFor(p.errors, 'password')}
          >
            {(a) => <input {...a} name="password" type="password" required autocomplete="new-password" />}
          </Field>
          <button type="submit">Set password</button>
        </form>
      </div>
      <h2>API tokens</h2>
      {p.newToken && (
        <section class="panel" aria-labelledby="token-h">
          <h3 id="token-h">New token</h3>
          <p>Copy it now: it is not shown again. Send it as Authorization: Bearer &lt;token&gt;.</p>
          <p class="secret">{p.newToken}</p>
        </section>
      )}
      {p.tokens.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.tokens.map((t) => (
              <tr>
                <td>{t.name}</td>
                <td>{t.prefix}…</td>
                <td>
                  <Time at={t.createdAt} />
                </td>
                <td>
                  <Time at={t.lastUsedAt} />
                </td>
                <td>
                  {t.revokedAt ? (
                    'revoked'
                  ) : (
                    <form method="post" action={`/dashboard/users/tokens/${t.id}/revoke`} class="inline">
                      {csrf}
                      <button type="submit" class="danger">
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action={`/dashboard/users/${u.id}/tokens`} class="filters">
        {csrf}
        <Field id="t-name" label="Token name" error={errorFor(p.errors, 'name')}>
          {(a) => <input {...a} name="name" placeholder="e.g. newsroom script" maxlength={100} />}
        </Field>
        <button type="submit">Create token</button>
      </form>
    </Layout>
  );
}
