import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, call, createSite, expectProblem, submit, tableCounts } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ TRUST_PROXY: 'true' });
  await createSite(ctx, 'paper', { moderation: 'none', origins: ['https://paper.example', 'http://localhost:8080'] });
});
afterAll(() => ctx.close());

describe('CORS', () => {
  it('answers a preflight from an allowed origin', async () => {
    const res = await call(ctx, '/api/v1/sites/paper/comments', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://paper.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://paper.example');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
  });

  it('gives no CORS grant to another origin, and refuses its posts with 403 before storing anything', async () => {
    const preflight = await call(ctx, '/api/v1/sites/paper/comments', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const before = await tableCounts(ctx);
    const post = await submit(ctx, 'paper', {}, { origin: 'https://evil.example' });
    expect(expectProblem(post, 403).code).toBe('origin_not_allowed');
    const form = await call(ctx, '/api/v1/sites/paper/comments', {
      method: 'POST',
      headers: { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'articleId=a&name=x&email=x%40example.com&body=hi',
    });
    expect(form.status).toBe(403);
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('grants reads and posts to allowed origins', async () => {
    const post = await submit(ctx, 'paper', { articleId: 'cors' }, { origin: 'http://localhost:8080' });
    expect(post.status).toBe(201);
    expect(post.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
    const read = await call(ctx, '/api/v1/sites/paper/articles/cors/comments', {
      headers: { origin: 'https://paper.example' },
    });
    expect(read.headers.get('access-control-allow-origin')).toBe('https://paper.example');
    expect(read.headers.get('access-control-expose-headers')).toContain('ETag');
    const foreign = await call(ctx, '/api/v1/sites/paper/articles/cors/comments', {
      headers: { origin: 'https://evil.example' },
    });
    // Another origin gets a refusal it can read (the widget says what to configure), and no comments.
    const refusal = expectProblem(foreign, 403);
    expect(refusal.code).toBe('origin_not_allowed');
    expect(refusal.detail).toContain('https://evil.example');
    expect(refusal.detail).toContain('"paper"');
    expect(foreign.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(foreign.text).not.toContain('comments":');
    // Error answers are readable by allowed origins too (the widget shows field errors).
    const invalid = await submit(ctx, 'paper', { email: 'not-an-email' }, { origin: 'https://paper.example' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('access-control-allow-origin')).toBe('https://paper.example');
    expect(invalid.headers.get('vary')).toContain('Origin');
  });
});

describe('a page on an origin that is not allowed', () => {
  it('is refused with a warning in the log naming the site and the origin, once per pair and interval', async () => {
    const lines: { level: number; msg: string; siteId?: string; origin?: string }[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const logged = await createTestContext({}, { log: pino({ level: 'info' }, sink) });
    try {
      await createSite(logged, 'gazette', { origins: ['https://gazette.example'] });
      const read = (origin: string) =>
        call(logged, '/api/v1/sites/gazette/articles/a/comments', { headers: { origin } });
      for (let i = 0; i < 3; i++) expectProblem(await read('https://copycat.example'), 403);
      expectProblem(await submit(logged, 'gazette', {}, { origin: 'https://copycat.example' }), 403);
      expectProblem(await read('http://localhost:4000'), 403);
      expect((await read('https://gazette.example')).status).toBe(404); // allowed: no article yet
      const warnings = lines.filter((l) => l.level === 40 && l.msg.includes('not an allowed origin'));
      expect(warnings.map((w) => [w.siteId, w.origin])).toEqual([
        ['gazette', 'https://copycat.example'],
        ['gazette', 'http://localhost:4000'],
      ]);
      expect(warnings[0]!.msg).toContain('sites:update --id gazette --origin https://copycat.example');
    } finally {
      await logged.close();
    }
  });
});

describe('privacy', () => {
  it('never shows email, IP or user agent in any public answer', async () => {
    const email = 'secret.person@private.example';
    const ip = '203.0.113.77';
    const ua = 'UniqueAgent/9.9 (fingerprint-xyz)';
    const headers = { 'x-forwarded-for': ip, 'user-agent': ua };
    const top = await submit(ctx, 'paper', { articleId: 'private', email }, headers);
    const reply = await submit(ctx, 'paper', { articleId: 'private', email, parentId: top.body.id }, headers);
    await approve(ctx, top.body.id);
    const answers = [
      top.text,
      reply.text,
      (await call(ctx, '/api/v1/sites/paper/articles/private/comments')).text,
      (await call(ctx, '/api/v1/sites/paper/counts?articleId=private')).text,
    ];
    for (const text of answers) {
      expect(text).not.toContain('secret.person');
      expect(text).not.toContain('private.example');
      expect(text).not.toContain(ip);
      expect(text).not.toContain('fingerprint-xyz');
    }
    // The moderation side does keep them.
    const { comment } = await ctx.container.moderation.show(top.body.id);
    expect(comment).toMatchObject({ email, ip, userAgent: ua });
  });
});
