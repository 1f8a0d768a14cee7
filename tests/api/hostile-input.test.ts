// Property-based: whatever a client sends to a public endpoint, the answer is never a 5xx; every
// rejection is problem+json and stores nothing; accepted comments read back exactly as sent (apart
// from the documented normalisation: trimmed fields, \r\n → \n in the body).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createSite, submit, tableCounts } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let parentId: string;
beforeAll(async () => {
  // TRUST_PROXY so the sign-in fuzzing can come from many clients (one client would be slowed down by
  // its own failures, as the sign-in limits intend); requests without X-Forwarded-For are unchanged.
  ctx = await createTestContext({ TRUST_PROXY: 'true' });
  await createSite(ctx, 'h', { moderation: 'none' });
  parentId = (await submit(ctx, 'h', { articleId: 'base' })).body.id;
});
afterAll(() => ctx.close());

const RUNS = 150;
const url = '/api/v1/sites/h/comments';

function assertSane(res: { status: number; headers: Headers; body: any; text: string }) {
  expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json|^text\/html/);
  }
}

/** Any string a client could put in JSON, lone surrogates, NULs, RTL marks and huge code points included. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom(
    "'; drop table comments; --",
    '<script>alert(1)</script>',
    '\u202etxt.exe',
    '\u0000',
    '\ud800',
    '𝕳𝖊𝖑𝖑𝖔',
    'ﷺ'.repeat(100),
    'a'.repeat(20_000),
    ' ',
  ),
);

describe('hostile input on public endpoints', () => {
  it('POST comments: arbitrary JSON bodies never cause a 5xx, and rejections store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        const before = await tableCounts(ctx);
        const res = await call(ctx, url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(value),
        });
        assertSane(res);
        if (res.status >= 400) expect(await tableCounts(ctx)).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('POST comments: hostile strings in every field are refused cleanly or stored exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          articleId: nastyString,
          name: nastyString,
          email: fc.oneof(nastyString, fc.emailAddress()),
          body: nastyString,
          parentId: fc.option(nastyString, { nil: undefined }),
        }),
        async (input) => {
          const before = await tableCounts(ctx);
          const res = await call(ctx, url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(input),
          });
          assertSane(res);
          if (res.status === 201) {
            const { comment } = await ctx.container.moderation.show(res.body.id);
            expect(comment.body).toBe(input.body.replace(/\r\n?/g, '\n').trim());
            expect(comment.name).toBe(input.name.trim());
          } else {
            expect(await tableCounts(ctx)).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST comments: valid comments with any Unicode text are stored and shown exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 400 })
          .filter((s) => s.trim().length > 0 && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(s)),
        async (text) => {
          const res = await submit(ctx, 'h', { articleId: 'unicode', body: text });
          expect(res.status, res.text.slice(0, 200)).toBe(201);
          const { comment } = await ctx.container.moderation.show(res.body.id);
          expect(comment.body).toBe(text.replace(/\r\n?/g, '\n').trim());
          expect(res.body.comment.html).not.toMatch(/<(?!\/?(p|br|a)\b)/); // only our tags
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST comments: wrong content types, broken bodies and odd headers', async () => {
    const bodies = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constant('{"a":'),
      fc.constant('%%%'),
      fc.constant('\u0000\u0001'),
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString('latin1')),
    );
    const types = fc.constantFrom(
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      'text/plain',
      'application/xml',
      '',
      'application/json; charset=utf-16',
      '*/*',
      'application/merge-patch+json',
    );
    await fc.assert(
      fc.asyncProperty(
        bodies,
        types,
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        async (body, type, key) => {
          const before = await tableCounts(ctx);
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (key !== undefined && /^[\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
          const res = await call(ctx, url, { method: 'POST', headers, body });
          assertSane(res);
          if (res.status >= 400) expect(await tableCounts(ctx)).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('deeply nested and huge JSON is refused without a 5xx', async () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    expect(
      (await call(ctx, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep })).status,
    ).toBe(413);
    const nested = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const res = await call(ctx, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nested });
    expect(res.status).toBe(400);
    const wide = JSON.stringify({
      articleId: 'x',
      name: 'x',
      email: 'x@example.com',
      body: 'x',
      extra: Array.from({ length: 5000 }, (_, i) => i),
    });
    expect(
      (await call(ctx, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: wide })).status,
    ).toBeLessThan(500);
  });

  it('GET thread and counts: arbitrary path and query values never cause a 5xx', async () => {
    const seg = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 120 })
      .map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x')));
    const raw = fc.constantFrom('%', '%ZZ', '%ED%A0%80', '%00', '..', '%2F..%2F', '%C0%AE');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(seg, raw),
        fc.oneof(seg, raw),
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        async (site, article, sort, limit, cursor) => {
          const q = new URLSearchParams({ sort, limit, cursor }).toString();
          assertSane(await call(ctx, `/api/v1/sites/${site}/articles/${article}/comments?${q}`));
          assertSane(await call(ctx, `/api/v1/sites/h/articles/${article}/comments?${q}`));
          assertSane(
            await call(
              ctx,
              `/api/v1/sites/${site}/counts?articleId=${article}&articleId=${encodeURIComponent(cursor)}`,
            ),
          );
          assertSane(await call(ctx, `/api/v1/sites/h/counts?articleId=${article}`));
        },
      ),
      { numRuns: RUNS },
    );
    // A reply to an existing comment with every kind of junk around it.
    assertSane(await submit(ctx, 'h', { articleId: 'base', parentId: `${parentId}\u0000` }));
  });
});

describe('hostile input on the sign-in forms', () => {
  const sessions = async () =>
    Number(
      (
        await ctx.container.database.db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const anyValue = fc.oneof(nastyString, fc.jsonValue({ maxDepth: 3 }));
  let clients = 0;
  /** A new client address for each run (see the context's TRUST_PROXY). */
  const newClient = () => {
    clients += 1;
    return { 'x-forwarded-for': `10.1.${clients >> 8}.${clients & 255}` };
  };

  it('the JSON sign-in never answers 5xx and opens no session for junk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.record({ email: anyValue, password: anyValue }), fc.jsonValue({ maxDepth: 4 })),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (body, type) => {
          const before = await sessions();
          const res = await call(ctx, '/api/v1/auth/login', {
            method: 'POST',
            headers: { 'content-type': type, ...newClient() },
            body: JSON.stringify(body),
          });
          assertSane(res);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(await sessions()).toBe(before);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the dashboard sign-in form never answers 5xx and opens no session for junk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('email', 'password', 'next', 'csrf', 'x'),
          nastyString.map((s) => s.replace(/[\ud800-\udfff]/g, '?')),
        ),
        async (fields) => {
          const before = await sessions();
          const res = await call(ctx, 'http://localhost/dashboard/login', {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              origin: 'http://localhost',
              ...newClient(),
            },
            body: new URLSearchParams(fields).toString(),
          });
          expect(res.status, res.text.slice(0, 200)).toBeLessThan(500);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.text).not.toContain('<script>alert');
          expect(await sessions()).toBe(before);
        },
      ),
      { numRuns: 60 },
    );
  });
});
