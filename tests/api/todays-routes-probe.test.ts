// Adversarial probes of the routes added on the day of undo, article controls, ban previews, reports,
// transparency, the live queue and the import upload: whatever a fuzzer or hostile tester sends (NULs, lone
// surrogates, junk JSON, wrong content types, forged cursors, non-UUID ids, SQL and HTML, a huge body), the
// answer is a 4xx problem+json (dashboard: a 4xx page) that stores nothing, never a 5xx or a hang.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, type Session, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, type JsonResponse, call as rawCall, submit, tableCounts } from '../support/http.ts';
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

/**
 * Every answer of this file, checked after each test: no 5xx, and no answer from the error mapping's
 * safety net for values the database refused (`invalid_value`: a value that slipped past validation).
 */
const slipped: string[] = [];
async function call(c: TestContext, path: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await rawCall(c, path, init);
  if (res.status >= 500 || res.body?.code === 'invalid_value')
    slipped.push(
      `${init.method ?? 'GET'} ${path.slice(0, 120)} ${String(init.body ?? '').slice(0, 80)} -> ${res.status} ${res.text.slice(0, 200)}`,
    );
  return res;
}
afterEach(() => {
  expect(slipped.splice(0)).toEqual([]);
});

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
  'constructor',
  '__proto__',
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
  // The probes below must reach the routes: the same credentials and shapes with valid values are accepted.
  it("controls: valid requests with the probes' credentials succeed", async () => {
    const ok = async (res: JsonResponse | Promise<JsonResponse>, status: number) => {
      const r = await res;
      expect(r.status, r.text.slice(0, 300)).toBe(status);
      return r;
    };
    await ok(send('GET', '/api/v1/moderation/sites/p/articles/art', null, null), 200);
    await ok(
      send(
        'PATCH',
        '/api/v1/moderation/sites/p/articles/art',
        JSON.stringify({ moderation: 'all' }),
        'application/json',
      ),
      200,
    );
    await ok(
      send(
        'POST',
        '/api/v1/moderation/bans/preview',
        JSON.stringify({ kind: 'email', value: 'x@example.com', siteId: 'p' }),
        'application/json',
      ),
      200,
    );
    await ok(send('GET', '/api/v1/admin/sites/p/reports/transparency', null, null), 200);
    const more = await ok(
      call(ctx, 'http://localhost/dashboard/queue/more?site=p', { headers: { cookie: desk.cookie } }),
      200,
    );
    expect(more.body.ids).toContain(held);
    const page = await call(ctx, 'http://localhost/dashboard/articles/p/art', { headers: { cookie: desk.cookie } });
    expect(page.status).toBe(200);
    const closed = await call(ctx, 'http://localhost/dashboard/articles/p/art/close', {
      method: 'POST',
      headers: { cookie: desk.cookie, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: desk.csrf }).toString(),
    });
    expect(closed.status, closed.text.slice(0, 200)).toBe(303);
    await ok(
      send('PATCH', '/api/v1/moderation/sites/p/articles/art', JSON.stringify({ closed: false }), 'application/json'),
      200,
    );
  });

  it('the import upload refuses junk formats and bodies without a 5xx', async () => {
    for (const q of ['format=%00', 'format=%ED%A0%80', "format='--", 'format=jsonl&dryRun=%00', '']) {
      for (const [type, body] of [
        ['application/octet-stream', '\u0000\u0001garbage'],
        ['multipart/form-data; boundary=x', '--x\r\nbroken'],
        ['text/plain', '{"a":'],
      ] as const) {
        const res = await send('POST', `/api/v1/admin/sites/p/imports?${q}`, body, type);
        expect(res.status, `${q} ${type}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      }
    }
  });

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

  it('hostile object keys (NUL, lone surrogates, SQL) in maps and bodies', async () => {
    for (const key of [
      '\u0000',
      '\ud800',
      "'; drop table comments; --",
      'a'.repeat(5000),
      '__proto__',
      'constructor',
    ]) {
      const before = await state();
      const probes: [string, string, unknown][] = [
        [
          'POST',
          '/api/v1/moderation/comments/bulk',
          { ids: [held], action: 'undo', expectedStatus: { [key]: 'approved' } },
        ],
        [
          'POST',
          '/api/v1/moderation/comments/bulk',
          { ids: [key], action: 'undo', expectedStatus: { [key]: 'approved' } },
        ],
        ['POST', `/api/v1/moderation/comments/${held}/undo`, { expectedStatus: 'approved', [key]: 1 }],
        ['PATCH', '/api/v1/moderation/sites/p/articles/art', { [key]: true }],
        ['POST', '/api/v1/moderation/bans/preview', { kind: 'email', value: 'x@example.com', [key]: 'x' }],
        ['POST', `/api/v1/sites/p/comments/${held}/reports`, { reason: 'spam', [key]: 'x' }],
      ];
      for (const [method, path, body] of probes) {
        const res = await send(method, path, JSON.stringify(body), 'application/json');
        expect(res.status, `${path} key ${JSON.stringify(key).slice(0, 30)}: ${res.text.slice(0, 300)}`).toBeLessThan(
          500,
        );
        if (res.status >= 400) expectRefused(res, path);
      }
      expect(await state(), JSON.stringify(key).slice(0, 30)).toEqual(before);
    }
  });

  it('the public report form post: hostile fields are refused with a 4xx page or problem, storing nothing', async () => {
    for (const value of ['\u0000', 'a\u0000b', 'a'.repeat(100_000), '<script>alert(1)</script>', "' or 1=1--"]) {
      for (const field of [
        'reason',
        'detail',
        'reporterToken',
        'law',
        'explanation',
        'reporterName',
        'reporterEmail',
        'goodFaith',
        'return',
      ]) {
        const before = await state();
        const res = await call(ctx, `/api/v1/sites/p/comments/${held}/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          body: new URLSearchParams({ reason: 'illegal', detail: 'd', [field]: value }).toString(),
        });
        expect(res.status, `${field}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        expect(res.text).not.toContain('<script>alert');
        if (res.status >= 400) expect(await state(), field).toEqual(before);
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

/** A body of `total` bytes that streams in 1 MiB chunks, counting how much the server pulled. */
function hugeBody(total: number) {
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe("today's routes under size and concurrency", () => {
  it('a 100 MB body is refused with 413 while it streams in, not buffered whole', async () => {
    const targets: [string, string, Record<string, string>][] = [
      ['POST', `/api/v1/moderation/comments/${held}/undo`, admin],
      ['POST', '/api/v1/moderation/comments/bulk', admin],
      ['PATCH', '/api/v1/moderation/sites/p/articles/art', admin],
      ['POST', '/api/v1/moderation/bans/preview', admin],
      ['POST', '/api/v1/moderation/bans', admin],
      ['POST', `/api/v1/sites/p/comments/${held}/reports`, {}],
      ['POST', `/api/v1/sites/p/comments/${held}/reports`, { 'content-type': 'application/x-www-form-urlencoded' }],
    ];
    for (const [method, path, headers] of targets) {
      const before = await state();
      const body = hugeBody(100 * 1024 * 1024);
      const res = await ctx.app.request(path, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body.stream,
        duplex: 'half',
      } as RequestInit);
      const text = await res.text();
      expect(res.status, `${path}: ${text.slice(0, 200)}`).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(body.pulled(), path).toBeLessThan(8 * 1024 * 1024);
      expect(await state(), path).toEqual(before);
    }
    // With the size announced up front, the answer comes before any of the body is read.
    const announced = await call(ctx, '/api/v1/moderation/bans/preview', {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) },
      body: '{}',
    });
    expect(announced.status).toBe(413);
  });

  it('duplicate concurrent undos: exactly one wins, the other is a 409, the log holds one undo', async () => {
    const id = (await submit(ctx, 'p', { articleId: 'race' })).body.id as string;
    const approved = await send(
      'POST',
      `/api/v1/moderation/comments/${id}/approve`,
      JSON.stringify({ expectedStatus: 'pending' }),
      'application/json',
    );
    expect(approved.status, approved.text).toBe(200);
    const undo = () =>
      send(
        'POST',
        `/api/v1/moderation/comments/${id}/undo`,
        JSON.stringify({ expectedStatus: 'approved' }),
        'application/json',
      );
    const answers = await Promise.all([undo(), undo(), undo()]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses, answers.map((a) => a.text.slice(0, 200)).join('\n')).toEqual([200, 409, 409]);
    for (const a of answers.filter((x) => x.status !== 200)) expectRefused(a, 'second undo');
    const { comment } = await ctx.container.moderation.show(id);
    expect(comment.status).toBe('pending');
  });

  it('duplicate concurrent bans with rejectHeld: exactly one ban, the others 409 ban_exists, each held comment rejected once', async () => {
    // One ban per value is in force at a time (migration 0023's unique index): the race makes one ban,
    // and the losers are told which ban is in force; nothing of theirs is written.
    const victim = (await submit(ctx, 'p', { articleId: 'ban-race', email: 'twice@example.com' })).body.id as string;
    const ban = () =>
      send(
        'POST',
        '/api/v1/moderation/bans',
        JSON.stringify({ kind: 'email', value: 'twice@example.com', siteId: 'p', confirm: true, rejectHeld: true }),
        'application/json',
      );
    const answers = await Promise.all([ban(), ban(), ban()]);
    const made = answers.filter((a) => a.status === 201);
    expect(made, answers.map((a) => `${a.status} ${a.text.slice(0, 200)}`).join('\n')).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expectRefused(a, 'duplicate ban');
      expect(a.status).toBe(409);
      expect(a.body.code).toBe('ban_exists');
      expect(a.body.conflicts?.[0]?.id).toBe(made[0]!.body.ban.id);
    }
    expect(answers.flatMap((a) => a.body.rejected ?? [])).toEqual([victim]);
    const log = await ctx.container.database.db
      .selectFrom('moderation_log')
      .selectAll()
      .where('comment_id', '=', victim)
      .execute();
    expect(log.filter((r) => r.to_status === 'rejected')).toHaveLength(1);
  });

  it('duplicate concurrent article changes, on an article the site has never stored, never cause a 5xx', async () => {
    const id = (await submit(ctx, 'p', { articleId: 'fresh-race' })).body.id as string;
    expect(id).toBeTruthy();
    for (const articleId of ['fresh-race', 'never-seen-race']) {
      const change = (closed: boolean) =>
        send(
          'PATCH',
          `/api/v1/moderation/sites/p/articles/${articleId}`,
          JSON.stringify({ closed, moderation: 'all' }),
          'application/json',
        );
      const answers = await Promise.all([change(true), change(true), change(false), change(true)]);
      for (const a of answers) expect(a.status, a.text.slice(0, 300)).toBeLessThan(500);
    }
  });

  it('duplicate concurrent reports from one reader never cause a 5xx', async () => {
    const report = () =>
      send(
        'POST',
        `/api/v1/sites/p/comments/${held}/reports`,
        JSON.stringify({ reason: 'spam', reporterToken: 'same-reader-token-123' }),
        'application/json',
        {},
      );
    const answers = await Promise.all([report(), report(), report(), report()]);
    for (const a of answers) expect(a.status, a.text.slice(0, 300)).toBeLessThan(500);
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
    const bad: string[] = [];
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
        if (cursor !== '' && res.status < 400) bad.push(`${res.status} ${cursor.slice(0, 40)} ${extra}`);
      }
    }
    // A cursor this app never handed out is refused, not read as "from the start".
    expect(bad).toEqual([]);
  });

  it('the live stream refuses junk query values with a 4xx instead of opening', async () => {
    for (const q of ['site=%00', 'site=%ED%A0%80', `site=${'a'.repeat(3000)}`, "site='--", 'site=nosuch']) {
      const res = await ctx.app.request(`http://localhost/dashboard/queue/live?${q}`, {
        headers: { cookie: desk.cookie },
      });
      const text = res.headers.get('content-type')?.startsWith('text/event-stream') ? '' : await res.text();
      if (text === '') await res.body?.cancel();
      expect(res.status, `${q}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${q}: ${text.slice(0, 200)}`).toBeLessThan(500);
    }
  });

  it('notice words from the URL: only known ones are shown, inherited names (constructor, __proto__) too are not', async () => {
    for (const done of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    ]) {
      for (const path of [
        `/dashboard/articles/p/art?done=${done}`,
        `/dashboard/reported?done=${done}`,
        `/dashboard/queue?done=${done}&n=1`,
      ]) {
        const res = await get(path);
        expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(200);
        expect(res.text, path).not.toMatch(/function|\[native code\]|\[object Object\]|<script>alert/);
        // An unknown word shows no notice at all, not an empty status region a screen reader announces.
        expect(res.text, path).not.toMatch(/<p class="notice"[^>]*><\/p>/);
      }
    }
  });

  it('the return address of decisions: never off the dashboard, never a broken Location header', async () => {
    const reported = (await submit(ctx, 'p', { articleId: 'ret' })).body.id as string;
    await ctx.container.moderation.setStatus(reported, 'approved', { type: 'cli', id: 'test' });
    const reportedOk = await send(
      'POST',
      `/api/v1/sites/p/comments/${reported}/reports`,
      JSON.stringify({ reason: 'spam', reporterToken: 'return-probe-token' }),
      'application/json',
      {},
    );
    expect(reportedOk.status, reportedOk.text).toBeLessThan(300);
    const returns = [
      '//evil.example',
      'https://evil.example/',
      '/dashboard/\\evil',
      '/dashboard//evil.example',
      '/dashboard/queue?x=é€𝕳',
      '/dashboard/queue\r\nSet-Cookie: a=b',
      '/dashboard/queue\tx',
      '/dashboard/queue?x=%0d%0a',
      'javascript:alert(1)',
    ];
    for (const ret of returns) {
      for (const [path, form] of [
        [`/dashboard/reported/${reported}/dismiss`, {}],
        [`/dashboard/reported/${reported}/constructor`, {}],
        ['/dashboard/queue/bulk', { ids: held, action: 'approve', [`expected.${held}`]: 'rejected' }],
        ['/dashboard/queue/bulk', { ids: held, action: 'constructor' }],
        ['/dashboard/queue/bulk', { ids: 'not-a-uuid', action: 'undo' }],
        ['/dashboard/queue/bulk', { ids: '', action: 'undo' }],
      ] as const) {
        const res = await call(ctx, `http://localhost${path}`, {
          method: 'POST',
          headers: {
            cookie: desk.cookie,
            origin: 'http://localhost',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ _csrf: desk.csrf, return: ret, ...form }).toString(),
        });
        expect(res.status, `${path} return=${JSON.stringify(ret)}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        const location = res.headers.get('location');
        if (location) expect(location, ret).toMatch(/^\/dashboard(\/|\?|$)/);
        if (location) expect(location, ret).not.toMatch(/\/\/|\\|[\r\n]/);
      }
    }
  });

  it('the user page shows no notice for inherited names either (the same lookup as the article page)', async () => {
    await createUser(ctx, 'boss@example.com', 'admin');
    const boss = await signIn(ctx, 'boss@example.com');
    const user = await createUser(ctx, 'someone@example.com', 'moderator', ['p']);
    for (const done of ['constructor', '__proto__', 'toString']) {
      const res = await call(ctx, `http://localhost/dashboard/users/${user.id}?done=${done}`, {
        headers: { cookie: boss.cookie },
      });
      expect(res.status, res.text.slice(0, 200)).toBe(200);
      expect(res.text, done).not.toMatch(/<p class="notice"[^>]*><\/p>/);
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
