// Two admins editing one site's settings: each save names the version it was made from (If-Match or
// expectedVersion in the API, a hidden field in the dashboard form); a save made from a version someone
// else has replaced answers 409 problem+json (a clear message in the dashboard) and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, dashboardGet, dashboardPost, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let alice: Record<string, string>;
let bob: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  alice = bearer(await tokenFor(ctx, await createUser(ctx, 'alice-admin@example.com', 'admin')));
  bob = bearer(await tokenFor(ctx, await createUser(ctx, 'bob-admin@example.com', 'admin')));
});
afterAll(() => ctx.close());

const sitePath = (id: string) => `/api/v1/admin/sites/${id}`;
const updates = async (id: string) =>
  (await ctx.container.admin.auditLog({ siteId: id, limit: 100 })).entries.filter((e) => e.action === 'site.update');

describe('the admin API', () => {
  it('answers 409 to a save made from a replaced version (If-Match or expectedVersion), writing nothing', async () => {
    await createSite(ctx, 'occ-api', { linkLimit: 2 });
    const seenByAlice = await api(ctx, 'GET', sitePath('occ-api'), alice);
    const seenByBob = await api(ctx, 'GET', sitePath('occ-api'), bob);
    const version = seenByAlice.body.site.version as number;
    expect(seenByBob.body.site.version).toBe(version);
    expect(seenByAlice.headers.get('etag')).toBe(`"${version}"`);

    const saved = await api(
      ctx,
      'PATCH',
      sitePath('occ-api'),
      { ...alice, 'if-match': `"${version}"` },
      {
        settings: { linkLimit: 5 },
      },
    );
    expect(saved.status).toBe(200);
    expect(saved.body.site.version).toBe(version + 1);
    expect(saved.headers.get('etag')).toBe(`"${version + 1}"`);

    const stale = await api(
      ctx,
      'PATCH',
      sitePath('occ-api'),
      { ...bob, 'if-match': `"${version}"` },
      {
        settings: { linkLimit: 9, holdWords: ['bob'] },
      },
    );
    const problem = expectProblem(stale, 409);
    expect(problem.code).toBe('site_changed');
    expect(problem.detail).toMatch(/changed/);
    const staleBody = await api(ctx, 'PATCH', sitePath('occ-api'), bob, {
      expectedVersion: version,
      name: 'Bob was here',
    });
    expect(expectProblem(staleBody, 409).code).toBe('site_changed');

    const now = (await api(ctx, 'GET', sitePath('occ-api'), bob)).body.site;
    expect(now).toMatchObject({ name: 'Site occ-api', version: version + 1 });
    expect(now.settings).toMatchObject({ linkLimit: 5, holdWords: [] });
    expect(await updates('occ-api')).toHaveLength(1);

    // Bob reloads and saves over the version he now sees.
    const retried = await api(
      ctx,
      'PATCH',
      sitePath('occ-api'),
      { ...bob, 'if-match': `"${version + 1}"` },
      {
        settings: { holdWords: ['bob'] },
      },
    );
    expect(retried.status).toBe(200);
    expect(retried.body.site.settings).toMatchObject({ linkLimit: 5, holdWords: ['bob'] });
  });

  it('lets exactly one of two saves from the same version through when they arrive at once', async () => {
    await createSite(ctx, 'occ-race');
    const { version } = (await api(ctx, 'GET', sitePath('occ-race'), alice)).body.site;
    const [a, b] = await Promise.all([
      api(ctx, 'PATCH', sitePath('occ-race'), { ...alice, 'if-match': `"${version}"` }, { settings: { linkLimit: 3 } }),
      api(ctx, 'PATCH', sitePath('occ-race'), { ...bob, 'if-match': `"${version}"` }, { settings: { linkLimit: 7 } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 3 : 7;
    const now = (await api(ctx, 'GET', sitePath('occ-race'), alice)).body.site;
    expect(now.settings.linkLimit).toBe(winner);
    expect(now.version).toBe(version + 1);
    expect(await updates('occ-race')).toHaveLength(1);
  });

  it('still merges a save that names no version (scripts, the CLI), and refuses a malformed If-Match', async () => {
    await createSite(ctx, 'occ-free');
    expect((await api(ctx, 'PATCH', sitePath('occ-free'), alice, { settings: { linkLimit: 4 } })).status).toBe(200);
    expect(
      (await api(ctx, 'PATCH', sitePath('occ-free'), bob, { settings: { maxDepth: 3 } })).body.site.settings,
    ).toMatchObject({ linkLimit: 4, maxDepth: 3 });
    const bad = await api(ctx, 'PATCH', sitePath('occ-free'), { ...alice, 'if-match': 'yesterday' }, { name: 'x' });
    expect(expectProblem(bad, 400).errors).toContainEqual(expect.objectContaining({ path: 'header.if-match' }));
    expect((await api(ctx, 'GET', sitePath('occ-free'), alice)).body.site.name).toBe('Site occ-free');
  });
});

describe('the dashboard settings form', () => {
  it('tells the second admin their form is out of date and saves nothing of it', async () => {
    await createSite(ctx, 'occ-dash', { linkLimit: 2 });
    await createUser(ctx, 'carol-admin@example.com', 'admin');
    await createUser(ctx, 'dave-admin@example.com', 'admin');
    const carol = await signIn(ctx, 'carol-admin@example.com');
    const dave = await signIn(ctx, 'dave-admin@example.com');
    const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1];
    const carolPage = await dashboardGet(ctx, '/dashboard/sites/occ-dash', carol);
    const davePage = await dashboardGet(ctx, '/dashboard/sites/occ-dash', dave);
    const seen = versionIn(carolPage.text);
    expect(seen).toBeDefined();
    expect(versionIn(davePage.text)).toBe(seen);

    const form = { name: 'Site occ-dash', moderation: 'first', maxDepth: '5', linkLimit: '2', version: seen! };
    const saved = await dashboardPost(ctx, '/dashboard/sites/occ-dash', carol, { ...form, linkLimit: '6' });
    expect(saved.status).toBe(303);
    const stale = await dashboardPost(ctx, '/dashboard/sites/occ-dash', dave, {
      ...form,
      name: "Dave's name",
      linkLimit: '8',
    });
    expect(stale.status).toBe(409);
    const page = await stale.text();
    expect(page).toContain('Another admin saved the settings of this site while you were editing them');
    expect(page).toContain('Nothing was saved');
    // The form now carries the version saved meanwhile, so a deliberate second save goes through.
    expect(versionIn(page)).toBe(String(Number(seen) + 1));

    const site = await ctx.container.sites.get('occ-dash');
    expect(site.name).toBe('Site occ-dash');
    expect(site.settings.linkLimit).toBe(6);
    expect(await updates('occ-dash')).toHaveLength(1);
  });
});
