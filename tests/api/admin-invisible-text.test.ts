// Text staff type for others to read (site names, ban and moderation reasons, webhook descriptions,
// token names, article titles) is refused with 400 problem+json naming the field when it carries bidi
// overrides, isolates, marks or invisible characters; nothing is written. Emoji sequences and the
// joiners Persian and Indic words need are kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, dashboardPost, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let auth: Record<string, string>;
let endpointId: string;
let userId: string;
let commentId: string;
beforeAll(async () => {
  ctx = await createTestContext();
  const admin = await createUser(ctx, 'inv-admin@example.com', 'admin');
  auth = bearer(await tokenFor(ctx, admin));
  await createSite(ctx, 'inv', { moderation: 'all' });
  userId = (await createUser(ctx, 'inv-mod@example.com', 'moderator', ['inv'])).id;
  const hook = await api(ctx, 'POST', '/api/v1/admin/sites/inv/webhooks', auth, { url: 'https://hooks.example/in' });
  expect(hook.status).toBe(201);
  endpointId = hook.body.endpoint.id;
  const c = await submit(ctx, 'inv', { articleId: 'inv-article' });
  commentId = c.body.id;
});
afterAll(() => ctx.close());

const BAD: Record<string, string> = {
  'right-to-left override': 'invoice\u202Egpj.exe',
  'left-to-right embedding': 'a\u202Ab',
  'first strong isolate': 'name\u2068 hidden',
  'pop directional isolate': 'x\u2069y',
  'right-to-left mark': 'admin\u200F',
  'left-to-right mark': '\u200Eadmin',
  'zero-width space': 'ad\u200Bmin',
  'zero-width joiner between Latin letters': 'ad\u200Dmin',
  'word joiner': 'a\u2060b',
  'byte order mark': '\uFEFFsite',
};

const ROUTES: [string, string, (bad: string) => unknown, string][] = [
  ['POST', '/api/v1/admin/sites', (bad) => ({ id: 'inv2', name: bad }), 'name'],
  ['PATCH', '/api/v1/admin/sites/inv', (bad) => ({ name: bad }), 'name'],
  [
    'POST',
    '/api/v1/moderation/bans',
    (bad) => ({ siteId: 'inv', kind: 'email', value: 'spammer@example.com', reason: bad }),
    'reason',
  ],
  [
    'POST',
    '/api/v1/admin/sites/inv/webhooks',
    (bad) => ({ url: 'https://hooks.example/2', description: bad }),
    'description',
  ],
  ['PATCH', '/api/v1/admin/webhooks/{endpoint}', (bad) => ({ description: bad }), 'description'],
  ['POST', '/api/v1/admin/users/{user}/tokens', (bad) => ({ name: bad }), 'name'],
  ['POST', '/api/v1/moderation/comments/{comment}/approve', (bad) => ({ reason: bad }), 'reason'],
  [
    'POST',
    '/api/v1/moderation/comments/bulk',
    (bad) => ({ ids: ['{comment}'], action: 'reject', reason: bad }),
    'reason',
  ],
  ['PATCH', '/api/v1/admin/sites/inv/articles/inv-article', (bad) => ({ title: bad }), 'title'],
];

/** What other people would see; unchanged after a refused request. */
async function snapshot() {
  const get = async (path: string) => {
    const res = await api(ctx, 'GET', path, auth);
    expect(res.status, path).toBe(200);
    return res.body;
  };
  return {
    sites: await get('/api/v1/admin/sites'),
    hooks: await get('/api/v1/admin/sites/inv/webhooks'),
    bans: await get('/api/v1/moderation/bans'),
    tokens: await get(`/api/v1/admin/users/${userId}/tokens`),
    comment: await get(`/api/v1/moderation/comments/${commentId}`),
    audit: await get('/api/v1/admin/audit-log'),
  };
}

const fill = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value)
      .replaceAll('{comment}', commentId)
      .replaceAll('{endpoint}', endpointId)
      .replaceAll('{user}', userId),
  );

describe('staff text shown to others', () => {
  it('is refused with 400 problem+json naming the field when it carries bidi controls or invisible characters, and nothing changes', async () => {
    const before = await snapshot();
    for (const [label, bad] of Object.entries(BAD)) {
      for (const [method, template, body, path] of ROUTES) {
        const url = fill(template) as string;
        const res = await api(ctx, method, url, auth, fill(body(bad)));
        const problem = expectProblem(res, 400);
        expect(res.headers.get('content-type'), `${label}: ${method} ${url}`).toMatch(/^application\/problem\+json/);
        expect(problem.errors, `${label}: ${method} ${url}`).toContainEqual(expect.objectContaining({ path }));
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('is refused in the dashboard forms too (a new site, site settings)', async () => {
    await createUser(ctx, 'inv-desk@example.com', 'admin');
    const session = await signIn(ctx, 'inv-desk@example.com');
    const before = await snapshot();
    const created = await dashboardPost(ctx, '/dashboard/sites', session, { id: 'inv5', name: 'My\u202Esite' });
    expect(created.status).toBe(400);
    const renamed = await dashboardPost(ctx, '/dashboard/sites/inv', session, { name: 'Renamed\u2066 site' });
    expect(renamed.status).toBe(400);
    expect(await renamed.text()).toContain('text-direction control characters');
    expect(await snapshot()).toEqual(before);
  });

  it('keeps emoji sequences, Persian and Indic joiners, and right-to-left text itself', async () => {
    for (const name of ['👩‍💻 Developer desk', 'می‌خواهم خبر', 'क्‍ष news', 'أخبار اليوم', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland']) {
      const res = await api(ctx, 'PATCH', '/api/v1/admin/sites/inv', auth, { name });
      expect(res.status, name).toBe(200);
      expect(res.body.site.name).toBe(name);
    }
    const ban = await api(ctx, 'POST', '/api/v1/moderation/bans', auth, {
      siteId: 'inv',
      kind: 'email',
      value: 'fine@example.com',
      reason: 'نشر روابط مزعجة',
    });
    expect(ban.status).toBe(201);
  });
});
