// The stored upload of an import holds every commenter's address and IP, so it never outlives its
// import: it is deleted when the import completes and when it fails, an import whose process died
// loses it when the next import of the site starts, and maintenance purges a stale one on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertImportJob, insertUploadChunk } from '../../src/transfer/import-job.repository.ts';
import { bearer, createUser, tokenFor } from '../support/accounts.ts';
import { call, createSite } from '../support/http.ts';
import { runJob } from '../support/queue-jobs.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const EMAIL = 'upload.secret@mail-upload.example';
const IP = '203.0.113.211';
const DISQUS = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="t1"><link>https://news.example/a</link><title>A</title></thread>
  <post dsq:id="p1"><message><![CDATA[Hello there]]></message><createdAt>2024-01-01T00:00:00Z</createdAt>
    <author><email>${EMAIL}</email><name>Upload Person</name></author><ipAddress>${IP}</ipAddress>
    <thread dsq:id="t1"/></post>
</disqus>`;

let ctx: TestContext;
let admin: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  for (const site of ['upok', 'upbad', 'upstale', 'upnext']) await createSite(ctx, site);
  admin = bearer(await tokenFor(ctx, await createUser(ctx, 'upload-admin@example.com', 'admin')));
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx?.close();
});

const db = () => ctx.container.database.db;
const chunksOf = async (jobId: string) =>
  (await db().selectFrom('import_upload_chunks').select('seq').where('job_id', '=', jobId).execute()).length;
const statusOf = async (jobId: string) =>
  (await db().selectFrom('import_jobs').select('status').where('id', '=', jobId).executeTakeFirstOrThrow()).status;

async function uploadAndFinish(site: string, body: string) {
  const res = await call(ctx, `/api/v1/admin/sites/${site}/imports?format=disqus`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...admin },
    body,
  });
  expect(res.status, res.text).toBe(202);
  const id: string = res.body.job.id;
  const status = await waitUntil(
    async () => {
      const s = await statusOf(id);
      return s === 'completed' || s === 'failed' ? s : null;
    },
    20_000,
    'the import to end',
  );
  return { id, status };
}

/** An import whose process died mid-upload: a stored chunk, and no sign of life for an hour. */
async function abandonedUpload(site: string, id: string): Promise<void> {
  const job = await insertImportJob(db(), {
    id,
    siteId: site,
    format: 'disqus',
    createdBy: 'cli:test',
    options: {},
    staleMs: 600_000,
    status: 'uploading',
  });
  expect(job).toBeDefined();
  await insertUploadChunk(db(), id, 0, Buffer.from(DISQUS));
  await db()
    .updateTable('import_jobs')
    .set({ updated_at: new Date(Date.now() - 3_600_000) })
    .where('id', '=', id)
    .execute();
  expect(await chunksOf(id)).toBe(1);
}

describe('stored import uploads', () => {
  it('are deleted when the import completes', async () => {
    const job = await uploadAndFinish('upok', DISQUS);
    expect(job.status).toBe('completed');
    expect(await chunksOf(job.id)).toBe(0);
  });

  it('are deleted when the import fails', async () => {
    const job = await uploadAndFinish('upbad', DISQUS.slice(0, DISQUS.indexOf('</post>')));
    expect(job.status).toBe('failed');
    expect(await chunksOf(job.id)).toBe(0);
  });

  it('are deleted with an abandoned import when the next import of the site starts', async () => {
    const stale = '0190a0a0-0000-7000-8000-00000000a001';
    await abandonedUpload('upnext', stale);
    const next = await uploadAndFinish('upnext', DISQUS);
    expect(next.status).toBe('completed');
    expect(await statusOf(stale)).toBe('failed');
    expect(await chunksOf(stale)).toBe(0);
  });

  it('are purged by maintenance once the import is stale, with the job failed', async () => {
    const stale = '0190a0a0-0000-7000-8000-00000000a002';
    await abandonedUpload('upstale', stale);
    await runJob(ctx, 'maintenance', 'purge-uploads');
    expect(await statusOf(stale)).toBe('failed');
    expect(await chunksOf(stale)).toBe(0);
    const all = await db().selectFrom('import_upload_chunks').select('job_id').execute();
    expect(all).toEqual([]);
  });
});
