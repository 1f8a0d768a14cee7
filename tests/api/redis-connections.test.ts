// The request path's Redis connection carries none of BullMQ's scripts: ioredis copies every script
// defined on a connection into each multi() and pipeline() made on it (jobs/bullmq-queue.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite, submit } from '../support/http.ts';
import { testQueue } from '../support/stores.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

describe.runIf(testQueue() === 'redis')('Redis connections', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
    await createSite(t, 'conn', { moderation: 'none', floodIntervalSeconds: 30 });
  });
  afterAll(() => t.close());

  it('keeps BullMQ off the request-path connection, which holds only its own few scripts', async () => {
    expect((await submit(t, 'conn', {})).status).toBe(201);
    await t.container.relay.drain();
    expect((await t.container.queue.counts()).events.waiting).toBeGreaterThan(0);
    const scripts = Object.keys((t.container.redis as unknown as { scriptsSet: object }).scriptsSet);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.length).toBeLessThan(5); // BullMQ defines about fifty
    expect(scripts.some((s) => /job/i.test(s))).toBe(false);
  });
});
