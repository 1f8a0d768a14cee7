// Two people at once on the same ban, token or account, over the API: exactly one change wins, the
// others are told (409, nothing written), and the audit log holds one row per change that happened.
// Two admins demoting or disabling each other at the same moment never leave the service without one.
// (On PostgreSQL the requests really overlap; embedded PGlite runs them one after another.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/auth/user.service.ts';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let admin: User;
let auth: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'race-a');
  admin = await createUser(ctx, 'race-admin@example.com', 'admin');
  auth = bearer(await tokenFor(ctx, admin));
});
afterAll(() => ctx.close());

async function auditRows(action: string, targetId: string) {
  return ctx.container.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .execute();
}

/** The site as stored now (not through the service's cache). */
async function stored(id: string) {
  const row = await ctx.container.database.db
    .selectFrom('sites')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { name: row.name, settings: row.settings as Record<string, any> };
}

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();

describe('two at once', () => {
  it('lifts a ban once: the other lifts answer 409 and write no audit row', async () => {
    const made = await api(ctx, 'POST', '/api/v1/moderation/bans', auth, {
      siteId: 'race-a',
      kind: 'email',
      value: 'twice@example.com',
    });
    expect(made.status, made.text).toBe(201);
    const id = made.body.ban.id as string;
    const lifts = await Promise.all([1, 2, 3].map(() => api(ctx, 'DELETE', `/api/v1/moderation/bans/${id}`, auth)));
    expect(statuses(lifts)).toEqual([200, 409, 409]);
    for (const refused of lifts.filter((r) => r.status === 409))
      expect(expectProblem(refused, 409).code).toBe('ban_lifted');
    expect(await auditRows('ban.lift', id)).toHaveLength(1);
    // Later, one after the other: still refused, still one row, and the time it was lifted is kept.
    const liftedAt = lifts.find((r) => r.status === 200)!.body.ban.liftedAt;
    expectProblem(await api(ctx, 'DELETE', `/api/v1/moderation/bans/${id}`, auth), 409);
    expect(await auditRows('ban.lift', id)).toHaveLength(1);
    const [row] = await ctx.container.database.db.selectFrom('bans').select('lifted_at').where('id', '=', id).execute();
    expect(row!.lifted_at!.toISOString()).toBe(liftedAt);
  });

  it('revokes an API token once: the other revocations answer 409 and write no audit row', async () => {
    const other = await createUser(ctx, 'race-token@example.com', 'moderator', ['race-a']);
    const { apiToken } = await ctx.container.tokens.create(other.id, 'shared', { type: 'cli', id: 'test' });
    const revokes = await Promise.all(
      [1, 2, 3].map(() => api(ctx, 'DELETE', `/api/v1/admin/tokens/${apiToken.id}`, auth)),
    );
    expect(statuses(revokes)).toEqual([200, 409, 409]);
    for (const refused of revokes.filter((r) => r.status === 409))
      expect(expectProblem(refused, 409).code).toBe('token_revoked');
    expect(await auditRows('token.revoke', apiToken.id)).toHaveLength(1);
  });

  it('removes a webhook endpoint once: the other removals answer 404 and write no audit row', async () => {
    const made = await api(ctx, 'POST', '/api/v1/admin/sites/race-a/webhooks', auth, {
      url: 'https://hooks.example.com/race',
    });
    expect(made.status, made.text).toBe(201);
    const id = made.body.endpoint.id as string;
    const removals = await Promise.all([1, 2, 3].map(() => api(ctx, 'DELETE', `/api/v1/admin/webhooks/${id}`, auth)));
    expect(statuses(removals)).toEqual([204, 404, 404]);
    for (const refused of removals.filter((r) => r.status === 404)) expectProblem(refused, 404);
    expect(await auditRows('webhook.delete', id)).toHaveLength(1);
  });

  it("merges two admins' settings changes made at once: neither is lost", async () => {
    for (let round = 0; round < 8; round++) {
      const depth = 2 + (round % 4);
      const answers = await Promise.all([
        api(ctx, 'PATCH', '/api/v1/admin/sites/race-a', auth, { settings: { maxDepth: depth } }),
        api(ctx, 'PATCH', '/api/v1/admin/sites/race-a', auth, { settings: { reportQueueThreshold: 10 + round } }),
        api(ctx, 'PATCH', '/api/v1/admin/sites/race-a', auth, { name: `Race round ${round}` }),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      const site = await stored('race-a');
      expect({ name: site.name, depth: site.settings.maxDepth, threshold: site.settings.reportQueueThreshold }).toEqual(
        {
          name: `Race round ${round}`,
          depth,
          threshold: 10 + round,
        },
      );
    }
  });

  it("keeps an erased author's address off the block list when an admin changes the site at that moment", async () => {
    for (let round = 0; round < 6; round++) {
      const email = `blocked-${round}@race-erase.example`;
      const others = ['kept@race-erase.example'];
      await ctx.container.admin.updateSite({ type: 'cli', id: 'test' }, 'race-a', {
        settings: { blockedEmails: [...others, email] },
      });
      expect((await submit(ctx, 'race-a', { email, articleId: 'race-erase' })).status).toBe(201);
      const [erased, patched] = await Promise.all([
        ctx.container.erasure.eraseAuthor({ type: 'cli', id: 'test' }, 'race-a', email),
        api(ctx, 'PATCH', '/api/v1/admin/sites/race-a', auth, { settings: { maxDepth: 3 + (round % 3) } }),
      ]);
      expect(erased).toBe(1);
      expect(patched.status, patched.text).toBe(200);
      const site = await stored('race-a');
      expect(site.settings.blockedEmails).toEqual(others);
      expect(site.settings.maxDepth).toBe(3 + (round % 3));
    }
  });

  it('never leaves the service without an admin when the last two demote or disable each other at once', async () => {
    // Rounds with fresh pairs, each made the last two admins (the others, the bootstrap one included, disabled).
    for (const [round, change] of [
      [1, { role: 'moderator' }],
      [2, { disabled: true }],
      [3, { role: 'moderator' }],
    ] as const) {
      const first = await createUser(ctx, `race-first-${round}@example.com`, 'admin');
      const second = await createUser(ctx, `race-second-${round}@example.com`, 'admin');
      for (const u of await ctx.container.users.list())
        if (u.role === 'admin' && !u.disabled && u.id !== first.id && u.id !== second.id)
          await ctx.container.users.update(u.id, { disabled: true }, { type: 'cli', id: 'test' });
      const [a, b] = [bearer(await tokenFor(ctx, first)), bearer(await tokenFor(ctx, second))];
      const answers = await Promise.all([
        api(ctx, 'PATCH', `/api/v1/admin/users/${second.id}`, a, change),
        api(ctx, 'PATCH', `/api/v1/admin/users/${first.id}`, b, change),
      ]);
      expect(statuses(answers), answers.map((r) => r.text).join('\n')).toEqual([200, 409]);
      expectProblem(answers.find((r) => r.status === 409)!, 409);
      const admins = (await ctx.container.users.list()).filter((u) => u.role === 'admin' && !u.disabled);
      expect(admins.map((u) => u.email)).toHaveLength(1);
      const action = 'disabled' in change ? 'user.disable' : 'user.update';
      const rows = [...(await auditRows(action, first.id)), ...(await auditRows(action, second.id))];
      expect(rows).toHaveLength(1);
    }
  });
});
