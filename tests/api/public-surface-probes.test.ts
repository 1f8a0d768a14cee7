// Probes of the public surface as an outside tester runs them: the reader pages through an HTML validator,
// OPTIONS on every kind of public path, invisible names and bodies, bytes that are not UTF-8, bidi controls
// in what readers wrote, and the titles of the pages a subscription link answers with.
import { Validator } from '@seriousme/openapi-schema-validator';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manageUrl } from '../../src/readers/manage-token.ts';
import { ensureDemoSite } from '../../src/runtime/bootstrap.ts';
import { emailHash } from '../../src/shared/identity.ts';
import { approve, call, expectProblem, postForm, submit, tableCounts } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

const ORIGIN = 'http://localhost:3000';
let ctx: TestContext;
let published: string;
beforeAll(async () => {
  ctx = await createTestContext({ DEMO: 'true' });
  await ensureDemoSite(ctx.container, 3000);
  const res = await submit(ctx, 'demo', {
    articleId: 'pk-kz-action-plan',
    name: 'Zara <b>\u202Eevil',
    email: 'zara@example.com',
    body: 'Hi <script>alert(1)</script>\u202E reversed\nsecond line https://example.com/x?a=1&b=2',
  });
  published = res.body.id;
  await approve(ctx, published);
});
afterAll(() => ctx?.close());

// The validator's recommended rules, less those about markup style (lower-case doctype, `<meta/>`,
// `required=""`, the avatar's inline colour, a long headline as title): errors, not taste.
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    'doctype-style': 'off',
    'void-style': 'off',
    'attribute-boolean-style': 'off',
    'no-inline-style': 'off',
    'long-title': 'off',
  },
});

async function expectValidHtml(path: string, init: RequestInit = {}) {
  const res = await ctx.app.request(`${ORIGIN}${path}`, {
    ...init,
    headers: { accept: 'text/html', ...(init.headers as Record<string, string>) },
  });
  expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
  const html = await res.text();
  const report = await validator.validateString(html);
  const messages = report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`));
  expect(messages, `${path}\n${html.slice(0, 300)}`).toEqual([]);
  return { status: res.status, html };
}

describe('/openapi.json through a second validator', () => {
  it('is a valid OpenAPI 3.1 document for @seriousme/openapi-schema-validator (the JSON schema of the spec)', async () => {
    const doc = (await (await ctx.app.request('/openapi.json')).json()) as Record<string, unknown>;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('reader pages through html-validate', () => {
  it('the demo article, its reply and report forms, notices, problem pages, docs and mail pages', async () => {
    const manage = manageUrl(ORIGIN, ctx.container.secretKey, {
      siteId: 'demo',
      emailHash: emailHash(ctx.container.secretKey, 'zara@example.com'),
    });
    const pages = [
      '/',
      `/?replyTo=${published}`,
      `/?report=${published}`,
      '/?status=pending',
      '/?reported=1',
      '/problems',
      '/problems/not_found',
      '/docs',
      '/mail/confirm?token=x',
      '/mail/unsubscribe?token=x',
      '/mail/manage?site=demo',
      '/mail/manage/comments?token=forged',
      new URL(manage).pathname + new URL(manage).search,
    ];
    for (const path of pages) await expectValidHtml(path);
    const listed = await expectValidHtml(new URL(manage).pathname + new URL(manage).search);
    expect(listed.html).not.toContain('zara@example.com');
  });

  it('the pages a form post answers with: errors, thanks and refusals', async () => {
    const form = (path: string, body: Record<string, string>) =>
      expectValidHtml(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: new URLSearchParams(body).toString(),
      });
    expect((await form('/api/v1/sites/demo/comments', { articleId: 'pk-kz-action-plan', name: '' })).status).toBe(400);
    expect((await form(`/api/v1/sites/demo/comments/${published}/reports`, { reason: 'illegal' })).status).toBe(400);
    expect((await form('/mail/confirm?token=x', {})).status).toBe(400);
    expect((await form('/mail/unsubscribe?token=x', {})).status).toBe(400);
  });
});

describe('OPTIONS on public paths that are not CORS preflights', () => {
  it('answers 204 with Allow wherever a GET or POST is served', async () => {
    for (const [path, allow] of [
      ['/', 'GET, HEAD, OPTIONS'],
      ['/api/v1/sites/demo/comments', 'POST, OPTIONS'],
      ['/api/v1/sites/demo/counts', 'GET, HEAD, OPTIONS'],
      [`/api/v1/sites/demo/comments/${published}/reports`, 'POST, OPTIONS'],
      ['/mail/manage/delete-all', 'POST, OPTIONS'],
    ] as const) {
      const res = await ctx.app.request(path, { method: 'OPTIONS' });
      expect(res.status, path).toBe(204);
      expect(res.headers.get('allow')?.split(', ').sort(), path).toEqual(allow.split(', ').sort());
    }
  });
});

describe('what a reader wrote, shown on the public page', () => {
  it('keeps a right-to-left override inside the name and the body (bidi isolates), escaped', async () => {
    const { html } = await expectValidHtml('/');
    expect(html).toContain('<strong class="author"><bdi>Zara &lt;b&gt;\u202Eevil</bdi></strong>');
    expect(html).toContain('Reply to <bdi>Zara &lt;b&gt;\u202Eevil</bdi>');
    expect(html).toMatch(/<div class="body" dir="auto"><p>Hi &lt;script&gt;/);
    expect(html).not.toContain('<script>alert');
  });
});

describe('names and bodies nobody could see', () => {
  it.each([
    ['name', { name: '\u200B\u200B' }],
    ['name', { name: '\u202E\u2066\u00AD' }],
    ['name', { name: '\u3164' }],
    ['body', { body: '\u200B\n\u2060\uFEFF' }],
  ])('a %s of only invisible characters is refused with 400, storing nothing', async (field, fields) => {
    const before = await tableCounts(ctx);
    const res = await submit(ctx, 'demo', { articleId: 'pk-kz-action-plan', ...fields });
    expect(expectProblem(res, 400).errors).toEqual([{ path: field, message: 'is required' }]);
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('an invisible character inside a visible name is kept as it is', async () => {
    const res = await submit(ctx, 'demo', { articleId: 'pk-kz-action-plan', name: 'An\u200Bna' });
    expect(res.status).toBe(201);
    expect(res.body.comment.name).toBe('An\u200Bna');
  });
});

describe('bytes that are not UTF-8', () => {
  it('a JSON body with invalid UTF-8 is refused with 400, never stored with U+FFFD', async () => {
    const before = await tableCounts(ctx);
    const body = Buffer.concat([
      Buffer.from('{"articleId":"pk-kz-action-plan","name":"Ann","email":"ann@example.com","body":"caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('"}'),
    ]);
    const res = await call(ctx, '/api/v1/sites/demo/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
      body,
    });
    expect(expectProblem(res, 400).detail).toBe('The body is not valid UTF-8.');
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('a leading byte order mark is still read', async () => {
    const res = await call(ctx, '/api/v1/sites/demo/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `\uFEFF${JSON.stringify({ articleId: 'pk-kz-action-plan', name: 'Bom', email: 'bom@example.com', body: 'With a BOM' })}`,
    });
    expect(res.status).toBe(201);
  });
});

describe('the pages a subscription link answers with', () => {
  it('a bad confirm or unsubscribe link says what failed, not that a comment was not posted', async () => {
    const post = (path: string) => postForm(ctx, path, {}, { accept: 'text/html' });
    const confirm = await post('/mail/confirm?token=forged');
    expect(confirm.status).toBe(400);
    expect(confirm.text).toContain('<title>Your subscription was not confirmed</title>');
    const off = await post('/mail/unsubscribe?token=forged');
    expect(off.status).toBe(400);
    expect(off.text).toContain('<title>You were not unsubscribed</title>');
    for (const page of [confirm.text, off.text]) expect(page).not.toContain('comment was not posted');
  });
});

describe('"Manage my comments" posts with odd bodies', () => {
  const post = (path: string, body: string | FormData, type?: string) =>
    call(ctx, path, {
      method: 'POST',
      headers: { origin: ORIGIN, ...(type ? { 'content-type': type } : {}) },
      body,
    });
  it('a site or token that is not a string is a 400 naming the field, never a 500', async () => {
    for (const site of ['{"toString":1}', '["demo"]', '{"valueOf":null}', '123'])
      expect(
        expectProblem(await post('/mail/manage', `{"site":${site},"email":"a@example.com"}`, 'application/json'), 400)
          .errors,
      ).toEqual([{ path: 'site', message: 'must be a string' }]);
    for (const path of ['/mail/manage/delete', '/mail/manage/delete-all'])
      expectProblem(await post(path, '{"token":{"toString":1},"comment":"x"}', 'application/json'), 400);
  });

  it('broken JSON and bodies that are not objects are 400, other media types 415', async () => {
    for (const body of ['{', '[1,2]', 'null', '"demo"'])
      expect(expectProblem(await post('/mail/manage', body, 'application/json'), 400).errors?.[0]?.path).toBe('(body)');
    expectProblem(await post('/mail/manage', 'site=demo', 'text/plain'), 415);
    expectProblem(await post('/mail/manage/delete-all', 'token=x'), 415);
  });

  it('the form and JSON posts still work', async () => {
    expect(
      (await post('/mail/manage', 'site=demo&email=zara%40example.com', 'application/x-www-form-urlencoded')).status,
    ).toBe(202);
    expect((await post('/mail/manage', '{"site":"demo","email":"zara@example.com"}', 'application/json')).status).toBe(
      202,
    );
  });
});

describe('problem type pages', () => {
  it("names of Object's own properties are no problem types: 404", async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await call(ctx, `/problems/${name}`);
      expect(res.status, name).toBe(404);
    }
    expect((await call(ctx, '/problems/not_found')).status).toBe(200);
  });
});

describe('the widget scripts and If-None-Match', () => {
  it('`*` matches the current script: 304', async () => {
    for (const path of ['/embed.js', '/count.js']) {
      const res = await ctx.app.request(path, { headers: { 'if-none-match': '*' } });
      expect(res.status, path).toBe(304);
      expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{12}"$/);
    }
  });
});

describe('malformed percent-encoding in public URLs', () => {
  it.each([
    '/api/v1/sites/demo/counts?articleId=%ED%A0%80',
    '/api/v1/sites/demo/counts?articleId=%FF',
    '/api/v1/sites/demo/counts?articleId=a%',
    '/api/v1/sites/demo/articles/%FF/comments',
    '/api/v1/sites/demo/articles/pk-kz-action-plan/comments?cursor=%ED%A0%80',
  ])('GET %s is a 400, not an answer about the literal text', async (path) => {
    const problem = expectProblem(await call(ctx, path), 400);
    expect(problem.errors).toEqual([{ path: '(url)', message: 'is not valid percent-encoded UTF-8' }]);
  });

  it('a comment posted to such a URL is refused and nothing is stored', async () => {
    const before = await tableCounts(ctx);
    const res = await call(ctx, '/api/v1/sites/demo/comments?ref=%E0%A4', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ articleId: 'pk-kz-action-plan', name: 'Enc', email: 'enc@example.com', body: 'Encoded' }),
    });
    expectProblem(res, 400);
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('well-encoded ids still work: %25FF is the article "%FF", %C3%A9 is é', async () => {
    const res = await call(ctx, '/api/v1/sites/demo/counts?articleId=%25FF&articleId=caf%C3%A9&articleId=a+b');
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ '%FF': 0, café: 0, 'a b': 0 });
  });
});

describe('the thread ETag and If-None-Match', () => {
  it('matches with weak comparison: the tag with or without W/', async () => {
    const path = '/api/v1/sites/demo/articles/pk-kz-action-plan/comments';
    const etag = (await ctx.app.request(path)).headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    for (const tag of [etag, etag.slice(2), `"other", ${etag.slice(2)}`])
      expect((await ctx.app.request(path, { headers: { 'if-none-match': tag } })).status, tag).toBe(304);
    expect((await ctx.app.request(path, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });
});

describe('the no-JavaScript form at the longest comment', () => {
  it.each([
    ['Chinese', '\u8bc4'],
    ['emoji', '\u{1F600}'],
  ])('a 10,000-character comment in %s is taken from the form (percent-encoded far past 64 KiB)', async (_, ch) => {
    const body = ch.repeat(10_000);
    const form = new URLSearchParams({
      articleId: 'pk-kz-action-plan',
      name: ch.repeat(100),
      email: `long-${ch.codePointAt(0)}@example.com`,
      body,
    }).toString();
    expect(form.length).toBeGreaterThan(64 * 1024);
    const res = await call(ctx, '/api/v1/sites/demo/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: form,
    });
    expect(res.status, res.text.slice(0, 300)).toBe(201);
    const stored = await ctx.container.database.db
      .selectFrom('comments')
      .select('body')
      .where('body', '=', body)
      .executeTakeFirst();
    expect(stored?.body).toBe(body);
  });

  it('a form past 160 KiB is still refused with 413, storing nothing; JSON keeps its 64 KiB', async () => {
    const before = await tableCounts(ctx);
    const post = (type: string, size: number) =>
      call(ctx, '/api/v1/sites/demo/comments', {
        method: 'POST',
        headers: { 'content-type': type },
        body: `body=${'x'.repeat(size)}`,
      });
    expect(expectProblem(await post('application/x-www-form-urlencoded', 160 * 1024), 413).detail).toBe(
      'The body must be at most 160 KiB.',
    );
    expect(expectProblem(await post('application/json', 64 * 1024), 413).detail).toBe(
      'The body must be at most 64 KiB.',
    );
    expect(await tableCounts(ctx)).toEqual(before);
  });
});

describe('form posts a browser sends that cannot be read', () => {
  it('a comment or report form over its size is a 413 page, not JSON', async () => {
    const big = `body=${'x'.repeat(170 * 1024)}`;
    for (const [path, title] of [
      ['/api/v1/sites/demo/comments', 'Your comment was not posted'],
      [`/api/v1/sites/demo/comments/${published}/reports`, 'Your report was not sent'],
    ] as const) {
      const { status, html } = await expectValidHtml(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: big,
      });
      expect(status, path).toBe(413);
      expect(html).toContain(`<title>${title}</title>`);
      expect(html).toContain('The body must be at most 160 KiB.');
    }
  });

  it('a report form on an article without a URL answers a whole, valid page', async () => {
    const { status, html } = await expectValidHtml(`/api/v1/sites/demo/comments/${published}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ reason: 'spam', reporterToken: 'form-reporter-token-0001' }).toString(),
    });
    expect(status).toBe(202);
    expect(html).toContain('Thank you for your report.');
  });
});
