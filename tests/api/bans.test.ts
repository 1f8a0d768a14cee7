// Bans by email, domain and IP: they reject the author's new comments on that site only, timed bans
// run out, lifted bans stop, and each change is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let auth: Record<string, string>;
beforeAll(async () => {
  // A trusted proxy lets the tests choose the author's IP with X-Forwarded-For.
  ctx = await createTestContext({ TRUST_PROXY: 'true' });
  await createSite(ctx, 'banning', { moderation: 'none' });
  await createSite(ctx, 'elsewhere', { moderation: 'none' });
  await createSite(ctx, 'revealing', { moderation: 'none', revealRejections: true });
  auth = bearer(
    await tokenFor(
      ctx,
      await createUser(ctx, 'bans-mod@example.com', 'moderator', ['banning', 'elsewhere', 'revealing']),
    ),
  );
});
afterAll(() => ctx.close());

// Domain and IP bans need a confirmation (tests/api/ban-impact.test.ts covers the refusal).
const ban = (body: Record<string, unknown>) =>
  api(ctx, 'POST', '/api/v1/moderation/bans', auth, { siteId: 'banning', confirm: true, ...body });
const statusOf = async (id: string) => (await api(ctx, 'GET', `/api/v1/moderation/comments/${id}`, auth)).body.comment;
const post = (site: string, email: string, ip = '198.51.100.7') =>
  submit(ctx, site, { email }, { 'x-forwarded-for': ip });

describe('bans', () => {
  it('reject new comments by email (any case), with "banned" among the reasons, on that site only', async () => {
    const created = await ban({ kind: 'email', value: 'Troll@Example.com', reason: 'abuse' });
    expect(created.status).toBe(201);
    expect(created.body.ban).toMatchObject({
      kind: 'email',
      value: 'troll@example.com',
      active: true,
      expiresAt: null,
    });
    const blocked = await post('banning', 'TROLL@example.com');
    // The author learns nothing (the site does not reveal rejections).
    expect(blocked.body.status).toBe('pending');
    const stored = await statusOf(blocked.body.id);
    expect(stored.status).toBe('rejected');
    expect(stored.reasons).toContainEqual(
      expect.objectContaining({ action: 'reject', code: 'banned', detail: expect.stringContaining('abuse') }),
    );
    expect((await post('elsewhere', 'troll@example.com')).body.status).toBe('approved');
    expect((await post('banning', 'friend@example.com')).body.status).toBe('approved');
  });

  it('answer 422 "banned" when the site reveals rejections', async () => {
    expect(
      (
        await api(ctx, 'POST', '/api/v1/moderation/bans', auth, {
          siteId: 'revealing',
          kind: 'email',
          value: 'loud@example.com',
        })
      ).status,
    ).toBe(201);
    const refused = await submit(ctx, 'revealing', { email: 'loud@example.com' });
    expect(expectProblem(refused, 422).code).toBe('banned');
  });

  it('by domain cover its subdomains; by IP match IPv4-mapped spellings', async () => {
    await ban({ kind: 'domain', value: '@spam-farm.example' });
    expect((await statusOf((await post('banning', 'a@mail.spam-farm.example')).body.id)).status).toBe('rejected');
    expect((await statusOf((await post('banning', 'a@notspam-farm.example')).body.id)).status).toBe('approved');
    await ban({ kind: 'ip', value: '203.0.113.50' });
    expect((await statusOf((await post('banning', 'ip1@example.com', '203.0.113.50')).body.id)).status).toBe(
      'rejected',
    );
    expect((await statusOf((await post('banning', 'ip2@example.com', '::ffff:203.0.113.50')).body.id)).status).toBe(
      'rejected',
    );
    expect((await statusOf((await post('banning', 'ip3@example.com', '203.0.113.51')).body.id)).status).toBe(
      'approved',
    );
  });

  it('by IP take a CIDR range: an IPv6 /64 covers every address of that reader, and nothing next to it', async () => {
    const res = await ban({ kind: 'ip', value: '2001:DB8:5:6::7/64', reason: 'rotating addresses' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.ban.value).toBe('2001:db8:5:6::/64');
    const from = async (ip: string) =>
      (await statusOf((await post('banning', `${ip.length}x@example.com`, ip)).body.id)).status;
    expect(await from('2001:db8:5:6:1234::1')).toBe('rejected');
    expect(await from('2001:db8:5:6:ffff:ffff:ffff:ffff')).toBe('rejected');
    expect(await from('2001:db8:5:7::1')).toBe('approved');
    expect((await ban({ kind: 'ip', value: '198.51.100.0/24' })).status).toBe(201);
    expect(await from('::ffff:198.51.100.99')).toBe('rejected');
    // Too wide for a moderator's one-click ban.
    expect(expectProblem(await ban({ kind: 'ip', value: '10.0.0.0/8' }), 400).errors?.[0]?.path).toBe('value');
    expect(expectProblem(await ban({ kind: 'ip', value: '2001::/16' }), 400).errors?.[0]?.path).toBe('value');
  });

  it('can be timed, and stop applying when they run out or are lifted', async () => {
    const timed = await ban({
      kind: 'email',
      value: 'timed@example.com',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await statusOf((await post('banning', 'timed@example.com')).body.id)).status).toBe('rejected');
    await ctx.container.database.db
      .updateTable('bans')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', timed.body.ban.id)
      .execute();
    expect((await statusOf((await post('banning', 'timed@example.com', '192.0.2.1')).body.id)).status).toBe('approved');

    const lifted = await ban({ kind: 'email', value: 'sorry@example.com' });
    const res = await api(ctx, 'DELETE', `/api/v1/moderation/bans/${lifted.body.ban.id}`, auth);
    expect(res.body.ban).toMatchObject({ active: false, liftedAt: expect.any(String) });
    expect((await statusOf((await post('banning', 'sorry@example.com', '192.0.2.2')).body.id)).status).toBe('approved');

    const active = (await api(ctx, 'GET', '/api/v1/moderation/bans?siteId=banning', auth)).body.bans.map(
      (b: any) => b.value,
    );
    expect(active).toEqual(expect.arrayContaining(['troll@example.com', 'spam-farm.example', '203.0.113.50']));
    expect(active).not.toContain('sorry@example.com');
    expect(active).not.toContain('timed@example.com');
    const all = (
      await api(ctx, 'GET', '/api/v1/moderation/bans?siteId=banning&includeInactive=true', auth)
    ).body.bans.map((b: any) => b.value);
    expect(all).toEqual(expect.arrayContaining(['sorry@example.com', 'timed@example.com']));
  });

  it('are validated, and every change is in the audit log', async () => {
    expect(expectProblem(await ban({ kind: 'email', value: 'not an email' }), 400).errors?.[0]?.path).toBe('value');
    expect(expectProblem(await ban({ kind: 'ip', value: '999.1.1.1' }), 400).errors?.[0]?.path).toBe('value');
    expect(expectProblem(await ban({ kind: 'domain', value: 'nodot' }), 400).errors?.[0]?.path).toBe('value');
    expect(expectProblem(await ban({ kind: 'face', value: 'x' }), 400).errors?.[0]?.path).toBe('kind');
    expect(
      expectProblem(await ban({ kind: 'email', value: 'past@example.com', expiresAt: '2001-01-01T00:00:00Z' }), 400)
        .errors?.[0]?.path,
    ).toBe('expiresAt');
    const audit = await ctx.container.admin.auditLog({ limit: 100 });
    const actions = audit.entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'ban.create').length).toBeGreaterThanOrEqual(5);
    expect(actions).toContain('ban.lift');
    expect(audit.entries.find((e) => e.action === 'ban.lift')).toMatchObject({
      siteId: 'banning',
      actorEmail: 'bans-mod@example.com',
    });
  });
});
