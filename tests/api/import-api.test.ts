// Import and export through the admin API (issue 18, items 1 and 2): the upload is stored in the
// database and a job in the queue; a worker process imports it (progress on the job), one import at a
// time per site (409), audited; a bad file fails the job with its line; the export downloads streamed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import type { Container } from '../../src/container.ts';
import { PayloadTooLargeError } from '../../src/shared/errors.ts';
import { createImportJobService } from '../../src/transfer/import-job.service.ts';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { call, createSite, expectProblem } from '../support/http.ts';
import { testDb } from '../support/stores.ts';
import { createOtherProcess, createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const FIXTURES = path.resolve('tests/fixtures/imports');

// The API process (ctx) never starts workers: on PostgreSQL the imports run in another process of
// the deployment (a worker, its own pools, the same queue); embedded PGlite is one process, whose
// workers are started only once the first test has seen the job wait in the queue.
let ctx: TestContext;
let worker: Container | null = null;
let admin: Record<string, string>;
let adminId: string;
let moderator: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'up');
  await createSite(ctx, 'lock');
  const adminUser = await createUser(ctx, 'admin@example.com', 'admin');
  adminId = adminUser.id;
  admin = bearer(await tokenFor(ctx, adminUser));
  moderator = bearer(await tokenFor(ctx, await createUser(ctx, 'mod@example.com', 'moderator', ['up'])));
});
afterAll(async () => {
  await worker?.close();
  await ctx.close();
});

async function startWorker() {
  if (testDb() === 'postgres') {
    worker ??= await createOtherProcess(ctx.config);
    await worker.startWorkers();
  } else {
    await ctx.container.startWorkers();
  }
}

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
      return ['completed', 'failed'].includes(res.body.job.status) ? res.body.job : null;
    },
    20_000,
    'the import job to finish',
  );
}

describe('import and export through the admin API', () => {
  it('stores the upload, queues the job and leaves it to a worker, which imports it with progress and counts', async () => {
    const file = await readFile(path.join(FIXTURES, 'disqus.xml'));
    // Padded past the 64 KiB every other route allows (this route has its own limit) and past one
    // stored chunk (1 MiB), so the worker reads the upload back chunk by chunk.
    const padded = Buffer.concat([file, Buffer.from(`<!--${' '.repeat(1000)}-->\n`.repeat(1600))]);
    const res = await upload('up', 'format=disqus', padded);
    expect(res.status, res.text).toBe(202);
    expect(res.body.job).toMatchObject({ siteId: 'up', format: 'disqus', status: 'queued' });
    // No worker yet: the API process does not import; the job waits in the queue.
    const status = await api(ctx, 'GET', `/api/v1/admin/sites/up/imports/${res.body.job.id}`, admin);
    expect(status.body.job.status).toBe('queued');
    expect((await ctx.container.queue.counts()).imports.waiting).toBe(1);
    expect((await call(ctx, '/api/v1/sites/up/articles/action-plan/comments')).status).toBe(404);

    await startWorker();
    const job = await finished('up', res.body.job.id);
    expect(job.status, job.error).toBe('completed');
    expect(job.report.comments.imported).toBeGreaterThan(0);
    expect(job.progress).toMatchObject({ bytes: padded.byteLength, totalBytes: padded.byteLength });
    expect(job.progress.comments).toBeGreaterThan(0);
    expect(job.progress.rate).toBeGreaterThan(0);
    const thread = await call(ctx, '/api/v1/sites/up/articles/action-plan/comments');
    expect(thread.body.article.commentCount).toBe(4);

    // Audited with its counts, as the admin who uploaded it.
    const audit = await api(ctx, 'GET', '/api/v1/admin/audit-log?action=import.complete', admin);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({
      actorType: 'user',
      actorId: adminId,
      siteId: 'up',
      targetType: 'import',
      targetId: job.id,
      details: { format: 'disqus', comments: { imported: job.report.comments.imported, existing: 0 } },
    });

    const again = await finished('up', (await upload('up', 'format=disqus', padded)).body.job.id);
    expect(again.report.comments).toMatchObject({ imported: 0, existing: job.report.comments.imported });
  });

  it('runs one import at a time per site: a second upload while the first is on its way is refused with 409', async () => {
    const file = await readFile(path.join(FIXTURES, 'disqus.xml'));
    // The first upload's body arrives in two parts; the second part is held back until the test lets it.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let reading!: () => void;
    const started = new Promise<void>((r) => {
      reading = r;
    });
    let part = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          part++;
          if (part === 1) {
            reading();
            controller.enqueue(file.subarray(0, 100));
          } else if (part === 2) {
            await held;
            controller.enqueue(file.subarray(100));
          } else controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const first = ctx.app.request('/api/v1/admin/sites/lock/imports?format=disqus', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...admin },
      body,
      duplex: 'half',
    } as RequestInit);
    await started; // the first upload is being stored: its job exists
    const second = await upload('lock', 'format=disqus', file);
    expectProblem(second, 409);
    expect(second.body.detail).toMatch(/already running/);
    // The CLI's import takes the same lock.
    let err = '';
    const code = await runCli(
      ['import', '--site', 'lock', '--format', 'disqus', path.join(FIXTURES, 'disqus.xml')],
      ctx.container,
      { out: () => {}, err: (s) => (err += s) },
    );
    expect(code).not.toBe(0);
    expect(err).toMatch(/already running/);
    // Another site is not held up.
    const other = await upload('up', 'format=disqus', file);
    expect(other.status).toBe(202);
    await finished('up', other.body.job.id);

    release();
    const res = await first;
    expect(res.status).toBe(202);
    const job = await finished('lock', ((await res.json()) as { job: { id: string } }).job.id);
    expect(job.status).toBe('completed');
    expect(job.report.comments.imported).toBeGreaterThan(0);
    // Once it has ended, the next one is taken.
    const next = await upload('lock', 'format=disqus', file);
    expect(next.status).toBe(202);
    expect((await finished('lock', next.body.job.id)).report.comments.imported).toBe(0);
    // And the CLI's, which is audited as the CLI.
    let out = '';
    const done = await runCli(
      ['import', '--site', 'lock', '--format', 'disqus', '--json', path.join(FIXTURES, 'disqus.xml')],
      ctx.container,
      { out: (s) => (out += s), err: () => {} },
    );
    expect(done).toBe(0);
    expect(JSON.parse(out).comments).toMatchObject({ imported: 0 });
    const audit = await api(ctx, 'GET', '/api/v1/admin/audit-log?action=import.complete&siteId=lock', admin);
    expect(audit.body.entries[0]).toMatchObject({ actorType: 'cli', siteId: 'lock' });
  });

  it('refuses an upload over the limit with 413, keeping nothing of it, and the site free for the next', async () => {
    const c = ctx.container;
    const small = createImportJobService({
      db: c.database.db,
      sites: c.sites,
      imports: c.imports,
      audit: c.audit,
      producer: () => c.queue.producer,
      log: c.log,
      maxUploadBytes: 1000,
    });
    const actor = { type: 'cli' as const, id: 'limit' };
    const big = await small
      .start(actor, 'lock', new Response('x'.repeat(5000)).body, { format: 'jsonl' })
      .catch((e) => e);
    expect(big).toBeInstanceOf(PayloadTooLargeError);
    const file = await readFile(path.join(FIXTURES, 'disqus.xml'));
    const next = await upload('lock', 'format=disqus', file);
    expect(next.status).toBe(202);
    expect((await finished('lock', next.body.job.id)).status).toBe('completed');
  });

  it('fails the job of a bad file with the line, importing nothing', async () => {
    const full = await readFile(path.join(FIXTURES, 'wordpress-1.2.wxr.xml'), 'utf8');
    const res = await upload('up', 'format=wxr', full.slice(0, 6000));
    expect(res.status).toBe(202);
    const job = await finished('up', res.body.job.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/line \d+/);
    const audit = await api(ctx, 'GET', '/api/v1/admin/audit-log?action=import.fail', admin);
    expect(audit.body.entries[0]).toMatchObject({ siteId: 'up', targetId: job.id, details: { format: 'wxr' } });
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
