// A failed import's error is kept with its job (and shown to the site's moderators), so it must not
// quote the file's personal data, and erasing an author takes their name, address and IP out of the
// errors the site's jobs already hold (an older version quoted the line JSON.parse stopped at).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishImportJob, insertImportJob } from '../../src/transfer/import-job.repository.ts';
import { bearer, createUser, tokenFor } from '../support/accounts.ts';
import { call, createSite } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const NAME = 'Quoted Person';
const EMAIL = 'quoted.person@mail-errors.example';
const IP = '203.0.113.177';

let ctx: TestContext;
let admin: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  for (const site of ['errquote', 'errscrub']) await createSite(ctx, site);
  admin = bearer(await tokenFor(ctx, await createUser(ctx, 'errors-admin@example.com', 'admin')));
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx?.close();
});

const db = () => ctx.container.database.db;
const jobOf = (id: string) =>
  db().selectFrom('import_jobs').select(['status', 'error']).where('id', '=', id).executeTakeFirstOrThrow();

describe('import errors and personal data', () => {
  it("a broken line's error names the line, never its content", async () => {
    const backup = [
      '{"version":1,"users":[],"posts":[]}',
      `{"id":"c1","pid":"","text":"<p>fine</p>","user":{"name":"${NAME}","id":"u1","ip":"${IP}"},"locator":{"site":"s","url":"https://news.example/a"},"time":"2024-01-01T00:00:00Z"}`,
      // A line pasted in by hand: JSON.parse's own message quotes its first characters.
      `${EMAIL} ${NAME} ${IP}`,
      '',
    ].join('\n');
    const res = await call(ctx, '/api/v1/admin/sites/errquote/imports?format=remark42', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...admin },
      body: backup,
    });
    expect(res.status, res.text).toBe(202);
    const id: string = res.body.job.id;
    const job = await waitUntil(
      async () => {
        const j = await jobOf(id);
        return j.status === 'failed' || j.status === 'completed' ? j : null;
      },
      20_000,
      'the import to end',
    );
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/not valid JSON.*\(line 3\)/);
    for (const value of [NAME, EMAIL, IP, EMAIL.slice(0, 10)]) expect(job.error).not.toContain(value);
    const shown = await call(ctx, `/api/v1/admin/sites/errquote/imports/${id}`, { headers: admin });
    expect(shown.status).toBe(200);
    expect(JSON.stringify(shown.body)).not.toContain(EMAIL);
  });

  it("erasing an author scrubs their data from the site's stored import errors", async () => {
    const disqus = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="t1"><link>https://news.example/b</link><title>B</title></thread>
  <post dsq:id="p1"><message><![CDATA[Hello]]></message><createdAt>2024-01-01T00:00:00Z</createdAt>
    <author><email>${EMAIL}</email><name>${NAME}</name></author><ipAddress>${IP}</ipAddress>
    <thread dsq:id="t1"/></post>
</disqus>`;
    const report = await ctx.container.imports.run('errscrub', 'disqus', Buffer.from(disqus));
    expect(report.comments.imported).toBe(1);
    // A job that failed under an older version, its error quoting the line it stopped at.
    const id = '0190a0a0-0000-7000-8000-00000000e001';
    await insertImportJob(db(), {
      id,
      siteId: 'errscrub',
      format: 'remark42',
      createdBy: 'cli:test',
      options: {},
      staleMs: 600_000,
      status: 'running',
    });
    const quoted = `This line is not valid JSON (Unexpected token 'o', "{"user":{"name":"${NAME}","id":"${EMAIL}","ip":"${IP}"} o"... is not valid JSON) (line 3)`;
    await finishImportJob(db(), id, { status: 'failed', report: null, error: quoted, progress: {} });
    const other = '0190a0a0-0000-7000-8000-00000000e002';
    await insertImportJob(db(), {
      id: other,
      siteId: 'errscrub',
      format: 'wxr',
      createdBy: 'cli:test',
      options: {},
      staleMs: 600_000,
      status: 'running',
    });
    const unrelated = 'The XML ends before it is complete: is the file truncated? (line 9)';
    await finishImportJob(db(), other, { status: 'failed', report: null, error: unrelated, progress: {} });

    expect(await ctx.container.erasure.eraseAuthor({ type: 'cli', id: 'test' }, 'errscrub', EMAIL)).toBe(1);
    const { error } = await jobOf(id);
    for (const value of [NAME, EMAIL, IP]) expect(error).not.toContain(value);
    expect(error).toContain('[erased]');
    expect(error).toMatch(/\(line 3\)$/);
    expect((await jobOf(other)).error).toBe(unrelated);
  });
});
