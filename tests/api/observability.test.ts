import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let guarded: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  guarded = await createTestContext({ METRICS_TOKEN: 'operator-token-0123456789' });
  await createSite(ctx, 'obs', { moderation: 'none' });
});
afterAll(async () => {
  await ctx.close();
  await guarded.close();
});

describe('health, readiness and metrics', () => {
  it('/healthz answers while the process lives; /readyz checks the stores and migrations', async () => {
    expect((await call(ctx, '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await call(ctx, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toBe('ok');
    expect(ready.body.checks.migrations).toBe('ok');
    if (ctx.container.redis) expect(ready.body.checks.redis).toBe('ok');
  });

  it('/metrics counts requests by route pattern and status, queue depth, outbox backlog', async () => {
    await submit(ctx, 'obs', { articleId: 'm1' });
    await call(ctx, '/api/v1/sites/obs/articles/m1/comments');
    await call(ctx, '/api/v1/sites/obs/articles/unknown-article/comments');
    const res = await ctx.app.request('/metrics');
    const text = await res.text();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(
      /comments_http_requests_total\{method="POST",route="\/api\/v1\/sites\/:siteId\/comments",status="201"\} 1/,
    );
    expect(text).toMatch(
      /comments_http_requests_total\{method="GET",route="\/api\/v1\/sites\/:siteId\/articles\/:articleId\/comments",status="404"\} 1/,
    );
    expect(text).not.toContain('unknown-article'); // raw paths never become labels
    expect(text).toContain('comments_http_request_duration_seconds_bucket');
    expect(text).toMatch(/comments_queue_jobs\{queue="events",state="waiting"\} \d+/);
    expect(text).toMatch(/comments_outbox_backlog \d+/);
    expect(text).toMatch(/comments_submitted_total\{status="approved"\} 1/);
    await submit(ctx, 'obs', { articleId: 'm1', body: 'FIRST!!!!!!!!!!!!!!!!!!!!!!!!! this is shit' });
    const after = await (await ctx.app.request('/metrics')).text();
    expect(after).toMatch(/comments_submitted_total\{status="pending"\} 1/);
    expect(after).toMatch(/comments_filter_verdicts_total\{code="profanity",action="hold"\} 1/);
  });

  it('keeps /metrics and /readyz for the operator when METRICS_TOKEN is set', async () => {
    expect((await call(guarded, '/metrics')).status).toBe(401);
    expect((await call(guarded, '/readyz')).status).toBe(401);
    expect(
      (await call(guarded, '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status,
    ).toBe(401);
    expect(
      (await call(guarded, '/readyz', { headers: { authorization: 'Bearer operator-token-0123456789' } })).status,
    ).toBe(200);
    expect((await call(guarded, '/healthz')).status).toBe(200);
  });
});
