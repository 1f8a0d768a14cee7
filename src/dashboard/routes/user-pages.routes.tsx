// Admin pages under /dashboard/users: accounts, their sites, passwords, API tokens (shown once).
import { type Context, Hono } from 'hono';
import type { SessionService } from '../../auth/session.service.ts';
import type { TokenService } from '../../auth/token.service.ts';
import type { UserService } from '../../auth/user.service.ts';
import type { UserRole } from '../../domain/principal.ts';
import { actorOf } from '../../domain/principal.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { AppError, type FieldError, ValidationError } from '../../shared/errors.ts';
import type { SiteService } from '../../sites/site.service.ts';
import { render } from '../components/layout.tsx';
import { pageContext } from '../dashboard-http.tsx';
import { UserPage, UsersPage } from '../pages/users.tsx';
import { adminOnly } from './admin-access.ts';

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const list = (v: unknown) => ([] as unknown[]).concat(v ?? []).filter((x): x is string => typeof x === 'string');
const NOTICES: Record<string, string> = {
  created: 'The account was created.',
  saved: 'Saved.',
  password: 'The password was changed: its other sessions ended and its API tokens were revoked.',
  revoked: 'The token was revoked.',
};

/** Own keys only: `?done=constructor` must not pick up Object's inherited members. */
const noticeOf = (done: string | undefined) => (done && Object.hasOwn(NOTICES, done) ? NOTICES[done]! : null);

export function userPages(deps: {
  users: UserService;
  tokens: TokenService;
  sites: SiteService;
  sessions: SessionService;
}) {
  const app = new Hono<AppEnv>();
  app.use('*', adminOnly);
  const siteIds = async () => (await deps.sites.list()).map((s) => s.id);

  const listPage = async (c: Context<AppEnv>, values: Record<string, string | string[]>, errors: FieldError[]) =>
    c.html(
      render(
        <UsersPage
          page={pageContext(c, deps.sessions)}
          users={await deps.users.list()}
          sites={await siteIds()}
          values={values}
          errors={errors}
          notice={null}
        />,
      ),
      errors.length ? 400 : 200,
    );

  const userPage = async (
    c: Context<AppEnv>,
    id: string,
    extra: { newToken?: string; errors?: FieldError[]; status?: 200 | 201 | 400 | 409 } = {},
  ) => {
    const user = await deps.users.get(id);
    const page = (
      <UserPage
        page={pageContext(c, deps.sessions)}
        user={user}
        sites={await siteIds()}
        tokens={await deps.tokens.list(user.id)}
        newToken={extra.newToken ?? null}
        errors={extra.errors ?? []}
        notice={noticeOf(c.req.query('done'))}
      />
    );
    return c.html(render(page), extra.status ?? 200);
  };

  /** Validation and conflicts (e.g. the last admin) show on the page; anything else is an error page. */
  const onUser = async (c: Context<AppEnv>, id: string, action: () => Promise<unknown>, done: string) => {
    try {
      await action();
    } catch (err) {
      if (err instanceof ValidationError) return userPage(c, id, { errors: err.extra.errors ?? [], status: 400 });
      if (err instanceof AppError && err.kind === 'conflict')
        return userPage(c, id, { errors: [{ path: '(body)', message: err.message }], status: 409 });
      throw err;
    }
    return c.redirect(`/dashboard/users/${id}?done=${done}`, 303);
  };

  app.get('/', (c) => listPage(c, {}, []));

  app.post('/', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const values = { email: str(form.email), role: str(form.role), siteIds: list(form.siteIds) };
    try {
      const user = await deps.users.create(
        {
          email: values.email,
          role: values.role as UserRole,
          password: typeof form.password === 'string' ? form.password : '',
          siteIds: values.siteIds,
        },
        actorOf(c.get('principal')),
      );
      return c.redirect(`/dashboard/users/${user.id}?done=created`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return listPage(c, values, err.extra.errors ?? []);
      if (err instanceof AppError && err.kind === 'conflict')
        return listPage(c, values, [{ path: 'email', message: err.message }]);
      throw err;
    }
  });

  app.get('/:id', (c) => userPage(c, c.req.param('id')));

  app.post('/:id', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const patch = { role: str(form.role) as UserRole, siteIds: list(form.siteIds), disabled: form.disabled === 'on' };
    return onUser(
      c,
      c.req.param('id'),
      () => deps.users.update(c.req.param('id'), patch, actorOf(c.get('principal'))),
      'saved',
    );
  });

  app.post('/:id/password', async (c) => {
    const form = await c.req.parseBody();
    const password = typeof form.password === 'string' ? form.password : '';
    return onUser(
      c,
      c.req.param('id'),
      () => {
        const principal = c.get('principal');
        // An admin changing their own password stays signed in in this browser, nowhere else.
        const keepSessionId = principal.userId === c.req.param('id') ? principal.sessionId : null;
        return deps.users.resetPassword(c.req.param('id'), password, actorOf(principal), { keepSessionId });
      },
      'password',
    );
  });

  app.post('/:id/tokens', async (c) => {
    const form = await c.req.parseBody();
    const name = str(form.name) || 'API token';
    // The token is shown in this answer only.
    let token: string;
    try {
      ({ token } = await deps.tokens.create(c.req.param('id'), name, actorOf(c.get('principal'))));
    } catch (err) {
      // A disabled account: said on the page, as the other refusals are.
      if (err instanceof AppError && err.kind === 'conflict')
        return userPage(c, c.req.param('id'), { errors: [{ path: '(body)', message: err.message }], status: 409 });
      throw err;
    }
    return userPage(c, c.req.param('id'), { newToken: token, status: 201 });
  });

  app.post('/tokens/:tokenId/revoke', async (c) => {
    const token = await deps.tokens.revoke(c.req.param('tokenId'), actorOf(c.get('principal')));
    return c.redirect(`/dashboard/users/${token.userId}?done=revoked`, 303);
  });

  return app;
}
