// With Redis, several API processes share the thread cache, and one process's approval reaches every
// other process's cached copy at once (pub/sub), so ETags change everywhere immediately.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { type Container, createContainer } from '../../src/container.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createSite, submit } from '../support/http.ts';
import { testDb } from '../support/stores.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

// The embedded mode is one process by design: its cache is invalidated in-process (covered by thread.test.ts).
describe.skipIf(testDb() !== 'postgres')('thread cache across API processes', () => {
  let ctx: TestContext;
  let other: Container;
  let otherApp: ReturnType<typeof createApp>;
  beforeAll(async () => {
    ctx = await createTestContext();
    other = await createContainer(ctx.config, { migrate: false, log: createLogger('silent') });
    otherApp = createApp(other);
    await createSite(ctx, 'shared', { moderation: 'all' });
  });
  afterAll(async () => {
    await other?.close();
    await ctx?.close();
  });

  it('an approval in one process changes the page and ETag served by another', async () => {
    const first = await submit(ctx, 'shared', { articleId: 'hot' });
    await ctx.container.moderation.setStatus(first.body.id, 'approved', { type: 'cli', id: 't' });
    const path = '/api/v1/sites/shared/articles/hot/comments';
    const before = await otherApp.request(path);
    const etag = before.headers.get('etag')!;
    expect(((await before.json()) as any).comments).toHaveLength(1);
    expect((await otherApp.request(path, { headers: { 'if-none-match': etag } })).status).toBe(304); // cached

    const second = await submit(ctx, 'shared', { articleId: 'hot' });
    await ctx.container.moderation.setStatus(second.body.id, 'approved', { type: 'cli', id: 't' });
    let after: Response | null = null;
    for (let i = 0; i < 40; i++) {
      after = await otherApp.request(path, { headers: { 'if-none-match': etag } });
      if (after.status === 200) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(after!.status).toBe(200);
    expect(after!.headers.get('etag')).not.toBe(etag);
    expect(((await after!.json()) as any).comments).toHaveLength(2);
  });
});
