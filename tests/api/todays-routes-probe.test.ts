// Adversarial probes of the routes added on the day of undo, article controls, ban previews, reports,
// transparency, the live queue and the import upload: whatever a fuzzer or hostile tester sends (NULs, lone
// surrogates, junk JSON, wrong content types, forged cursors, non-UUID ids, SQL and HTML, a huge body), the
// answer is a 4xx problem+json (dashboard: a 4xx page) that stores nothing, never a 5xx or a hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, type Session, signIn, tokenFor } from '../support/accounts.ts';
import { call, createSite, type JsonResponse, submit, tableCounts } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let admin: Record<string, string>;
let desk: Session;
let held: string;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'p', { moderation: 'all' });
  admin = bearer(await tokenFor(ctx, await createUser(ctx, 'chief@example.com', 'admin')));
  await createUser(ctx, 'desk@example.com', 'moderator', ['p']);
  desk = await signIn(ctx, 'desk@example.com');
  held = (await submit(ctx, 'p', { articleId: 'art' })).body.id;
});
afterAll(() => ctx.close());

/** Everything a request could change: rows, bans, reports, outbox events. */
async function state() {
  const db = ctx.container.database.db;
  const n = async (t: 'events' | 'bans' | 'reports') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const statuses = await db.selectFrom('comments').select(['id', 'status']).orderBy('id').execute();
  return {
    ...(await tableCounts(ctx)),
    events: await n('events'),
    bans: await n('bans'),
    reports: await n('reports'),
    statuses,
  };
}

function expectRefused(res: JsonResponse, what: string, html = false) {
  const info = `${what}: ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, info).toBeGreaterThanOrEqual(400);
  expect(res.status, info).toBeLessThan(500);
  const type = res.headers.get('content-type') ?? '';
  if (html) expect(type, info).toMatch(/^text\/html|^application\/problem\+json/);
  else expect(type, info).toMatch(/^application\/problem\+json/);
}

const NASTY: unknown[] = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  'a'.repeat(100_000),
  "'; drop table comments; --",
  '<script>alert(1)</script>',
];
const JUNK_JSON = ['{"a":', '[]', '[1,2]', 'null', '1', '"x"', '', 'true', '{"__proto__":{"x":1}}'];
const BAD_TYPES = ['text/plain', 'multipart/form-data; boundary=x', 'application/xml', null];
const BAD_SEGMENTS = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%C0%AE',
  'not-a-uuid',
  "'%20or%201=1--",
  '%3Cscript%3E',
  'a'.repeat(3000),
  '00000000-0000-0000-0000-00000000000g',
];

const send = (method: string, path: string, body: string | null, type: string | null, headers = admin) =>
  call(ctx, path, {
    method,
    headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
    ...(body !== null ? { body } : {}),
  });

/** JSON routes with a valid body template: every field gets every nasty value, and the whole body every junk. */
const jsonRoutes = (): { method: string; path: string; valid: Record<string, unknown> }[] => [
  { method: 'POST', path: `/api/v1/moderation/comments/${held}/undo`, valid: { expectedStatus: 'approved' } },
  {
    method: 'POST',
    path: '/api/v1/moderation/comments/bulk',
    valid: { ids: [held], action: 'undo', expectedStatus: { [held]: 'approved' } },
  },
  { method: 'PATCH', path: '/api/v1/moderation/sites/p/articles/art', valid: { closed: true, moderation: 'all' } },
  {
    method: 'POST',
    path: '/api/v1/moderation/bans/preview',
    valid: { kind: 'email', value: 'x@example.com', siteId: 'p' },
  },
  {
    method: 'POST',
    path: '/api/v1/moderation/bans',
    valid: {
      kind: 'email',
      value: 'zz-never@example.com',
      siteId: 'nosite',
      confirm: 'yes',
      rejectHeld: 1,
      allowWebmail: 'x',
    },
  },
  {
    method: 'POST',
    path: `/api/v1/sites/p/comments/${held}/reports`,
    valid: { reason: 'spam', detail: 'n', reporterToken: 'tok' },
  },
];

describe("today's routes under hostile input", () => {
  it('junk bodies and wrong content types are refused with problem+json and change nothing', async () => {
    for (const r of jsonRoutes()) {
      const before = await state();
      for (const body of JUNK_JSON)
        expectRefused(await send(r.method, r.path, body, 'application/json'), `${r.path} ${body}`);
      for (const type of BAD_TYPES)
        expectRefused(await send(r.method, r.path, JSON.stringify(r.valid), type), `${r.path} as ${type}`);
      expect(await state(), r.path).toEqual(before);
    }
  });

  it('NUL, lone surrogates, over-long, SQL and HTML in every field are refused or harmless', async () => {
    for (const r of jsonRoutes()) {
      for (const key of [...Object.keys(r.valid), 'extra']) {
        for (const value of [...NASTY, [], {}, null, 1e308, -1, { $gt: '' }]) {
          const before = await state();
          const res = await send(r.method, r.path, JSON.stringify({ ...r.valid, [key]: value }), 'application/json');
          expect(
            res.status,
            `${r.path} ${key}=${JSON.stringify(value).slice(0, 40)}: ${res.text.slice(0, 300)}`,
          ).toBeLessThan(500);
          if (res.status >= 400) {
            expectRefused(res, r.path);
            expect(await state(), `${r.path} ${key}`).toEqual(before);
          }
        }
      }
    }
  });

  it('path segments that are not ids never cause a 5xx', async () => {
    for (const seg of BAD_SEGMENTS) {
      const before = await state();
      const probes: [string, string, unknown][] = [
        ['POST', `/api/v1/moderation/comments/${seg}/undo`, { expectedStatus: 'approved' }],
        ['GET', `/api/v1/moderation/sites/${seg}/articles/${seg}`, undefined],
        ['GET', `/api/v1/moderation/sites/p/articles/${seg}`, undefined],
        ['PATCH', `/api/v1/moderation/sites/p/articles/${seg}`, { closed: true }],
        ['GET', `/api/v1/admin/sites/${seg}/reports/transparency`, undefined],
        ['POST', `/api/v1/sites/p/comments/${seg}/reports`, { reason: 'spam' }],
        ['POST', `/api/v1/sites/${seg}/comments/${held}/reports`, { reason: 'spam' }],
        ['POST', `/api/v1/admin/sites/${seg}/imports?format=jsonl`, undefined],
      ];
      for (const [method, path, body] of probes) {
        const res = await send(
          method,
          path,
          body === undefined ? (method === 'POST' ? '{}' : null) : JSON.stringify(body),
          method === 'GET' ? null : 'application/json',
        );
        expect(res.status, `${method} ${path.slice(0, 120)}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) expectRefused(res, path.slice(0, 120));
      }
      expect(await state(), seg).toEqual(before);
    }
  });

  it('query values: transparency periods and import formats', async () => {
    for (const v of ['%00', '%ED%A0%80', '-1', '99999999999999999999', 'abc', "1'--", '1e309']) {
      for (const path of [
        `/api/v1/admin/sites/p/reports/transparency?from=${v}&to=${v}&days=${v}&period=${v}`,
        `/api/v1/moderation/sites/p/articles/art?limit=${v}&cursor=${v}`,
      ]) {
        const res = await send('GET', path, null, null);
        expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) expectRefused(res, path);
      }
    }
  });
});

describe('dashboard routes under hostile input', () => {
  const get = (path: string) => call(ctx, `http://localhost${path}`, { headers: { cookie: desk.cookie } });

  it('forged, truncated and oversized cursors and limits on /dashboard/queue/more', async () => {
    const forged = [
      'garbage!!',
      Buffer.from('{"x":1}').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('null').toString('base64url'),
      Buffer.from(`${'9'.repeat(40)}|${held}`).toString('base64url'),
      Buffer.from(`-1|${held}`).toString('base64url'),
      Buffer.from('2020-01-01T00:00:00Z|not-a-uuid').toString('base64url'),
      Buffer.from(`99999-99-99T99:99:99Z|${held}`).toString('base64url'),
      Buffer.from(`\u0000|${held}`).toString('base64url'),
      '%00',
      '%ED%A0%80',
      'a'.repeat(5000),
      '',
    ];
    for (const cursor of forged) {
      for (const extra of [
        '',
        '&limit=-1',
        '&limit=99999999999999999999',
        '&sort=%00',
        '&site=%ED%A0%80',
        '&sort=score',
      ]) {
        const path = `/dashboard/queue/more?cursor=${encodeURIComponent(cursor).replace(/%25/g, '%')}${extra}`;
        const res = await get(path);
        expect(res.status, `${path.slice(0, 100)}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      }
    }
  });

  it('the live stream refuses junk query values with a 4xx instead of opening', async () => {
    for (const q of ['site=%00', 'site=%ED%A0%80', `site=${'a'.repeat(3000)}`, "site='--", 'site=nosuch']) {
      const res = await ctx.app.request(`http://localhost/dashboard/queue/live?${q}`, {
        headers: { cookie: desk.cookie },
      });
      const text = res.headers.get('content-type')?.startsWith('text/event-stream') ? '' : await res.text();
      if (text === '') await res.body?.cancel();
      expect(res.status, `${q}: ${text.slice(0, 200)}`).toBeLessThan(500);
    }
  });

  it('article and reported pages with junk segments and forms', async () => {
    for (const seg of BAD_SEGMENTS) {
      for (const path of [
        `/dashboard/articles/${seg}/${seg}`,
        `/dashboard/articles/p/${seg}`,
        `/dashboard/reported?site=${seg}`,
      ]) {
        const res = await get(path);
        expect(res.status, `${path.slice(0, 100)}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      }
      for (const path of [
        `/dashboard/articles/p/${seg}/close`,
        `/dashboard/articles/p/${seg}/mode`,
        `/dashboard/reported/${seg}/dismiss`,
        `/dashboard/reported/${held}/${seg}`,
      ]) {
        const before = await state();
        const res = await call(ctx, `http://localhost${path}`, {
          method: 'POST',
          headers: {
            cookie: desk.cookie,
            origin: 'http://localhost',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ _csrf: desk.csrf, mode: seg, return: seg }).toString(),
        });
        expect(res.status, `${path.slice(0, 100)}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        expect(await state()).toEqual(before);
      }
    }
  });
});
