// Import and export through the admin API (issue 18, items 1 and 2): upload then a job with progress,
// a bad file fails the job with its line, the export downloads streamed; admins only.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { call, createSite, expectProblem } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const FIXTURES = path.resolve('tests/fixtures/imports');

let ctx: TestContext;
let admin: Record<string, string>;
let moderator: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'up');
  admin = bearer(await tokenFor(ctx, await createUser(ctx, 'admin@example.com', 'admin')));
  moderator = bearer(await tokenFor(ctx, await createUser(ctx, 'mod@example.com', 'moderator', ['up'])));
});
afterAll(() => ctx.close());

function upload(site: string, query: string, body: Uint8Array | string, headers = admin) {
  return call(ctx, `/api/v1/admin/sites/${site}/imports?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...headers },
    body,
  });
}

async function finished(site: string, id: string) {
  return waitUntil(
    async () => {
      const res = await api(ctx, 'GET', `/api/v1/admin/sites/${site}/imports/${id}`, admin);
      expect(res.status).toBe(200);
      return res.body.job.status === 'running' ? null : res.body.job;
    },
    20_000,
    'the import job to finish',
  );
}

describe('import and export through the admin API', () => {
  it('uploads a file larger than the API body limit, runs the job and reports its progress and counts', async () => {
    const file = await readFile(path.join(FIXTURES, 'disqus.xml'));
    // Padded past the 64 KiB every other route allows: this route has its own limit.
    const padded = Buffer.concat([file, Buffer.from(`\n<!--${' '.repeat(100 * 1024)}-->\n`)]);
    const res = await upload('up', 'format=disqus', padded);
    expect(res.status, res.text).toBe(202);
    expect(res.body.job).toMatchObject({ siteId: 'up', format: 'disqus', status: 'running' });
    const job = await finished('up', res.body.job.id);
    expect(job.status).toBe('completed');
    expect(job.report.comments.imported).toBeGreaterThan(0);
    expect(job.progress.comments).toBeGreaterThan(0);
    expect(job.progress.bytes).toBe(padded.byteLength);
    const thread = await call(ctx, '/api/v1/sites/up/articles/action-plan/comments');
    expect(thread.body.article.commentCount).toBe(4);

    const again = await finished('up', (await upload('up', 'format=disqus', padded)).body.job.id);
    expect(again.report.comments).toMatchObject({ imported: 0, existing: job.report.comments.imported });
  });

  it('fails the job of a bad file with the line, importing nothing', async () => {
    const full = await readFile(path.join(FIXTURES, 'wordpress-1.2.wxr.xml'), 'utf8');
    const res = await upload('up', 'format=wxr', full.slice(0, 6000));
    expect(res.status).toBe(202);
    const job = await finished('up', res.body.job.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/line \d+/);
    const article = await call(
      ctx,
      `/api/v1/sites/up/articles/${encodeURIComponent('/2024/01/action-plan/')}/comments`,
    );
    expect(article.status).toBe(404);
  });

  it('refuses bad requests with problem+json before anything runs', async () => {
    expectProblem(await upload('up', 'format=blogger', 'x'), 400);
    expectProblem(await upload('up', 'format=wxr', ''), 400);
    expectProblem(await upload('nope', 'format=wxr', 'x'), 404);
    expectProblem(await upload('up', `format=wxr&remap=${encodeURIComponent('no arrow here')}`, 'x'), 400);
    expectProblem(await upload('up', 'format=wxr', 'x', moderator), 403);
    expectProblem(await upload('up', 'format=wxr', 'x', {}), 401);
    expectProblem(await api(ctx, 'GET', '/api/v1/admin/sites/up/imports/not-a-job', admin), 404);
  });

  it('downloads the export, streamed, for admins only', async () => {
    const res = await ctx.app.request('/api/v1/admin/sites/up/export', { headers: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    expect(res.headers.get('content-disposition')).toContain('up-comments.jsonl');
    const lines = (await res.text()).trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'comments-export', site: { id: 'up' } });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'end' });
    const wxr = await ctx.app.request('/api/v1/admin/sites/up/export?format=wxr&articleId=action-plan', {
      headers: admin,
    });
    expect(wxr.status).toBe(200);
    expect(await wxr.text()).toContain('<wp:comment>');
    expectProblem(await api(ctx, 'GET', '/api/v1/admin/sites/up/export', moderator), 403);
    expectProblem(await api(ctx, 'GET', '/api/v1/admin/sites/up/export?articleId=missing', admin), 404);
  });

  it('describes the routes in OpenAPI', async () => {
    const doc = (await call(ctx, '/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/admin/sites/{siteId}/imports',
        '/api/v1/admin/sites/{siteId}/imports/{jobId}',
        '/api/v1/admin/sites/{siteId}/export',
      ]),
    );
  });
});
