// The author's email and IP never leave the moderation side: a flow through today's features (the
// live queue, decisions, a reader's report, an email ban rejecting held comments, an import via the
// admin API, the Prometheus metrics and the author's erasure) is run with every log line captured
// (at trace level, through the app's own logger options) and the dashboard's live stream read; none
// of it, nor any delivery to a webhook endpoint without personal data, carries an address or IP.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { loggerOptions } from '../../src/shared/logger.ts';
import { api, bearer, createUser, signIn, tokenFor } from '../support/accounts.ts';
import { call, createSite, postJson, submit } from '../support/http.ts';
import { openStream, type SseEvent } from '../support/sse.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver, waitUntil } from '../support/webhook-receiver.ts';

const EMAIL = 'outlet.author@mail-outlet.example';
const IP = '203.0.113.199';
const IMPORTED = { email: 'imported.person@mail-outlet.example', ip: '198.51.100.231' };
const METRICS_TOKEN = 'metrics-token-for-outlets-test';
const SITE = 'outlets';

let ctx: TestContext;
let log = '';
let receiver: Receiver;
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      log += chunk.toString();
      done();
    },
  });
  ctx = await createTestContext(
    { TRUST_PROXY: 'true', METRICS_TOKEN, WEBHOOK_ALLOW_PRIVATE: 'true' },
    { log: pino(loggerOptions('trace'), sink), liveHeartbeatMs: 200, webhookScheduleMs: [150, 150, 150] },
  );
  receiver = await startReceiver();
  await createSite(ctx, SITE, { moderation: 'all', reportQueueThreshold: 0.5 });
  await ctx.container.webhooks.create(SITE, { url: `${receiver.url}/public`, includePersonalData: false });
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx?.close();
  await receiver?.close();
});

const DISQUS = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="t1"><link>https://news.example/imported</link><title>Imported</title></thread>
  <post dsq:id="p1"><message><![CDATA[An imported comment]]></message><createdAt>2024-01-01T00:00:00Z</createdAt>
    <author><email>${IMPORTED.email}</email><name>Imported Person</name></author><ipAddress>${IMPORTED.ip}</ipAddress>
    <thread dsq:id="t1"/></post>
</disqus>`;

describe('personal data outlets', () => {
  it('puts no email or IP in a log line, a live queue event, a metric or a webhook without personal data', async () => {
    const mod = await createUser(ctx, 'outlet-mod@example.com', 'moderator', [SITE]);
    const modAuth = bearer(await tokenFor(ctx, mod));
    const adminAuth = bearer(await tokenFor(ctx, await createUser(ctx, 'outlet-admin@example.com', 'admin')));
    const session = await signIn(ctx, 'outlet-mod@example.com');
    const stream = await openStream(ctx, `/dashboard/queue/live?site=${SITE}`, session.cookie);
    expect(stream.status, stream.text.slice(0, 300)).toBe(200);
    const events: SseEvent[] = [];
    events.push(await stream.next((e) => e.event === 'ready'));

    const by = { 'x-forwarded-for': IP, 'user-agent': 'OutletTest/1' };
    const fields = { articleId: 'outlet-a', name: 'Outlet Author', email: EMAIL };
    const first = (await submit(ctx, SITE, { ...fields, body: 'first words' }, by)).body.id as string;
    const second = (await submit(ctx, SITE, { ...fields, body: 'second words' }, by)).body.id as string;
    const approved = await api(ctx, 'POST', `/api/v1/moderation/comments/${first}/approve`, modAuth, {
      expectedStatus: 'pending',
    });
    expect(approved.status, approved.text).toBe(200);
    events.push(await stream.next((e) => e.event === 'change' && JSON.parse(e.data).commentId === first));
    const reported = await postJson(
      ctx,
      `/api/v1/sites/${SITE}/comments/${first}/reports`,
      { reason: 'spam' },
      { 'x-forwarded-for': '198.51.100.9' },
    );
    expect(reported.status, reported.text).toBeLessThan(300);
    // An email ban that rejects her held comment: the stream hears it, the log records it.
    const ban = await api(ctx, 'POST', '/api/v1/moderation/bans', modAuth, {
      siteId: SITE,
      kind: 'email',
      value: EMAIL,
      reason: 'outlet test',
      rejectHeld: true,
      confirm: true,
    });
    expect(ban.status, ban.text).toBe(201);
    events.push(await stream.next((e) => e.event === 'change' && JSON.parse(e.data).commentId === second, 5_000));
    // An import through the admin API: the upload holds another person's address and IP.
    const upload = await call(ctx, `/api/v1/admin/sites/${SITE}/imports?format=disqus`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...adminAuth },
      body: DISQUS,
    });
    expect(upload.status, upload.text).toBe(202);
    await waitUntil(
      async () => {
        const res = await api(ctx, 'GET', `/api/v1/admin/sites/${SITE}/imports/${upload.body.job.id}`, adminAuth);
        return res.body.job.status === 'completed';
      },
      20_000,
      'the import to complete',
    );
    const metrics = await call(ctx, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('# TYPE');
    let out = '';
    const code = await runCli(['authors:erase', '--site', SITE, '--email', EMAIL], ctx.container, {
      out: (s) => (out += s),
      err: (s) => (out += s),
    });
    expect(code, out).toBe(0);
    // Every event the stream has heard meanwhile.
    for (;;) {
      const next = await stream.next(() => true, 1_000).catch(() => null);
      if (!next) break;
      events.push(next);
    }
    await stream.close();

    // Every event delivered to the endpoint without personal data.
    const db = ctx.container.database.db;
    await waitUntil(
      async () => {
        const all = await db.selectFrom('events').select('id').where('site_id', '=', SITE).execute();
        const done = await db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'succeeded').execute();
        return all.length > 0 && done.length === all.length;
      },
      30_000,
      'every event delivered',
    );
    const hooks = receiver.received.map((r) => r.body).join('\n');
    for (const type of ['comment.rejected', 'comment.reported', 'import.completed']) expect(hooks).toContain(type);
    const sse = events.map((e) => `${e.event} ${e.data}`).join('\n');
    expect(sse).toContain(first);
    expect(log).toContain('"msg"');
    for (const [where, text] of [
      ['log', log],
      ['live queue', sse],
      ['metrics', metrics.text],
      ['webhooks without personal data', hooks],
    ] as const)
      for (const v of [EMAIL, IP, IMPORTED.email, IMPORTED.ip, 'mail-outlet.example'])
        expect(text.includes(v), `${v} in the ${where}`).toBe(false);
  });
});
