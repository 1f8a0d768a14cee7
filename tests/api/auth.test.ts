// Accounts, sessions and tokens over the API: cookies with the right flags, a new session at every
// sign-in, revocation on logout, disabling and password reset, idle and absolute expiry, bearer
// tokens, CSRF on cookie writes, and locked-out sign-ins (429).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/runtime/bootstrap.ts';
import { api, bearer, createUser, PASSWORD, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem, postJson, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_EMAIL: 'Boss@Example.com', ADMIN_PASSWORD: 'the boss password 123' });
  await createSite(ctx, 'auth-site', { moderation: 'all' });
});
afterAll(() => ctx.close());

const me = (headers: Record<string, string>) => api(ctx, 'GET', '/api/v1/auth/me', headers);
const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  postJson(ctx, '/api/v1/auth/login', { email, password }, headers);
const db = () => ctx.container.database.db;

describe('the configured admin (ADMIN_EMAIL / ADMIN_PASSWORD)', () => {
  it('is created at start, and made an enabled admin again if someone changed that; its password is kept', async () => {
    await ensureAdmin(ctx.container);
    const boss = await ctx.container.users.findByEmail('boss@example.com');
    expect(boss).toMatchObject({ role: 'admin', disabled: false });
    await ensureAdmin(ctx.container); // idempotent
    expect((await ctx.container.users.list()).filter((u) => u.email === 'boss@example.com')).toHaveLength(1);
    await createUser(ctx, 'second-admin@example.com', 'admin');
    await ctx.container.users.update(boss.id, { role: 'moderator', disabled: true }, { type: 'cli', id: 'test' });
    await ctx.container.users.resetPassword(boss.id, 'a password changed later', { type: 'cli', id: 'test' });
    await ensureAdmin(ctx.container);
    expect(await ctx.container.users.get(boss.id)).toMatchObject({ role: 'admin', disabled: false });
    expect((await login('boss@example.com', 'a password changed later')).status).toBe(200);
    expect((await login('boss@example.com', 'the boss password 123')).status).toBe(401);
  });
});

describe('sessions', () => {
  it('signs in with an HttpOnly, SameSite=Lax cookie, a new session each time, and answers who you are', async () => {
    await createUser(ctx, 'mod@example.com', 'moderator', ['auth-site']);
    const a = await signIn(ctx, 'MOD@example.com');
    const b = await signIn(ctx, 'mod@example.com');
    expect(a.setCookie).toMatch(/^cms_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(a.cookie).not.toBe(b.cookie);
    const who = await me({ cookie: a.cookie });
    expect(who.body.user).toMatchObject({ email: 'mod@example.com', role: 'moderator', siteIds: ['auth-site'] });
    // Only the SHA-256 of the cookie's token is stored.
    const rows = await db().selectFrom('sessions').select('id').execute();
    expect(rows.map((r) => r.id)).not.toContain(a.cookie.split('=')[1]);
  });

  describe('behind TLS', () => {
    let proxied: TestContext;
    let public_: TestContext;
    beforeAll(async () => {
      proxied = await createTestContext({ TRUST_PROXY: 'true' });
      public_ = await createTestContext({ PUBLIC_URL: 'https://comments.example' });
      for (const c of [proxied, public_]) await createUser(c, 'tls@example.com', 'admin');
    });
    afterAll(async () => {
      await proxied?.close();
      await public_?.close();
    });

    it("stores a session's client address canonical, and never a forwarded string that is not an address", async () => {
      // The first sign-ins of this context: the sessions table holds exactly these.
      for (const xff of ['::ffff:203.0.113.31', 'unknown', '203.0.113.32, <b>x</b>', "1.1.1.1' or '1'='1"])
        await signIn(proxied, 'tls@example.com', PASSWORD, { 'x-forwarded-for': xff });
      const rows = await proxied.container.database.db.selectFrom('sessions').select('ip').execute();
      expect(rows.map((r) => r.ip).sort()).toEqual(['203.0.113.31', null, null, null]);
    });

    it('marks the cookie Secure (with the __Host- prefix): a proxy saying https, or an https PUBLIC_URL', async () => {
      const viaProxy = await signIn(proxied, 'tls@example.com', PASSWORD, { 'x-forwarded-proto': 'https' });
      expect(viaProxy.setCookie).toMatch(/^__Host-cms_session=.+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      expect(viaProxy.device).toMatch(/^__Host-cms_device=/);
      const me = { cookie: viaProxy.cookie, 'x-forwarded-proto': 'https' };
      expect((await proxied.app.request('/api/v1/auth/me', { headers: me })).status).toBe(200);
      const plainViaProxy = await signIn(proxied, 'tls@example.com', PASSWORD);
      expect(plainViaProxy.setCookie).not.toContain('Secure');
      expect((await signIn(public_, 'tls@example.com')).setCookie).toMatch(/^__Host-cms_session=.+Secure/);
      // Believed without TRUST_PROXY too: the header can only make the cookie stricter.
      expect((await signIn(ctx, 'mod@example.com', PASSWORD, { 'x-forwarded-proto': 'https' })).setCookie).toMatch(
        /^__Host-cms_session=.+Secure/,
      );
    });

    it('never takes a plain cms_session cookie where the __Host- one is used (cookie tossing from a sibling subdomain)', async () => {
      const victim = await signIn(public_, 'tls@example.com');
      const token = victim.cookie.split('=')[1]!;
      const tossed = { cookie: `cms_session=${token}` };
      expectProblem(await api(public_, 'GET', '/api/v1/auth/me', tossed), 401);
      const page = await public_.app.request('http://localhost/dashboard/queue', { headers: tossed });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toMatch(/^\/dashboard\/login/);
      // The browser's own __Host- cookie is the one taken, whatever else the tosser added.
      const both = { cookie: `cms_session=junk; ${victim.cookie}` };
      expect((await api(public_, 'GET', '/api/v1/auth/me', both)).status).toBe(200);
      // Behind a TLS proxy, likewise; over plain HTTP only the plain cookie is read.
      const proxiedSession = await signIn(proxied, 'tls@example.com', PASSWORD, { 'x-forwarded-proto': 'https' });
      const proxiedToken = proxiedSession.cookie.split('=')[1]!;
      const viaTls = (cookie: string) => ({ cookie, 'x-forwarded-proto': 'https' });
      expectProblem(await api(proxied, 'GET', '/api/v1/auth/me', viaTls(`cms_session=${proxiedToken}`)), 401);
      expectProblem(await api(proxied, 'GET', '/api/v1/auth/me', { cookie: proxiedSession.cookie }), 401);
      const plain = await signIn(ctx, 'mod@example.com');
      expectProblem(await me({ cookie: `__Host-${plain.cookie}` }), 401);
      expect((await me({ cookie: plain.cookie })).status).toBe(200);
    });
  });

  it('ends the session on the server at logout: the old cookie is refused afterwards', async () => {
    const s = await signIn(ctx, 'mod@example.com');
    const out = await api(ctx, 'POST', '/api/v1/auth/logout', { cookie: s.cookie, 'x-csrf-token': s.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^cms_session=; Max-Age=0/);
    expectProblem(await me({ cookie: s.cookie }), 401);
  });

  it('ends every session of an account when it is disabled or its password is reset', async () => {
    const user = await createUser(ctx, 'leaver@example.com', 'moderator', ['auth-site']);
    const s1 = await signIn(ctx, 'leaver@example.com');
    await ctx.container.users.resetPassword(user.id, 'a brand new password', { type: 'cli', id: 'test' });
    expectProblem(await me({ cookie: s1.cookie }), 401);
    const s2 = await signIn(ctx, 'leaver@example.com', 'a brand new password');
    await ctx.container.users.update(user.id, { disabled: true }, { type: 'cli', id: 'test' });
    expectProblem(await me({ cookie: s2.cookie }), 401);
    // A disabled account cannot sign in, and is told exactly what a wrong password is told.
    const refused = expectProblem(await login('leaver@example.com', 'a brand new password'), 401);
    const wrong = expectProblem(await login('mod@example.com', 'not the password'), 401);
    expect(refused.detail).toBe(wrong.detail);
    expect(expectProblem(await login('nobody@example.com', 'whatever it is'), 401).detail).toBe(wrong.detail);
  });

  it('expires after 2 hours idle and after 12 hours in any case', async () => {
    const idle = await signIn(ctx, 'mod@example.com');
    const old = await signIn(ctx, 'mod@example.com');
    const fresh = await signIn(ctx, 'mod@example.com');
    const idOf = async (cookie: string) =>
      (await import('node:crypto')).createHash('sha256').update(cookie.split('=')[1]!).digest('hex');
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 2 * 3_600_000 - 1000) })
      .where('id', '=', await idOf(idle.cookie))
      .execute();
    await db()
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', await idOf(old.cookie))
      .execute();
    expectProblem(await me({ cookie: idle.cookie }), 401);
    // The queue's live updates do not keep a session alive: only what the moderator does counts.
    const watching = await signIn(ctx, 'mod@example.com');
    const lastSeen = new Date(Date.now() - 30 * 60_000);
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: lastSeen })
      .where('id', '=', await idOf(watching.cookie))
      .execute();
    const poll = await ctx.app.request('http://localhost/dashboard/queue/poll?status=pending', {
      headers: { cookie: watching.cookie, accept: 'application/json' },
    });
    expect(poll.status).toBe(200);
    const row = async () =>
      db()
        .selectFrom('sessions')
        .select('last_seen_at')
        .where('id', '=', await idOf(watching.cookie))
        .executeTakeFirstOrThrow();
    expect((await row()).last_seen_at.getTime()).toBe(lastSeen.getTime());
    expect((await me({ cookie: watching.cookie })).status).toBe(200);
    expect((await row()).last_seen_at.getTime()).toBeGreaterThan(lastSeen.getTime());
    expectProblem(await me({ cookie: old.cookie }), 401);
    expect((await me({ cookie: fresh.cookie })).status).toBe(200);
  });

  it('requires the session CSRF token for writes made with the cookie', async () => {
    const s = await signIn(ctx, 'mod@example.com');
    const c = await submit(ctx, 'auth-site');
    const path = `/api/v1/moderation/comments/${c.body.id}/approve`;
    expect(expectProblem(await api(ctx, 'POST', path, { cookie: s.cookie }), 403).code).toBe('csrf');
    expect(
      expectProblem(await api(ctx, 'POST', path, { cookie: s.cookie, 'x-csrf-token': `${s.csrf.slice(0, -1)}x` }), 403)
        .code,
    ).toBe('csrf');
    const other = await signIn(ctx, 'mod@example.com');
    expect(
      expectProblem(await api(ctx, 'POST', path, { cookie: s.cookie, 'x-csrf-token': other.csrf }), 403).code,
    ).toBe('csrf');
    expect((await api(ctx, 'POST', path, { cookie: s.cookie, 'x-csrf-token': s.csrf })).status).toBe(200);
  });
});

describe('API tokens', () => {
  it('authenticate with Bearer, are stored hashed, stop working when revoked or the account is disabled', async () => {
    const user = await createUser(ctx, 'script@example.com', 'moderator', ['auth-site']);
    const token = await tokenFor(ctx, user);
    expect(token).toMatch(/^cmt_[A-Za-z0-9_-]{43}$/);
    expect((await me(bearer(token))).body.user.email).toBe('script@example.com');
    const stored = await db().selectFrom('api_tokens').selectAll().where('user_id', '=', user.id).execute();
    expect(JSON.stringify(stored)).not.toContain(token);
    // No CSRF token needed: a browser cannot send this header on its own.
    const c = await submit(ctx, 'auth-site');
    expect((await api(ctx, 'POST', `/api/v1/moderation/comments/${c.body.id}/reject`, bearer(token))).status).toBe(200);
    expect((await ctx.container.tokens.list(user.id))[0]!.lastUsedAt).not.toBeNull();
    await ctx.container.tokens.revoke(stored[0]!.id, { type: 'cli', id: 'test' });
    expectProblem(await me(bearer(token)), 401);
    const second = await tokenFor(ctx, user);
    await ctx.container.users.update(user.id, { disabled: true }, { type: 'cli', id: 'test' });
    expectProblem(await me(bearer(second)), 401);
  });

  it('are revoked when their account is disabled: enabling it again revives neither its tokens nor its sessions', async () => {
    const user = await createUser(ctx, 'returner@example.com', 'moderator', ['auth-site']);
    const token = await tokenFor(ctx, user);
    const session = await signIn(ctx, 'returner@example.com');
    const admin = { type: 'cli' as const, id: 'test' };
    await ctx.container.users.update(user.id, { disabled: true }, admin);
    await ctx.container.users.update(user.id, { disabled: false }, admin);
    expectProblem(await me(bearer(token)), 401);
    expectProblem(await me({ cookie: session.cookie }), 401);
    expect((await ctx.container.tokens.list(user.id)).every((t) => t.revokedAt !== null)).toBe(true);
    const disabled = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'user.disable')
      .where('target_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(disabled.details).toMatchObject({ disabled: true, tokensRevoked: 1 });
    // The account works again with new credentials.
    expect((await me(bearer(await tokenFor(ctx, user)))).status).toBe(200);
    expect((await me({ cookie: (await signIn(ctx, 'returner@example.com')).cookie })).status).toBe(200);
  });

  it('never falls back to the cookie when a bad token is sent', async () => {
    const s = await signIn(ctx, 'mod@example.com');
    expectProblem(await me({ cookie: s.cookie, authorization: 'Bearer cmt_not-a-real-token' }), 401);
    expectProblem(await me({ authorization: 'Basic Zm9vOmJhcg==' }), 401);
  });
});

describe('locked-out sign-ins', () => {
  it('answer 429 with Retry-After after five failures for an account, even with the right password', async () => {
    await createUser(ctx, 'target@example.com', 'moderator');
    for (let i = 0; i < 5; i++) expectProblem(await login('target@example.com', `guess number ${i}`), 401);
    const locked = await login('target@example.com', PASSWORD);
    expect(expectProblem(locked, 429).code).toBe('login_locked');
    const retry = Number(locked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // Other accounts are not affected.
    expect((await login('mod@example.com', PASSWORD)).status).toBe(200);
  });
});
