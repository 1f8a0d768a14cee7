// The admin API with an admin's token: sites and settings, accounts and their sites, API tokens shown
// once, webhook endpoints with deliveries and redelivery, and the audit log of all of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver, waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let receiver: Receiver;
let auth: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { webhookScheduleMs: [100, 100] });
  receiver = await startReceiver();
  await ctx.container.startWorkers();
  auth = bearer(await tokenFor(ctx, await createUser(ctx, 'root@example.com', 'admin')));
});
afterAll(async () => {
  await ctx.close();
  await receiver.close();
});

const call = (method: string, path: string, body?: unknown) => api(ctx, method, path, auth, body);

describe('sites', () => {
  it('saves the largest word lists the settings allow, a body far over the 64 KiB of other routes', async () => {
    await call('POST', '/api/v1/admin/sites', { id: 'big-lists', name: 'Big lists' });
    const blockedWords = Array.from({ length: 5_000 }, (_, i) => `w${i}`.padEnd(100, 'x'));
    const res = await call('PATCH', '/api/v1/admin/sites/big-lists', { settings: { blockedWords } });
    expect(res.status).toBe(200);
    expect(res.body.site.settings.blockedWords).toHaveLength(5_000);
    // Any other route keeps the small bound.
    const comment = await call('POST', '/api/v1/sites/big-lists/comments', { body: 'x'.repeat(70_000) });
    expect(comment.status).toBe(413);
  });

  it('creates, reads, lists and updates sites, validating every setting by name', async () => {
    const created = await call('POST', '/api/v1/admin/sites', {
      id: 'paper',
      name: 'The Paper',
      settings: { origins: ['https://paper.example/path'], moderation: 'first' },
    });
    expect(created.status).toBe(201);
    expect(created.body.site.settings).toMatchObject({
      origins: ['https://paper.example'],
      moderation: 'first',
      maxDepth: 5,
    });
    expectProblem(await call('POST', '/api/v1/admin/sites', { id: 'paper', name: 'again' }), 409);
    const updated = await call('PATCH', '/api/v1/admin/sites/paper', {
      settings: { maxDepth: 3, revealRejections: true },
    });
    expect(updated.body.site.settings).toMatchObject({
      maxDepth: 3,
      revealRejections: true,
      moderation: 'first',
      origins: ['https://paper.example'],
    });
    const bad = expectProblem(
      await call('PATCH', '/api/v1/admin/sites/paper', { settings: { maxDepth: 99, moderation: 'sometimes' } }),
      400,
    );
    expect(bad.errors).toEqual(
      expect.arrayContaining([
        { path: 'settings.maxDepth', message: 'must be at most 10' },
        { path: 'settings.moderation', message: 'must be one of all, first, none' },
      ]),
    );
    expect((await call('GET', '/api/v1/admin/sites/paper')).body.site.settings.maxDepth).toBe(3);
    expect((await call('GET', '/api/v1/admin/sites')).body.sites.map((s: any) => s.id)).toContain('paper');
    expectProblem(await call('GET', '/api/v1/admin/sites/nope'), 404);
  });
});

describe('accounts and tokens', () => {
  it('creates moderators with sites, changes them, disables them, and keeps the last admin', async () => {
    const created = await call('POST', '/api/v1/admin/users', {
      email: 'New.Mod@example.com',
      role: 'moderator',
      password: 'twelve chars ok',
      siteIds: ['paper'],
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({
      email: 'new.mod@example.com',
      role: 'moderator',
      siteIds: ['paper'],
      disabled: false,
    });
    expect(JSON.stringify(created.body)).not.toContain('twelve chars ok');
    const id = created.body.user.id;
    const bad = expectProblem(
      await call('POST', '/api/v1/admin/users', { email: 'x', role: 'moderator', password: 'short', siteIds: [] }),
      400,
    );
    expect(bad.errors?.map((e) => e.path).sort()).toEqual(['email', 'password']);
    expect(
      expectProblem(
        await call('POST', '/api/v1/admin/users', {
          email: 'y@example.com',
          role: 'moderator',
          password: 'long enough pw',
          siteIds: ['ghost'],
        }),
        400,
      ).errors?.[0],
    ).toEqual({ path: 'siteIds', message: 'unknown site: ghost' });
    expectProblem(
      await call('POST', '/api/v1/admin/users', {
        email: 'new.mod@EXAMPLE.com',
        role: 'admin',
        password: 'long enough pw',
      }),
      409,
    );

    expect((await call('PATCH', `/api/v1/admin/users/${id}`, { siteIds: [] })).body.user.siteIds).toEqual([]);
    expect((await call('PATCH', `/api/v1/admin/users/${id}`, { disabled: true })).body.user.disabled).toBe(true);
    expect((await call('POST', `/api/v1/admin/users/${id}/password`, { password: 'another long one' })).status).toBe(
      204,
    );
    expectProblem(await call('POST', `/api/v1/admin/users/${id}/password`, { password: 'short' }), 400);

    const root = (await call('GET', '/api/v1/auth/me')).body.user;
    expect(
      expectProblem(await call('PATCH', `/api/v1/admin/users/${root.id}`, { role: 'moderator' }), 409).detail,
    ).toMatch(/last active administrator/);
    expect((await call('GET', '/api/v1/admin/users')).body.users.map((u: any) => u.email)).toEqual([
      'new.mod@example.com',
      'root@example.com',
    ]);
  });

  it('creates tokens shown once, lists them without the token, and revokes them', async () => {
    const user = await createUser(ctx, 'tok@example.com', 'moderator', ['paper']);
    const created = await call('POST', `/api/v1/admin/users/${user.id}/tokens`, { name: 'newsroom bot' });
    expect(created.status).toBe(201);
    const { token, apiToken } = created.body;
    expect(apiToken).toMatchObject({ name: 'newsroom bot', prefix: token.slice(0, 10), revokedAt: null });
    const listed = await call('GET', `/api/v1/admin/users/${user.id}/tokens`);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await api(ctx, 'GET', '/api/v1/auth/me', bearer(token))).body.user.email).toBe('tok@example.com');
    expect((await call('DELETE', `/api/v1/admin/tokens/${apiToken.id}`)).body.apiToken.revokedAt).not.toBeNull();
    expectProblem(await api(ctx, 'GET', '/api/v1/auth/me', bearer(token)), 401);
  });
});

describe('webhook endpoints', () => {
  it('adds an endpoint (secret once), lists, updates, shows deliveries, redelivers, rotates and removes', async () => {
    const created = await call('POST', '/api/v1/admin/sites/paper/webhooks', {
      url: `${receiver.url}/admin-hook`,
      events: ['comment.created'],
    });
    expect(created.status).toBe(201);
    const { endpoint, secret } = created.body;
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.stringify((await call('GET', '/api/v1/admin/sites/paper/webhooks')).body)).not.toContain(secret);
    expectProblem(
      await call('POST', '/api/v1/admin/sites/paper/webhooks', { url: 'ftp://x', events: ['comment.exploded'] }),
      400,
    );

    await submit(ctx, 'paper', { articleId: 'hooked' });
    await receiver.waitFor((all) => all.filter((r) => r.path === '/admin-hook').length >= 1);
    const [delivery] = await waitUntil(async () => {
      const d = (await call('GET', `/api/v1/admin/webhooks/${endpoint.id}/deliveries`)).body.deliveries;
      return d[0]?.status === 'succeeded' ? d : null;
    });
    expect(delivery).toMatchObject({
      eventType: 'comment.created',
      attempts: 1,
      log: [expect.objectContaining({ statusCode: 200, succeeded: true })],
    });
    expect((await call('POST', `/api/v1/admin/webhook-deliveries/${delivery.id}/redeliver`)).status).toBe(202);
    await receiver.waitFor((all) => all.filter((r) => r.path === '/admin-hook').length >= 2);

    expect(
      (await call('PATCH', `/api/v1/admin/webhooks/${endpoint.id}`, { enabled: false })).body.endpoint.enabled,
    ).toBe(false);
    const rotated = await call('POST', `/api/v1/admin/webhooks/${endpoint.id}/rotate-secret`, { graceHours: 1 });
    expect(rotated.body.secret).not.toBe(secret);
    expect((await call('DELETE', `/api/v1/admin/webhooks/${endpoint.id}`)).status).toBe(204);
    expectProblem(await call('GET', `/api/v1/admin/webhooks/${endpoint.id}`), 404);
  });
});

describe('the audit log', () => {
  it('records who did each admin action, newest first, filterable by action and site', async () => {
    const all = (await call('GET', '/api/v1/admin/audit-log?limit=200')).body.entries;
    const actions = all.map((e: any) => e.action);
    for (const a of [
      'site.create',
      'site.update',
      'user.create',
      'user.update',
      'user.disable',
      'user.reset-password',
      'token.create',
      'token.revoke',
      'webhook.create',
      'webhook.update',
      'webhook.rotate-secret',
      'webhook.redeliver',
      'webhook.delete',
    ]) {
      expect(actions, a).toContain(a);
    }
    expect(all.find((e: any) => e.action === 'site.update')).toMatchObject({
      actorEmail: 'root@example.com',
      siteId: 'paper',
      targetId: 'paper',
    });
    expect(Number(all[0].id)).toBeGreaterThan(Number(all.at(-1).id));
    const hooks = (await call('GET', '/api/v1/admin/audit-log?action=webhook.delete')).body.entries;
    expect(hooks).toHaveLength(1);
    expect(
      (await call('GET', '/api/v1/admin/audit-log?siteId=paper&limit=200')).body.entries.every(
        (e: any) => e.siteId === 'paper',
      ),
    ).toBe(true);
    expect(JSON.stringify(all)).not.toMatch(/password":|another long one|twelve chars ok/);
  });
});
