// Every rejection is a clear 4xx problem+json and leaves the database exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  commentInput,
  createSite,
  expectProblem,
  type JsonResponse,
  postJson,
  submit,
  tableCounts,
} from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let otherArticleComment: string;
let pendingComment: string;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'site', { moderation: 'none' });
  await createSite(ctx, 'held', { moderation: 'all' });
  otherArticleComment = (await submit(ctx, 'site', { articleId: 'other' })).body.id;
  await submit(ctx, 'site', { articleId: 'a' });
  pendingComment = (await submit(ctx, 'held', { articleId: 'a' })).body.id;
});
afterAll(() => ctx.close());

const url = '/api/v1/sites/site/comments';
const raw = (body: string, contentType = 'application/json') =>
  call(ctx, url, { method: 'POST', headers: { 'content-type': contentType }, body });

/** Everything a request could leave behind: rows, outbox events and queued jobs. */
async function storedState() {
  const db = ctx.container.database.db;
  const events = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const queued = Object.values(await ctx.container.queue.counts()).map((q) => q.waiting + q.active + q.failed);
  return { ...(await tableCounts(ctx)), events: Number(events.n), queued };
}

/**
 * Sends the request only after counting, so nothing it stores can land in "before" (the old helper took a
 * request already started); compares once the answer is complete, and again once the relay has handed
 * over whatever the request left in the outbox.
 */
async function expectRejected(send: () => Promise<JsonResponse>, status: number, field?: string) {
  // Earlier accepted comments may still be on their way to the queue: start from a settled state.
  await ctx.container.relay.drain();
  const before = await storedState();
  const problem = expectProblem(await send(), status);
  if (field) expect(problem.errors?.map((e) => e.path)).toContain(field);
  expect(await storedState()).toEqual(before);
  await ctx.container.relay.drain();
  expect(await storedState()).toEqual(before);
  return problem;
}

describe('bad input', () => {
  it('415 for a wrong or missing content type', async () => {
    await expectRejected(() => raw(JSON.stringify(commentInput()), 'text/plain'), 415);
    await expectRejected(() => call(ctx, url, { method: 'POST', body: JSON.stringify(commentInput()) }), 415);
    await expectRejected(() => raw('<xml/>', 'application/xml'), 415);
  });

  it('400 for invalid JSON or a non-object body', async () => {
    await expectRejected(() => raw('{"name": "x",'), 400, '(body)');
    await expectRejected(() => raw('[1,2,3]'), 400, '(body)');
    await expectRejected(() => raw('"text"'), 400, '(body)');
    await expectRejected(() => raw('null'), 400, '(body)');
    await expectRejected(() => raw(''), 400, '(body)');
  });

  it('400 naming each missing field', async () => {
    const problem = await expectRejected(() => postJson(ctx, url, {}), 400);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['articleId', 'body', 'email', 'name']);
    expect(problem.errors?.every((e) => e.message === 'is required')).toBe(true);
  });

  it('400 for wrong types', async () => {
    await expectRejected(() => postJson(ctx, url, commentInput({ name: 42 })), 400, 'name');
    await expectRejected(() => postJson(ctx, url, commentInput({ body: ['x'] })), 400, 'body');
    await expectRejected(() => postJson(ctx, url, commentInput({ renderedAt: 'yesterday' })), 400, 'renderedAt');
    await expectRejected(() => postJson(ctx, url, commentInput({ parentId: { $ne: null } })), 400, 'parentId');
  });

  it('400 for over-long and empty fields', async () => {
    await expectRejected(() => postJson(ctx, url, commentInput({ body: 'x'.repeat(10_001) })), 400, 'body');
    await expectRejected(() => postJson(ctx, url, commentInput({ name: 'n'.repeat(101) })), 400, 'name');
    await expectRejected(() => postJson(ctx, url, commentInput({ articleId: 'a'.repeat(201) })), 400, 'articleId');
    await expectRejected(() => postJson(ctx, url, commentInput({ body: '   \n\t  ' })), 400, 'body');
    await expectRejected(() => postJson(ctx, url, commentInput({ name: '' })), 400, 'name');
    // 10,000 emoji are 20,000 UTF-16 units but 10,000 characters: accepted.
    const ok = await postJson(ctx, url, commentInput({ body: '😀'.repeat(10_000) }));
    expect(ok.status).toBe(201);
  });

  it('400 for an invalid email or article URL', async () => {
    for (const email of ['not-an-email', 'a@', '@b.c', 'a b@c.d', `${'x'.repeat(250)}@example.com`]) {
      await expectRejected(() => postJson(ctx, url, commentInput({ email })), 400, 'email');
    }
    await expectRejected(
      () => postJson(ctx, url, commentInput({ articleUrl: 'javascript:alert(1)' })),
      400,
      'articleUrl',
    );
  });

  it('400 for NUL bytes, lone surrogates and control characters', async () => {
    await expectRejected(() => postJson(ctx, url, commentInput({ body: 'hello\u0000world' })), 400, 'body');
    await expectRejected(() => postJson(ctx, url, commentInput({ name: 'Ann\u0000' })), 400, 'name');
    await expectRejected(() => postJson(ctx, url, commentInput({ articleId: 'a\u0000b' })), 400, 'articleId');
    await expectRejected(
      () => raw('{"articleId":"a","name":"x","email":"x@example.com","body":"bad \\ud800 half"}'),
      400,
      'body',
    );
    await expectRejected(
      () => raw('{"articleId":"a","name":"\\udc00","email":"x@example.com","body":"ok"}'),
      400,
      'name',
    );
    await expectRejected(() => postJson(ctx, url, commentInput({ name: 'line\nbreak' })), 400, 'name');
    await expectRejected(() => postJson(ctx, url, commentInput({ body: 'bell\u0007' })), 400, 'body');
  });

  it('404 for an unknown site, 404 for a missing, unpublished or other-article parent', async () => {
    await expectRejected(() => postJson(ctx, '/api/v1/sites/no-such-site/comments', commentInput()), 404);
    await expectRejected(() => postJson(ctx, "/api/v1/sites/'%3B drop table sites--/comments", commentInput()), 404);
    await expectRejected(
      () => postJson(ctx, url, commentInput({ articleId: 'a', parentId: '01000000-0000-7000-8000-000000000000' })),
      404,
      'parentId',
    );
    await expectRejected(
      () => postJson(ctx, url, commentInput({ articleId: 'a', parentId: otherArticleComment })),
      404,
      'parentId',
    );
    await expectRejected(
      () => postJson(ctx, '/api/v1/sites/held/comments', commentInput({ articleId: 'a', parentId: pendingComment })),
      404,
      'parentId',
    );
  });

  it('413 for an oversized body, with or without Content-Length', async () => {
    const big = JSON.stringify(commentInput({ body: 'x'.repeat(10 * 1024 * 1024) }));
    await expectRejected(() => raw(big), 413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    await expectRejected(
      () =>
        call(ctx, url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: stream,
          duplex: 'half',
        } as RequestInit),
      413,
    );
  });

  it('400 for a malformed Idempotency-Key', async () => {
    await expectRejected(
      () => postJson(ctx, url, commentInput(), { 'idempotency-key': 'x'.repeat(300) }),
      400,
      'Idempotency-Key',
    );
  });

  it('a form post with bad input from a browser gets an HTML page with the errors, same status', async () => {
    const before = await tableCounts(ctx);
    const res = await call(ctx, url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ articleId: 'a', name: '', email: 'bad', body: 'hi' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('email');
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('the stored state the rejections are compared with sees what an accepted comment leaves behind', async () => {
    await ctx.container.relay.drain();
    const before = await storedState();
    expect((await postJson(ctx, url, commentInput())).status).toBe(201);
    const answered = await storedState();
    expect(answered.comments).toBe(before.comments + 1);
    expect(answered.events).toBeGreaterThan(before.events);
    await ctx.container.relay.drain();
    // No worker runs in this file: the relay's hand-over shows in the queue once it settles.
    expect((await storedState()).queued).not.toEqual(before.queued);
  });

  it('unknown routes and methods answer problem+json', async () => {
    expectProblem(await call(ctx, '/api/v1/nothing-here'), 404);
    const res = await call(ctx, '/api/v1/sites/site/comments', { method: 'DELETE' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
