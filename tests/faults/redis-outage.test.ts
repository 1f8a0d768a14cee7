// Comments keep coming in while Redis is down; their events wait in the outbox and are delivered
// once Redis is back. Uses a redis-server of its own, never the shared one.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countUndispatched } from '../../src/events/outbox.repository.ts';
import { call, createSite, submit } from '../support/http.ts';
import { type OwnRedis, ownRedis } from '../support/own-redis.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';

let redis: OwnRedis;
let ctx: TestContext;
let receiver: Receiver;
let secret: string;
beforeAll(async () => {
  redis = await ownRedis();
  await redis.start();
  receiver = await startReceiver();
  ctx = await createTestContext({ REDIS_URL: redis.url, WEBHOOK_ALLOW_PRIVATE: 'true' });
  expect(ctx.container.queue.kind).toBe('bullmq');
  await ctx.container.startWorkers();
  await createSite(ctx, 'news', { moderation: 'none' });
  secret = (await ctx.container.webhooks.create('news', { url: `${receiver.url}/hook`, events: ['comment.approved'] }))
    .secret;
});
afterAll(async () => {
  await ctx?.close();
  await receiver?.close();
  await redis?.kill();
});

describe('Redis down and back', () => {
  it('accepts and publishes comments while Redis is down, and delivers their events after it returns', async () => {
    const warmup = await submit(ctx, 'news', { articleId: 'live' });
    await receiver.waitFor((r) => r.length >= 1);
    expect(warmup.status).toBe(201);

    await redis.kill();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await submit(ctx, 'news', { articleId: 'live', body: `during outage ${i}` });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('approved');
      ids.push(res.body.id);
    }
    const thread = await call(ctx, '/api/v1/sites/news/articles/live/comments');
    expect(thread.status).toBe(200);
    expect(thread.body.comments).toHaveLength(6);
    // Each comment wrote two events (created, approved); none could be handed to the queue.
    expect(await countUndispatched(ctx.container.database.db)).toBe(10);

    await redis.start();
    // The worker's sweeper hands the outbox over once Redis answers again.
    await receiver.waitFor((r) => r.length >= 6, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    const delivered = receiver.received.map((r) => new Webhook(secret).verify(r.body, r.headers) as any);
    expect(delivered.map((e) => e.data.comment.id).sort()).toEqual([warmup.body.id, ...ids].sort());
    expect(await countUndispatched(ctx.container.database.db)).toBe(0);
  }, 90_000);
});
