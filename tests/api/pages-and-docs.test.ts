import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoSite } from '../../src/runtime/bootstrap.ts';
import { approve, call, postForm } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await ensureDemoSite(ctx.container, 3000);
});
afterAll(() => ctx.close());

describe('demo article at /', () => {
  it('shows the article and a form that works without JavaScript', async () => {
    const res = await call(ctx, 'http://localhost:3000/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Pakistan, Kazakhstan ink');
    expect(res.text).toContain('Leave a reply');
    expect(res.text).toContain('action="/api/v1/sites/demo/comments"');
    expect(res.text).toMatch(/name="website"/);
    // The widget takes over the same section; the server-rendered form inside it is the no-JavaScript fallback.
    expect(res.text).toMatch(/<section id="comments"[^>]* data-site="demo" data-article="pk-kz-action-plan"/);
    expect(res.text.match(/<script[^>]*>/g)).toEqual(['<script src="/embed.js" async="">']);
  });

  it('posts from the page, returns to it with the pending notice, then shows the approved comment and a reply form', async () => {
    const page = await call(ctx, 'http://localhost:3000/');
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page.text)?.[1] ?? '';
    const posted = await postForm(
      ctx,
      'http://localhost:3000/api/v1/sites/demo/comments',
      {
        articleId: field('articleId'),
        articleUrl: field('articleUrl'),
        renderedAt: field('renderedAt'),
        name: 'Zara <b>',
        email: 'zara@example.com',
        body: 'First! <script>alert(1)</script>',
      },
      { origin: 'http://localhost:3000', accept: 'text/html' },
    );
    expect(posted.status, posted.text).toBe(303);
    const back = posted.headers.get('location')!;
    expect(back).toMatch(/^http:\/\/localhost:3000\/\?comment=.+&status=pending#respond$/);
    const notice = await call(ctx, back);
    expect(notice.text).toContain('Your comment is awaiting moderation');

    const id = new URL(back).searchParams.get('comment')!;
    await approve(ctx, id);
    const after = await call(ctx, 'http://localhost:3000/');
    expect(after.text).toContain('1 comment');
    expect(after.text).toContain('First! &lt;script&gt;');
    expect(after.text).toContain('Zara &lt;b&gt;');
    expect(after.text).not.toContain('<script>alert');
    const reply = await call(ctx, `http://localhost:3000/?replyTo=${id}`);
    expect(reply.text).toContain(`name="parentId" value="${id}"`);
  });

  it("accepts posts from the service's own origin even when reached by another host name", async () => {
    const res = await postForm(
      ctx,
      'http://comments.internal:3000/api/v1/sites/demo/comments',
      {
        articleId: 'pk-kz-action-plan',
        articleUrl: 'http://comments.internal:3000/',
        name: 'Host',
        email: 'h@example.com',
        body: 'via another host',
      },
      { origin: 'http://comments.internal:3000' },
    );
    expect(res.status).toBe(303);
    // Back to the page by path alone: a Host-derived origin is never put into a redirect (issue 11).
    expect(res.headers.get('location')).toMatch(/^\/\?comment=/);
  });
});

describe('API description', () => {
  it('serves OpenAPI 3.1 with every public path', async () => {
    const res = await call(ctx, '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/sites/{siteId}/comments',
        '/api/v1/sites/{siteId}/articles/{articleId}/comments',
        '/api/v1/sites/{siteId}/counts',
      ]),
    );
    expect(res.body.paths['/api/v1/sites/{siteId}/comments'].post.requestBody.content).toHaveProperty(
      'application/x-www-form-urlencoded',
    );
  });

  it('serves browsable docs with their assets from our own origin', async () => {
    const page = await call(ctx, '/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/docs/swagger-ui-bundle.js');
    const asset = await ctx.app.request('/docs/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(100_000);
  });
});
