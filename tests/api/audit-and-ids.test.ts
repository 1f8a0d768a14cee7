// Audit rows are written inside the transaction of the change they record, from every surface (the
// CLI included, as actor "cli"), and moderation answers name articles by the id publishers gave them.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let auth: Record<string, string>;
let receiver: Receiver;
beforeAll(async () => {
  ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  await createSite(ctx, 'desk', { moderation: 'all' });
  auth = bearer(await tokenFor(ctx, await createUser(ctx, 'editor@example.com', 'admin')));
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await ctx.close();
});

async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const auditOf = async (targetId: string) =>
  (await ctx.container.admin.auditLog({ limit: 200 })).entries.filter((e) => e.targetId === targetId);

describe('audit rows from the CLI', () => {
  it('records site and webhook changes made at the command line as actor cli', async () => {
    expect((await cli(['sites:create', '--id', 'cli-made', '--name', 'CLI made'])).code).toBe(0);
    expect((await cli(['sites:update', '--id', 'cli-made', '--mode', 'none'])).code).toBe(0);
    const created = await cli(['webhooks:create', '--site', 'cli-made', '--url', receiver.url]);
    expect(created.code, created.err).toBe(0);
    const endpointId = JSON.parse(created.out).id as string;
    expect((await cli(['webhooks:update', '--id', endpointId, '--disable'])).code).toBe(0);
    expect((await cli(['webhooks:rotate-secret', '--id', endpointId, '--grace-hours', '0'])).code).toBe(0);
    expect((await cli(['webhooks:delete', '--id', endpointId])).code).toBe(0);

    const site = await auditOf('cli-made');
    expect(site.map((e) => [e.action, e.actorType, e.actorId, e.siteId])).toEqual([
      ['site.update', 'cli', 'cli', 'cli-made'],
      ['site.create', 'cli', 'cli', 'cli-made'],
    ]);
    const webhook = await auditOf(endpointId);
    expect(webhook.map((e) => [e.action, e.actorType])).toEqual([
      ['webhook.delete', 'cli'],
      ['webhook.rotate-secret', 'cli'],
      ['webhook.update', 'cli'],
      ['webhook.create', 'cli'],
    ]);
  });

  it('records a redelivery from the command line', async () => {
    const { endpoint } = await ctx.container.webhooks.create('desk', { url: receiver.url });
    await ctx.container.startWorkers();
    await submit(ctx, 'desk', { articleId: 'redelivered' });
    const deadline = Date.now() + 20_000;
    let deliveries = await ctx.container.webhooks.deliveries(endpoint.id);
    while (deliveries.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      deliveries = await ctx.container.webhooks.deliveries(endpoint.id);
    }
    const deliveryId = deliveries[0]!.id;
    expect((await cli(['webhooks:redeliver', '--delivery', deliveryId])).code).toBe(0);
    expect((await auditOf(deliveryId)).map((e) => [e.action, e.actorType, e.siteId])).toEqual([
      ['webhook.redeliver', 'cli', 'desk'],
    ]);
  });
});

describe('audit rows inside the change', () => {
  it('keeps no site change whose audit row could not be written', async () => {
    const db = ctx.container.database.db;
    const admin = ctx.container.admin;
    const actor = { type: 'user' as const, id: 'someone' };
    await sql`alter table audit_log rename to audit_log_away`.execute(db);
    try {
      await expect(admin.createSite(actor, { id: 'never-made', name: 'Never made' })).rejects.toThrow();
      await expect(
        admin.updateSite(actor, 'desk', { settings: { moderation: 'none', holdWords: ['unlogged'] } }),
      ).rejects.toThrow();
    } finally {
      await sql`alter table audit_log_away rename to audit_log`.execute(db);
    }
    expect(await ctx.container.sites.find('never-made')).toBeNull();
    const desk = await ctx.container.sites.get('desk');
    expect([desk.settings.moderation, desk.settings.holdWords]).toEqual(['all', []]);
    // And with the audit log back, the same change goes through with its row.
    await admin.updateSite(actor, 'desk', { settings: { holdWords: ['logged'] } });
    expect((await auditOf('desk')).map((e) => e.action)).toEqual(['site.update']);
  });
});

describe('article ids in moderation answers', () => {
  it("names the article by the publisher's id in the queue, the detail, actions and the CLI", async () => {
    const id = (await submit(ctx, 'desk', { articleId: 'story-2026-07' })).body.id as string;
    const queue = await api(ctx, 'GET', '/api/v1/moderation/comments?siteId=desk&articleId=story-2026-07', auth);
    expect(queue.body.items.map((c: any) => [c.id, c.articleId, c.article.id])).toEqual([
      [id, 'story-2026-07', 'story-2026-07'],
    ]);
    const detail = await api(ctx, 'GET', `/api/v1/moderation/comments/${id}`, auth);
    expect(detail.body.comment.articleId).toBe('story-2026-07');
    const approved = await api(ctx, 'POST', `/api/v1/moderation/comments/${id}/approve`, auth, {});
    expect(approved.body.comment).toMatchObject({ articleId: 'story-2026-07', status: 'approved' });
    const shown = await cli(['comments:show', '--id', id]);
    expect(JSON.parse(shown.out).comment.articleId).toBe('story-2026-07');
    expect((await ctx.container.moderation.show(id)).comment.articleId).toBe('story-2026-07');
  });
});
