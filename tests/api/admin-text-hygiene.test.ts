// Every text field of the signed-in surfaces gets the comment fields' rules: NUL, lone surrogates and control
// characters are refused with 400 problem+json naming the field, and nothing changes (the stores never see them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, dashboardPost, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let auth: Record<string, string>;
let userId: string;
let endpointId: string;
beforeAll(async () => {
  ctx = await createTestContext();
  const admin = await createUser(ctx, 'hyg-admin@example.com', 'admin');
  auth = bearer(await tokenFor(ctx, admin));
  await createSite(ctx, 'hyg');
  userId = (await createUser(ctx, 'hyg-mod@example.com', 'moderator', ['hyg'])).id;
  const hook = await api(ctx, 'POST', '/api/v1/admin/sites/hyg/webhooks', auth, { url: 'https://hooks.example/in' });
  expect(hook.status).toBe(201);
  endpointId = hook.body.endpoint?.id ?? hook.body.id;
});
afterAll(() => ctx.close());

const BAD = { nul: 'a\u0000b', 'lone surrogate': 'a\uD800b', 'control character': 'a\u0007b' };

/** What the admin surface shows; unchanged after a refused request. */
async function snapshot() {
  const get = async (path: string) => {
    const res = await api(ctx, 'GET', path, auth);
    expect(res.status, path).toBe(200);
    return res.body;
  };
  return {
    sites: await get('/api/v1/admin/sites'),
    users: await get('/api/v1/admin/users'),
    hooks: await get('/api/v1/admin/sites/hyg/webhooks'),
    bans: await get('/api/v1/moderation/bans'),
    audit: await get('/api/v1/admin/audit-log'),
  };
}

const ROUTES: [string, string, (bad: string) => unknown, string][] = [
  ['POST', '/api/v1/admin/sites', (bad) => ({ id: 'hyg2', name: bad }), 'name'],
  [
    'POST',
    '/api/v1/admin/sites',
    (bad) => ({ id: 'hyg3', name: 'ok', settings: { holdWords: [bad] } }),
    'settings.holdWords[0]',
  ],
  ['PATCH', '/api/v1/admin/sites/hyg', (bad) => ({ name: bad }), 'name'],
  ['PATCH', '/api/v1/admin/sites/hyg', (bad) => ({ settings: { [`x${bad}`]: 1 } }), 'settings.(key)'],
  [
    'POST',
    '/api/v1/admin/sites/hyg/webhooks',
    (bad) => ({ url: 'https://hooks.example/2', description: bad }),
    'description',
  ],
  ['PATCH', '/api/v1/admin/webhooks/{endpoint}', (bad) => ({ description: bad }), 'description'],
  [
    'POST',
    '/api/v1/admin/users',
    (bad) => ({ email: `x${bad}@example.com`, role: 'moderator', password: 'long enough password' }),
    'email',
  ],
  ['PATCH', '/api/v1/admin/users/{user}', (bad) => ({ siteIds: [bad] }), 'siteIds[0]'],
  ['POST', '/api/v1/admin/users/{user}/tokens', (bad) => ({ name: bad }), 'name'],
  [
    'POST',
    '/api/v1/moderation/bans',
    (bad) => ({ siteId: 'hyg', kind: 'email', value: 'b@example.com', reason: bad }),
    'reason',
  ],
];

describe('input hygiene on admin and moderation routes', () => {
  for (const [label, bad] of Object.entries(BAD)) {
    it(`refuses a ${label} in every admin text field with 400 problem+json, and changes nothing`, async () => {
      const before = await snapshot();
      for (const [method, template, body, path] of ROUTES) {
        const url = template.replace('{endpoint}', endpointId).replace('{user}', userId);
        const res = await api(ctx, method, url, auth, body(bad));
        const problem = expectProblem(res, 400);
        expect(problem.errors, `${method} ${url}`).toContainEqual(expect.objectContaining({ path }));
      }
      if (label !== 'lone surrogate') {
        // (A lone surrogate cannot be percent-encoded as UTF-8.)
        const query = await api(ctx, 'GET', `/api/v1/admin/audit-log?action=${encodeURIComponent(bad)}`, auth);
        expect(expectProblem(query, 400).errors).toContainEqual(expect.objectContaining({ path: 'query.action[0]' }));
      }
      expect(await snapshot()).toEqual(before);
    });
  }

  it('refuses them in dashboard forms too', async () => {
    await createUser(ctx, 'hyg-desk@example.com', 'admin');
    const session = await signIn(ctx, 'hyg-desk@example.com');
    const before = await snapshot();
    // (A form is UTF-8: a lone surrogate arrives as U+FFFD, so only NUL and controls can reach the route.)
    for (const bad of [BAD.nul, BAD['control character']]) {
      const res = await dashboardPost(ctx, '/dashboard/sites', session, { id: 'hyg4', name: bad });
      expect(res.status, await res.clone().text()).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('keeps tabs and line breaks in multi-line text', async () => {
    const res = await api(ctx, 'PATCH', `/api/v1/admin/webhooks/${endpointId}`, auth, {
      description: 'line 1\n\tline 2',
    });
    expect(res.status).toBe(200);
  });
});
