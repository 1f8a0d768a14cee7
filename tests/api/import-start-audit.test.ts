// An import is audited when it starts (who, which site, which format), not only when it ends: an
// upload queued for a worker that never gets to it, or a CLI import that dies, still left a trace.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { call, createSite } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

const FIXTURES = path.resolve('tests/fixtures/imports');

let ctx: TestContext;
let admin: Record<string, string>;
let adminId: string;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'imp-start');
  await createSite(ctx, 'imp-cli');
  const user = await createUser(ctx, 'imp-admin@example.com', 'admin');
  adminId = user.id;
  admin = bearer(await tokenFor(ctx, user));
});
afterAll(() => ctx.close());

const started = async (site: string) =>
  (await api(ctx, 'GET', `/api/v1/admin/audit-log?action=import.start&siteId=${site}`, admin)).body.entries;

describe('the audit log of imports', () => {
  it('has the start of an upload as soon as it is queued, before any worker has run it', async () => {
    // This context starts no workers: the job stays queued.
    const res = await call(ctx, '/api/v1/admin/sites/imp-start/imports?format=disqus&dryRun=true', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...admin },
      body: await readFile(path.join(FIXTURES, 'disqus.xml')),
    });
    expect(res.status).toBe(202);
    expect(await started('imp-start')).toEqual([
      expect.objectContaining({
        actorType: 'user',
        actorId: adminId,
        siteId: 'imp-start',
        targetType: 'import',
        targetId: res.body.job.id,
        details: expect.objectContaining({ format: 'disqus', dryRun: true }),
      }),
    ]);
  });

  it('has the start of a CLI import next to its end', async () => {
    const done = await runCli(
      ['import', '--site', 'imp-cli', '--format', 'disqus', '--json', path.join(FIXTURES, 'disqus.xml')],
      ctx.container,
      { out: () => {}, err: () => {} },
    );
    expect(done).toBe(0);
    const entries = (await api(ctx, 'GET', '/api/v1/admin/audit-log?siteId=imp-cli', admin)).body.entries;
    const actions = entries.map((e: { action: string }) => e.action);
    // Newest first: the end, then the start.
    expect(actions.filter((a: string) => a.startsWith('import.'))).toEqual(['import.complete', 'import.start']);
    expect(entries.find((e: { action: string }) => e.action === 'import.start')).toMatchObject({
      actorType: 'cli',
      details: { format: 'disqus', dryRun: false },
    });
  });
});
