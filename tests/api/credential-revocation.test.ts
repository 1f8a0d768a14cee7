// What a new password or a disabled account does to the credentials that already exist: every API
// token of the account is revoked and every session ends, except the one an admin used to change their
// own password; a sign-in checked against the old password while the change commits gets no session.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  bearer,
  createUser,
  dashboardPost,
  PASSWORD,
  type Session,
  signIn,
  tokenFor,
} from '../support/accounts.ts';
import { createSite, expectProblem, postJson } from '../support/http.ts';
import { TEST_DATABASE_URL, testDb } from '../support/stores.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'rev-site');
});
afterAll(() => ctx.close());

const me = (headers: Record<string, string>) => api(ctx, 'GET', '/api/v1/auth/me', headers);
const cookie = (s: Session) => ({ cookie: s.cookie });
const writeWith = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });
const db = () => ctx.container.database.db;
const NEW_PASSWORD = 'a completely new password 42';

describe("an admin sets another account's password", () => {
  it('ends all its sessions and revokes all its API tokens; the admin keeps working', async () => {
    const admin = await createUser(ctx, 'chief@example.com', 'admin');
    const mod = await createUser(ctx, 'reset-me@example.com', 'moderator', ['rev-site']);
    const adminToken = await tokenFor(ctx, admin);
    const modTokens = [await tokenFor(ctx, mod), await tokenFor(ctx, mod)];
    const modSessions = [await signIn(ctx, mod.email), await signIn(ctx, mod.email)];
    const changed = await api(ctx, 'POST', `/api/v1/admin/users/${mod.id}/password`, bearer(adminToken), {
      password: NEW_PASSWORD,
    });
    expect(changed.status).toBe(204);
    for (const s of modSessions) expectProblem(await me(cookie(s)), 401);
    for (const t of modTokens) expectProblem(await me(bearer(t)), 401);
    expect((await ctx.container.tokens.list(mod.id)).every((t) => t.revokedAt !== null)).toBe(true);
    expect((await me(bearer(adminToken))).status).toBe(200);
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'user.reset-password')
      .where('target_id', '=', mod.id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ sessionsEnded: 2, tokensRevoked: 2 });
    // The new password works; a token made after the change works too.
    expect((await me(cookie(await signIn(ctx, mod.email, NEW_PASSWORD)))).status).toBe(200);
    expect((await me(bearer(await tokenFor(ctx, mod)))).status).toBe(200);
  });

  it('from the CLI does the same', async () => {
    const mod = await createUser(ctx, 'cli-reset@example.com', 'moderator', ['rev-site']);
    const token = await tokenFor(ctx, mod);
    const s = await signIn(ctx, mod.email);
    await ctx.container.users.resetPassword(mod.id, NEW_PASSWORD, { type: 'cli', id: 'cli' });
    expectProblem(await me(cookie(s)), 401);
    expectProblem(await me(bearer(token)), 401);
  });
});

describe('an admin changes their own password', () => {
  it('over the API with their session: that session stays, their other sessions and every token end', async () => {
    const self = await createUser(ctx, 'self-api@example.com', 'admin');
    const current = await signIn(ctx, self.email);
    const elsewhere = await signIn(ctx, self.email);
    const token = await tokenFor(ctx, self);
    const changed = await api(ctx, 'POST', `/api/v1/admin/users/${self.id}/password`, writeWith(current), {
      password: NEW_PASSWORD,
    });
    expect(changed.status).toBe(204);
    expect((await me(cookie(current))).status).toBe(200);
    // …and can still write with it (the CSRF token derives from the kept session).
    const again = await api(ctx, 'POST', `/api/v1/admin/users/${self.id}/password`, writeWith(current), {
      password: `${NEW_PASSWORD} again`,
    });
    expect(again.status).toBe(204);
    expectProblem(await me(cookie(elsewhere)), 401);
    expectProblem(await me(bearer(token)), 401);
  });

  it('in the dashboard form: the browser stays signed in, the other browser is signed out', async () => {
    const self = await createUser(ctx, 'self-dash@example.com', 'admin');
    const current = await signIn(ctx, self.email);
    const elsewhere = await signIn(ctx, self.email);
    const token = await tokenFor(ctx, self);
    const res = await dashboardPost(ctx, `/dashboard/users/${self.id}/password`, current, { password: NEW_PASSWORD });
    expect(res.status).toBe(303);
    const page = await ctx.app.request(`http://localhost${res.headers.get('location')}`, { headers: cookie(current) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('API tokens were revoked');
    expect((await me(cookie(current))).status).toBe(200);
    expectProblem(await me(cookie(elsewhere)), 401);
    expectProblem(await me(bearer(token)), 401);
  });

  it('with an API token: every session ends and every token is revoked, the one used too', async () => {
    const self = await createUser(ctx, 'self-token@example.com', 'admin');
    const s = await signIn(ctx, self.email);
    const token = await tokenFor(ctx, self);
    const changed = await api(ctx, 'POST', `/api/v1/admin/users/${self.id}/password`, bearer(token), {
      password: NEW_PASSWORD,
    });
    expect(changed.status).toBe(204);
    expectProblem(await me(cookie(s)), 401);
    expectProblem(await me(bearer(token)), 401);
  });
});

describe('disabling an account', () => {
  it('over the API ends every session and revokes every token; a token cannot be made for it while disabled', async () => {
    const admin = await createUser(ctx, 'boss-disable@example.com', 'admin');
    const adminSession = await signIn(ctx, admin.email);
    const mod = await createUser(ctx, 'leaving@example.com', 'moderator', ['rev-site']);
    const token = await tokenFor(ctx, mod);
    const s = await signIn(ctx, mod.email);
    const res = await api(ctx, 'PATCH', `/api/v1/admin/users/${mod.id}`, writeWith(adminSession), { disabled: true });
    expect(res.status).toBe(200);
    expectProblem(await me(cookie(s)), 401);
    expectProblem(await me(bearer(token)), 401);
    // A token made for a disabled account would come alive the day it is enabled again.
    const made = await api(ctx, 'POST', `/api/v1/admin/users/${mod.id}/tokens`, writeWith(adminSession), {
      name: 'sneaky',
    });
    expect(expectProblem(made, 409).code).toBe('user_disabled');
    expect(await ctx.container.tokens.list(mod.id)).toHaveLength(1);
  });
});

describe.runIf(testDb() === 'postgres')('a sign-in racing a password change', () => {
  it('checked against the old password while the change commits, gets no session', async () => {
    const mod = await createUser(ctx, 'racer@example.com', 'moderator', ['rev-site']);
    const schema = (ctx.config.database as { schema: string }).schema;
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await other.connect();
    try {
      // The change in flight: the account's row updated (as resetPassword does), not committed yet.
      await other.query(`set search_path to ${schema}`);
      await other.query('begin');
      await other.query("update users set password_hash = 'changed', updated_at = now() where id = $1", [mod.id]);
      const { rows } = await other.query<{ pid: number }>('select pg_backend_pid() as pid');
      const blocker = rows[0]!.pid;
      const login = postJson(ctx, '/api/v1/auth/login', { email: mod.email, password: PASSWORD });
      // Either the sign-in finishes (it did not wait for the change: the bug) or it waits on the row.
      let settled = false;
      const blocked = (async () => {
        while (!settled) {
          const waiting = await other.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
            [blocker],
          );
          if (waiting.rows[0]!.n > 0) return 'waiting' as const;
          await new Promise((r) => setImmediate(r));
        }
        return 'answered' as const;
      })();
      const first = await Promise.race([login.then(() => 'answered' as const), blocked]);
      settled = true;
      await blocked;
      await other.query('commit');
      const answer = await login;
      expect({ first, status: answer.status }).toEqual({ first: 'waiting', status: 401 });
      const sessions = await db().selectFrom('sessions').select('id').where('user_id', '=', mod.id).execute();
      expect(sessions).toHaveLength(0);
    } finally {
      await other.query('rollback').catch(() => {});
      await other.end();
    }
  });
});
