// Webhooks end to end: outbox → queue (BullMQ on Redis, or the database queue) → a real receiver
// that verifies every delivery with standardwebhooks.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson as rawPost } from '../../src/webhooks/http-post.ts';
import { approve, createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver, waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let receiver: Receiver;
beforeAll(async () => {
  ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { webhookScheduleMs: [150, 150, 150] });
  receiver = await startReceiver();
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx.close();
  await receiver.close();
});

let siteSeq = 0;
async function siteWithEndpoint(path: string, opts: { mode?: string; events?: string[]; personal?: boolean } = {}) {
  const siteId = `wh-${++siteSeq}`;
  await createSite(ctx, siteId, { moderation: opts.mode ?? 'all' });
  const { endpoint, secret } = await ctx.container.webhooks.create(siteId, {
    url: `${receiver.url}${path}`,
    ...(opts.events ? { events: opts.events } : {}),
    includePersonalData: opts.personal ?? false,
  });
  return { siteId, endpoint, secret };
}

const forPath = (path: string) => receiver.received.filter((r) => r.path === path);
const verify = (secret: string, r: { body: string; headers: Record<string, string> }) =>
  new Webhook(secret).verify(r.body, r.headers) as any;

describe('webhook delivery', () => {
  it('sees endpoints created, changed and removed since the last event (the embedded mode keeps them in memory)', async () => {
    const { siteId, endpoint } = await siteWithEndpoint('/kept-a', { mode: 'none', events: ['comment.approved'] });
    const wait = (path: string, n: number) => receiver.waitFor(() => forPath(path).length >= n);
    await submit(ctx, siteId, { articleId: 'kept' });
    await wait('/kept-a', 1);
    // A second endpoint, created after the site's endpoints were read: the next event reaches it too.
    const b = await ctx.container.webhooks.create(siteId, {
      url: `${receiver.url}/kept-b`,
      events: ['comment.approved'],
    });
    await submit(ctx, siteId, { articleId: 'kept' });
    await wait('/kept-a', 2);
    await wait('/kept-b', 1);
    // Switched off and removed: the next event reaches neither; a third endpoint shows it was processed.
    await ctx.container.webhooks.update(endpoint.id, { enabled: false });
    await ctx.container.webhooks.remove(b.endpoint.id);
    await ctx.container.webhooks.create(siteId, { url: `${receiver.url}/kept-c`, events: ['comment.approved'] });
    await submit(ctx, siteId, { articleId: 'kept' });
    await wait('/kept-c', 1);
    await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
    expect(forPath('/kept-a')).toHaveLength(2);
    expect(forPath('/kept-b')).toHaveLength(1);
  });

  it('delivers an approved comment and an approved reply once each, signed per Standard Webhooks', async () => {
    const { siteId, secret } = await siteWithEndpoint('/approved', { events: ['comment.approved'] });
    const top = await submit(ctx, siteId, {
      articleId: 'story',
      articleTitle: 'Story',
      articleUrl: 'https://news.example/story',
    });
    await approve(ctx, top.body.id);
    const reply = await submit(ctx, siteId, { articleId: 'story', parentId: top.body.id, body: 'a reply' });
    await approve(ctx, reply.body.id);
    await receiver.waitFor(() => forPath('/approved').length >= 2);
    await new Promise((r) => setTimeout(r, 500)); // nothing more arrives
    const got = forPath('/approved');
    expect(got).toHaveLength(2);
    const [first, second] = got.map((r) => verify(secret, r));
    expect(first).toMatchObject({
      type: 'comment.approved',
      data: {
        comment: { id: top.body.id, parentId: null, status: 'approved' },
        from: 'pending',
        to: 'approved',
        article: { id: 'story', url: 'https://news.example/story', title: 'Story' },
        site: { id: siteId },
        actor: { type: 'cli', id: 'test' },
      },
    });
    expect(second.data.comment).toMatchObject({ id: reply.body.id, parentId: top.body.id, body: 'a reply' });
    expect(got[0]!.headers['webhook-id']).not.toBe(got[1]!.headers['webhook-id']);
    // No personal data unless the endpoint asks for it.
    expect(got[0]!.body).not.toContain('@example.com');
    expect(() =>
      new Webhook(`whsec_${Buffer.from('wrong-secret-wrong-secret-wrong!').toString('base64')}`).verify(
        got[0]!.body,
        got[0]!.headers,
      ),
    ).toThrow();
  });

  it('sends every lifecycle event to an endpoint that wants them all, with personal data when set', async () => {
    const { siteId, secret } = await siteWithEndpoint('/all', { personal: true });
    const c = await submit(ctx, siteId, { email: 'author@example.com' }, { 'user-agent': 'UA-test' });
    await ctx.container.moderation.setStatus(c.body.id, 'spam', { type: 'user', id: 'mod-1' }, 'obvious');
    await receiver.waitFor(() => forPath('/all').length >= 3);
    const types = forPath('/all').map((r) => verify(secret, r).type);
    // Webhooks promise delivery, not order: events of one comment may be processed in parallel.
    expect(types.sort()).toEqual(['comment.created', 'comment.pending', 'comment.spam']);
    const spam = forPath('/all')
      .map((r) => verify(secret, r))
      .find((e) => e.type === 'comment.spam');
    expect(spam.data).toMatchObject({
      from: 'pending',
      to: 'spam',
      actor: { type: 'user', id: 'mod-1' },
      comment: { email: 'author@example.com', userAgent: 'UA-test' },
    });
  });

  it('retries a receiver that answers 500 twice, succeeding on the third attempt, and logs each attempt', async () => {
    receiver.on('/flaky', (_r, n) => (n <= 2 ? { status: 500, body: 'boom' } : { status: 204 }));
    const { siteId, endpoint } = await siteWithEndpoint('/flaky', { events: ['comment.pending'] });
    await submit(ctx, siteId);
    await receiver.waitFor(() => forPath('/flaky').length >= 3);
    const ids = new Set(forPath('/flaky').map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1); // one event, one id, three attempts
    const deliveries = await waitUntil(async () => {
      const d = await ctx.container.webhooks.deliveries(endpoint.id);
      return d[0]?.status === 'succeeded' ? d : null;
    });
    expect(deliveries[0]!.attempts).toBe(3);
    expect(deliveries[0]!.log.map((a) => a.statusCode)).toEqual([500, 500, 204]);
    expect(deliveries[0]!.log[0]!.response).toBe('boom');
    await new Promise((r) => setTimeout(r, 400));
    expect(forPath('/flaky')).toHaveLength(3);
  });

  it('retries 429 and 408, waiting as long as Retry-After asks (the schedule here is 150 ms)', async () => {
    receiver.on('/busy', (_r, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : n === 2 ? { status: 408 } : { status: 204 },
    );
    const { siteId, endpoint } = await siteWithEndpoint('/busy', { events: ['comment.pending'] });
    await submit(ctx, siteId);
    await receiver.waitFor(() => forPath('/busy').length >= 3);
    const [first, second] = forPath('/busy');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
    const deliveries = await waitUntil(async () => {
      const d = await ctx.container.webhooks.deliveries(endpoint.id);
      return d[0]?.status === 'succeeded' ? d : null;
    });
    expect(deliveries[0]!.log.map((a) => a.statusCode)).toEqual([429, 408, 204]);
  });

  it('switches off an endpoint whose deliveries have all failed for more than 5 days, not one failing for 4', async () => {
    receiver.on('/down-long', () => ({ status: 503 }));
    receiver.on('/down-short', () => ({ status: 503 }));
    const long = await siteWithEndpoint('/down-long', { events: ['comment.pending'] });
    const short = await siteWithEndpoint('/down-short', { events: ['comment.pending'] });
    const db = ctx.container.database.db;
    const failingFor = (id: string, days: number) =>
      db
        .updateTable('webhook_endpoints')
        .set({ failing_since: new Date(Date.now() - days * 24 * 3_600_000) })
        .where('id', '=', id)
        .execute();
    await failingFor(long.endpoint.id, 5.1);
    await failingFor(short.endpoint.id, 4);
    await submit(ctx, long.siteId);
    await submit(ctx, short.siteId);
    const off = await waitUntil(async () => {
      const e = await ctx.container.webhooks.get(long.endpoint.id);
      return e.enabled ? null : e;
    });
    expect(off.disabledReason).toContain('5 days');
    // The short one has been retried to the end of its schedule by now, and stays on.
    await waitUntil(async () => (await ctx.container.webhooks.deliveries(short.endpoint.id))[0]?.status === 'failed');
    expect((await ctx.container.webhooks.get(short.endpoint.id)).enabled).toBe(true);
  });

  it('disables the endpoint on 410 Gone', async () => {
    receiver.on('/gone', () => ({ status: 410 }));
    const { siteId, endpoint } = await siteWithEndpoint('/gone', { events: ['comment.created'] });
    await submit(ctx, siteId);
    await receiver.waitFor(() => forPath('/gone').length >= 1);
    const after = await waitUntil(async () => {
      const e = await ctx.container.webhooks.get(endpoint.id);
      return e.enabled ? null : e;
    });
    expect(after.disabledReason).toContain('410');
    await submit(ctx, siteId); // nothing is sent to a disabled endpoint
    await new Promise((r) => setTimeout(r, 500));
    expect(forPath('/gone')).toHaveLength(1);
  });

  it('does not follow redirects and does not retry them', async () => {
    receiver.on('/redirect', () => ({ status: 302, headers: { location: `${receiver.url}/redirect-target` } }));
    const { siteId, endpoint } = await siteWithEndpoint('/redirect', { events: ['comment.created'] });
    await submit(ctx, siteId);
    const d = await waitUntil(async () => {
      const list = await ctx.container.webhooks.deliveries(endpoint.id);
      return list[0]?.status === 'failed' ? list[0] : null;
    });
    expect(d.lastStatusCode).toBe(302);
    await new Promise((r) => setTimeout(r, 400));
    expect(forPath('/redirect')).toHaveLength(1);
    expect(forPath('/redirect-target')).toHaveLength(0);
  });

  it('fails other 4xx without retrying', async () => {
    receiver.on('/bad', () => ({ status: 400 }));
    const { siteId, endpoint } = await siteWithEndpoint('/bad', { events: ['comment.created'] });
    await submit(ctx, siteId);
    await waitUntil(async () => (await ctx.container.webhooks.deliveries(endpoint.id))[0]?.status === 'failed');
    await new Promise((r) => setTimeout(r, 400));
    expect(forPath('/bad')).toHaveLength(1);
    expect((await ctx.container.webhooks.get(endpoint.id)).enabled).toBe(true);
  });

  it('redelivers on request with the same webhook id', async () => {
    const { siteId, endpoint, secret } = await siteWithEndpoint('/again', { events: ['comment.created'] });
    await submit(ctx, siteId);
    await receiver.waitFor(() => forPath('/again').length >= 1);
    const [delivery] = await waitUntil(async () => {
      const d = await ctx.container.webhooks.deliveries(endpoint.id);
      return d[0]?.status === 'succeeded' ? d : null;
    });
    await ctx.container.webhooks.redeliver(delivery!.id);
    await receiver.waitFor(() => forPath('/again').length >= 2);
    const [a, b] = forPath('/again');
    expect(b!.headers['webhook-id']).toBe(a!.headers['webhook-id']);
    expect(verify(secret, b!).type).toBe('comment.created');
  });

  it("numbers each comment's events in order (data.sequence), the order webhook-id sorts in too", async () => {
    const { siteId, secret } = await siteWithEndpoint('/ordered');
    const c = await submit(ctx, siteId);
    await approve(ctx, c.body.id);
    await ctx.container.moderation.setStatus(c.body.id, 'rejected', { type: 'cli', id: 'test' });
    await receiver.waitFor(() => forPath('/ordered').length >= 4);
    // Arrival order is not promised; the sequence and the time-ordered webhook-id are.
    const events = forPath('/ordered')
      .map((r) => ({ id: r.headers['webhook-id']!, event: verify(secret, r) }))
      .sort((a, b) => a.event.data.sequence - b.event.data.sequence);
    expect(events.map((e) => [e.event.data.sequence, e.event.type])).toEqual([
      [1, 'comment.created'],
      [2, 'comment.pending'],
      [3, 'comment.approved'],
      [4, 'comment.rejected'],
    ]);
    expect(events.every((e) => e.event.data.comment.id === c.body.id)).toBe(true);
    expect(events.map((e) => e.id)).toEqual(events.map((e) => e.id).sort());
    // Another comment counts from 1 again.
    const other = await submit(ctx, siteId, { body: 'another comment' });
    const createdOf = (id: string) =>
      forPath('/ordered').find((r) => r.json?.data?.comment?.id === id && r.json.type === 'comment.created');
    await receiver.waitFor(() => createdOf(other.body.id) !== undefined);
    expect(createdOf(other.body.id)!.json.data.sequence).toBe(1);
  });

  it('signs with both secrets during a rotation grace period', async () => {
    const { siteId, endpoint, secret: oldSecret } = await siteWithEndpoint('/rotate', { events: ['comment.created'] });
    const { secret: newSecret } = await ctx.container.webhooks.rotateSecret(endpoint.id, 1);
    expect(newSecret).toMatch(/^whsec_/);
    await submit(ctx, siteId);
    const [got] = await receiver.waitFor(() => forPath('/rotate').length >= 1).then(() => forPath('/rotate'));
    expect(got!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verify(newSecret, got!).type).toBe('comment.created');
    expect(verify(oldSecret, got!).type).toBe('comment.created');
  });
});

describe('webhook targets', () => {
  it('refuses private and loopback endpoint URLs without the allow option', async () => {
    const strict = await createTestContext();
    try {
      await strict.container.sites.create({ id: 'strict', name: 'Strict', settings: {} });
      for (const url of [
        'http://127.0.0.1:9/x',
        'http://localhost/x',
        'http://localhost./x',
        'http://api.localhost../x',
        'http://10.1.2.3/',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]/',
        'http://[::ffff:127.0.0.1]/',
        'http://[::127.0.0.1]/',
        'http://[::7f00:1]/',
        'http://[::a00:1]/',
        'http://[::ffff:7f00:1]/',
        'http://[64:ff9b::127.0.0.1]/',
        'http://[64:ff9b::a9fe:a9fe]/',
        'http://[2002:7f00:1::]/',
        'http://[2002:a00:1::1]/',
      ]) {
        const err = await strict.container.webhooks.create('strict', { url }).catch((e) => e);
        expect(err.extra?.errors?.[0], url).toMatchObject({
          path: 'url',
          message: expect.stringMatching(/private or loopback/),
        });
      }
      const ftp = await strict.container.webhooks.create('strict', { url: 'ftp://example.com/' }).catch((e) => e);
      expect(ftp.extra.errors[0].message).toMatch(/http/);
      const ok = await strict.container.webhooks.create('strict', { url: 'https://hooks.example.com/comments' });
      expect(ok.secret).toMatch(/^whsec_/);
    } finally {
      await strict.close();
    }
  });

  it('checks the address actually connected to, so a name that resolves to loopback is refused', async () => {
    const before = receiver.received.length;
    const res = await rawPost(
      `http://localhost:${receiver.port}/sneaky`,
      '{}',
      {},
      { timeoutMs: 2000, allowPrivate: false },
    );
    expect(res.status).toBeNull();
    expect(res.errorCode).toBe('EFORBIDDENADDRESS');
    const literal = await rawPost(
      `http://127.0.0.1:${receiver.port}/sneaky`,
      '{}',
      {},
      { timeoutMs: 2000, allowPrivate: false },
    );
    expect(literal.errorCode).toBe('EFORBIDDENADDRESS');
    // IPv4-compatible IPv6 is IPv4 to some stacks: refused before any connection.
    const compatible = await rawPost(
      `http://[::127.0.0.1]:${receiver.port}/sneaky`,
      '{}',
      {},
      { timeoutMs: 2000, allowPrivate: false },
    );
    expect(compatible.errorCode).toBe('EFORBIDDENADDRESS');
    expect(receiver.received.length).toBe(before);
    const allowed = await rawPost(
      `http://localhost:${receiver.port}/sneaky`,
      '{}',
      {},
      { timeoutMs: 2000, allowPrivate: true },
    );
    expect(allowed.status).toBe(200);
  });
});
