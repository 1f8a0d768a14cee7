// Reader reports (issue 15): the public report API, weights and thresholds, the Reported queue and
// moderators' decisions, on both databases.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { call, createSite, expectProblem, postForm, postJson, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let adminToken: string;
let modToken: string;
let ipSeq = 0;
/** A distinct client address per call unless one is given (the app trusts X-Forwarded-For here). */
const nextIp = () => {
  ipSeq += 1;
  return `198.51.${Math.floor(ipSeq / 250)}.${(ipSeq % 250) + 1}`;
};
const token = () => `tok-${randomUUID()}`;

beforeAll(async () => {
  ctx = await createTestContext({ TRUST_PROXY: 'true' });
  await createSite(ctx, 'rep', { moderation: 'none' });
  await createSite(ctx, 'rep-low', { moderation: 'none', reportHideThreshold: 1.5 });
  await createSite(ctx, 'rep-never', { moderation: 'none', reportHideThreshold: null });
  await createSite(ctx, 'rep-held', { moderation: 'all' });
  adminToken = await tokenFor(ctx, await createUser(ctx, 'rep-admin@example.com', 'admin'));
  modToken = await tokenFor(ctx, await createUser(ctx, 'rep-mod@example.com', 'moderator', ['rep', 'rep-low']));
});
afterAll(() => ctx.close());

const db = () => ctx.container.database.db;

async function published(siteId = 'rep', articleId = `a-${randomUUID()}`): Promise<string> {
  const res = await submit(ctx, siteId, { articleId, articleUrl: `https://news.example/${articleId}` });
  expect(res.body.status).toBe('approved');
  return res.body.id;
}

function report(
  commentId: string,
  body: Record<string, unknown>,
  o: { siteId?: string; ip?: string; headers?: Record<string, string> } = {},
) {
  return postJson(ctx, `/api/v1/sites/${o.siteId ?? 'rep'}/comments/${commentId}/reports`, body, {
    'x-forwarded-for': o.ip ?? nextIp(),
    ...o.headers,
  });
}

const reportRows = (commentId: string) =>
  db().selectFrom('reports').selectAll().where('comment_id', '=', commentId).execute();
const statusOf = async (id: string) =>
  (await db().selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const reportCount = async () =>
  Number((await db().selectFrom('reports').select(db().fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

const eventsOf = async (commentId: string) =>
  (
    await db()
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('comment_id', '=', commentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  )
    .map((e) => ({ type: e.type, payload: e.payload as any }))
    // A comment's events are ordered by their sequence numbers (ids are only roughly in time order).
    .sort((a, b) => a.payload.data.sequence - b.payload.data.sequence);

const uphold = (id: string, who = modToken) =>
  api(ctx, 'POST', `/api/v1/moderation/comments/${id}/reports/uphold`, bearer(who), { action: 'reject' });
const dismiss = (id: string, who = modToken) =>
  api(ctx, 'POST', `/api/v1/moderation/comments/${id}/reports/dismiss`, bearer(who), {});

/** A reporter whose `upheld` reports on the site were upheld by a moderator (one address of its own). */
async function reliableReporter(siteId: string, upheld: number) {
  const t = token();
  const ip = nextIp();
  for (let i = 0; i < upheld; i++) {
    const id = await published(siteId);
    expect((await report(id, { reason: 'abuse', reporterToken: t }, { siteId, ip })).status).toBe(202);
    expect((await uphold(id, adminToken)).status).toBe(200);
  }
  return { token: t, ip };
}

describe('POST /api/v1/sites/{siteId}/comments/{commentId}/reports', () => {
  it('answers 202 without counts and stores the reporter and address only as keyed hashes', async () => {
    const id = await published();
    const t = token();
    const res = await report(id, { reason: 'spam', detail: 'Selling pills', reporterToken: t }, { ip: '203.0.113.9' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ received: true });
    const [row, ...more] = await reportRows(id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ reason: 'spam', detail: 'Selling pills', outcome: 'open', weight: 0.5, fresh: true });
    expect(row!.reporter_key).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.ip_key).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(t);
    expect(JSON.stringify(row)).not.toContain('203.0.113.9');
  });

  it('a reporter cannot report twice: the same token from another address, or the same address without one', async () => {
    const id = await published();
    const t = token();
    expect((await report(id, { reason: 'spam', reporterToken: t }, { ip: '203.0.113.20' })).status).toBe(202);
    const again = await report(id, { reason: 'abuse', reporterToken: t }, { ip: '203.0.113.21' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ received: true });
    expect(await reportRows(id)).toHaveLength(1);

    const other = await published();
    expect((await report(other, { reason: 'spam' }, { ip: '203.0.113.22' })).status).toBe(202);
    expect((await report(other, { reason: 'spam' }, { ip: '203.0.113.22' })).status).toBe(202);
    expect((await report(other, { reason: 'spam', reporterToken: token() }, { ip: '203.0.113.22' })).status).toBe(202);
    // The tokenless repeat stored nothing; a reader of that address with a token of their own is another reporter.
    expect(await reportRows(other)).toHaveLength(2);
  });

  it('an illegal-content notice needs the DSA Art. 16 fields, and queues on its own', async () => {
    const id = await published();
    const missing = expectProblem(await report(id, { reason: 'illegal', law: 'StGB 130' }), 400);
    expect(missing.errors?.map((e) => e.path).sort()).toEqual([
      'explanation',
      'goodFaith',
      'reporterEmail',
      'reporterName',
    ]);
    expectProblem(
      await report(id, {
        reason: 'illegal',
        law: 'StGB 130',
        explanation: 'Incites hatred.',
        reporterName: 'Ann Notifier',
        reporterEmail: 'ann@notify.example',
        goodFaith: false,
      }),
      400,
    );
    expect(await reportRows(id)).toHaveLength(0);
    const notice = {
      law: 'StGB 130',
      explanation: 'Incites hatred.',
      reporterName: 'Ann Notifier',
      reporterEmail: 'ann@notify.example',
      goodFaith: true,
    };
    expect((await report(id, { reason: 'illegal', ...notice })).status).toBe(202);
    // An illegal notice queues at once; the event names the reason, never the notifier.
    const reported = (await eventsOf(id)).filter((e) => e.type === 'comment.reported');
    expect(reported).toHaveLength(1);
    expect(reported[0]!.payload.data.report.reasons).toEqual([{ reason: 'illegal', count: 1, weight: 0.5 }]);
    expect(JSON.stringify(reported[0]!.payload)).not.toMatch(/Ann Notifier|ann@notify|StGB/);
    const queue = await api(ctx, 'GET', '/api/v1/moderation/reports?siteId=rep', bearer(modToken));
    const item = queue.body.comments.find((c: { comment: { id: string } }) => c.comment.id === id);
    expect(item.score).toBe(0.5);
    expect(item.reports[0].notice).toEqual(notice);
  });

  it('bad input is 4xx problem+json and stores nothing', async () => {
    const id = await published();
    const held = (await submit(ctx, 'rep-held', {})).body.id as string;
    const before = await reportCount();
    const cases: [string, unknown, number, string?][] = [
      [randomUUID(), { reason: 'spam' }, 404],
      ['not-a-uuid', { reason: 'spam' }, 404],
      [held, { reason: 'spam' }, 404, 'rep-held'],
      [id, { reason: 'spam' }, 404, 'rep-low'],
      [id, { reason: 'spam' }, 404, 'no-such-site'],
      [id, { reason: 'boring' }, 400],
      [id, {}, 400],
      [id, { reason: 'other', detail: 'x'.repeat(1001) }, 400],
      [id, { reason: 'other', detail: 'nul\u0000byte' }, 400],
      [id, { reason: 'spam', reporterToken: 'short' }, 400],
      [id, { reason: 'spam', reporterToken: 'x'.repeat(129) }, 400],
    ];
    for (const [commentId, body, status, siteId] of cases) {
      expectProblem(await report(commentId, body as Record<string, unknown>, siteId ? { siteId } : {}), status);
    }
    const notJson = await call(ctx, `/api/v1/sites/rep/comments/${id}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'reason=spam',
    });
    expectProblem(notJson, 415);
    expect(await reportCount()).toBe(before);
  });

  it('is rate-limited per device and per address (429 with Retry-After)', async () => {
    const t = token();
    for (let i = 0; i < 10; i++)
      expect((await report(await published(), { reason: 'spam', reporterToken: t })).status).toBe(202);
    const tooMany = expectProblem(await report(await published(), { reason: 'spam', reporterToken: t }), 429);
    expect(tooMany.code).toBe('reports');
    const ip = '203.0.113.77';
    for (let i = 0; i < 30; i++)
      expect((await report(await published(), { reason: 'spam', reporterToken: token() }, { ip })).status).toBe(202);
    const limited = await report(await published(), { reason: 'spam', reporterToken: token() }, { ip });
    expectProblem(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('the plain form post (no JavaScript) answers 303 back to the article, and an HTML page for bad input', async () => {
    const articleId = `form-${randomUUID()}`;
    const id = await published('rep', articleId);
    const path = `/api/v1/sites/rep/comments/${id}/reports`;
    const res = await postForm(
      ctx,
      path,
      { reason: 'abuse', detail: '', reporterToken: '' },
      {
        accept: 'text/html',
        'x-forwarded-for': nextIp(),
      },
    );
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(`https://news.example/${articleId}`);
    expect(back.searchParams.get('reported')).toBe(id);
    expect(await reportRows(id)).toHaveLength(1);
    const bad = await postForm(ctx, path, { reason: 'boring' }, { accept: 'text/html', 'x-forwarded-for': nextIp() });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^text\/html/);
    expect(bad.text).toContain('Your report was not sent');
    expect(await reportRows(id)).toHaveLength(1);
  });

  it('follows the origin rules of posting: an allowed origin may report, another is refused before anything is stored', async () => {
    const id = await published();
    const ok = await report(id, { reason: 'spam' }, { headers: { origin: 'https://news.example' } });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://news.example');
    expectProblem(await report(id, { reason: 'abuse' }, { headers: { origin: 'https://evil.example' } }), 403);
    expect(await reportRows(id)).toHaveLength(1);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await call(ctx, '/openapi.json')).body;
    const op = doc.paths['/api/v1/sites/{siteId}/comments/{commentId}/reports'].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['202', '303', '400', '404', '429']));
    expect(op.requestBody.content['application/json'].schema).toBeDefined();
  });
});

describe('weights and thresholds', () => {
  it('queues at reportQueueThreshold (1.0) and hides at reportHideThreshold (2.5): a status change with its log row and event', async () => {
    const reliable = [
      await reliableReporter('rep', 4),
      await reliableReporter('rep', 4),
      await reliableReporter('rep', 4),
    ];
    const articleId = `hide-${randomUUID()}`;
    const id = await published('rep', articleId);
    const inQueue = async () =>
      (await api(ctx, 'GET', '/api/v1/moderation/reports?siteId=rep', bearer(modToken))).body.comments.some(
        (c: { comment: { id: string } }) => c.comment.id === id,
      );
    await report(id, { reason: 'abuse', reporterToken: reliable[0]!.token }, { ip: reliable[0]!.ip });
    expect(await inQueue()).toBe(false); // 0.833
    await report(id, { reason: 'abuse', reporterToken: reliable[1]!.token }, { ip: reliable[1]!.ip });
    expect(await inQueue()).toBe(true); // 1.667
    expect(await statusOf(id)).toBe('approved');
    await report(id, { reason: 'spam', reporterToken: reliable[2]!.token }, { ip: reliable[2]!.ip });
    expect(await statusOf(id)).toBe('pending'); // 2.5
    const log = await db()
      .selectFrom('moderation_log')
      .selectAll()
      .where('comment_id', '=', id)
      .orderBy('created_at')
      .execute();
    expect(log.at(-1)).toMatchObject({
      actor_type: 'system',
      actor_id: 'reports',
      from_status: 'approved',
      to_status: 'pending',
    });
    const events = await eventsOf(id);
    // Entering the queue, then hidden (the status change and its report event in one statement).
    expect(events.map((e) => e.type)).toEqual([
      'comment.created',
      'comment.approved',
      'comment.reported',
      'comment.pending',
      'comment.reported',
    ]);
    expect(events.map((e) => e.payload.data.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(events[2]!.payload.data.report).toMatchObject({ hidden: false, score: 1.667, queueThreshold: 1 });
    expect(events[4]!.payload.data.report).toMatchObject({ hidden: true, score: 2.5 });
    const thread = await call(ctx, `/api/v1/sites/rep/articles/${articleId}/comments`);
    expect(thread.body.comments ?? []).toEqual([]);
    expect(await inQueue()).toBe(true);
  });

  it('ten fresh reporters in a burst do not hide a comment that two reliable reporters would', async () => {
    const brigaded = await published('rep-low');
    for (let i = 0; i < 10; i++)
      expect((await report(brigaded, { reason: 'abuse', reporterToken: token() }, { siteId: 'rep-low' })).status).toBe(
        202,
      );
    expect(await reportRows(brigaded)).toHaveLength(10);
    expect(await statusOf(brigaded)).toBe('approved');

    const a = await reliableReporter('rep-low', 3);
    const b = await reliableReporter('rep-low', 3);
    const target = await published('rep-low');
    await report(target, { reason: 'abuse', reporterToken: a.token }, { siteId: 'rep-low', ip: a.ip });
    expect(await statusOf(target)).toBe('approved'); // 0.8
    await report(target, { reason: 'abuse', reporterToken: b.token }, { siteId: 'rep-low', ip: b.ip });
    expect(await statusOf(target)).toBe('pending'); // 1.6 >= 1.5
  });

  it('never hides when reportHideThreshold is null', async () => {
    const id = await published('rep-never');
    const r = await reliableReporter('rep-never', 8);
    const s = await reliableReporter('rep-never', 8);
    const t = await reliableReporter('rep-never', 8);
    for (const x of [r, s, t])
      await report(id, { reason: 'abuse', reporterToken: x.token }, { siteId: 'rep-never', ip: x.ip });
    expect(await statusOf(id)).toBe('approved');
  });

  it('reliability moves with decisions: upheld reports raise the next weight, dismissed ones lower it', async () => {
    const t = token();
    const ip = nextIp();
    const weightOfNext = async () => {
      const id = await published();
      await report(id, { reason: 'spam', reporterToken: t }, { ip });
      return { id, weight: (await reportRows(id))[0]!.weight };
    };
    const first = await weightOfNext();
    expect(first.weight).toBe(0.5);
    await uphold(first.id);
    const second = await weightOfNext();
    expect(second.weight).toBeCloseTo(2 / 3);
    await dismiss(second.id);
    const third = await weightOfNext();
    expect(third.weight).toBeCloseTo(2 / 4);
    await dismiss(third.id);
    expect((await weightOfNext()).weight).toBeCloseTo(2 / 5);
  });
});

describe('moderating reports', () => {
  it('lists the Reported queue by weighted score, with reasons and their weights', async () => {
    await createSite(ctx, 'rep-q', { moderation: 'none', reportHideThreshold: null });
    await createUser(ctx, 'rep-q-mod@example.com', 'moderator', ['rep-q']);
    const low = await published('rep-q');
    const high = await published('rep-q');
    const unqueued = await published('rep-q');
    for (let i = 0; i < 2; i++) await report(low, { reason: 'spam', reporterToken: token() }, { siteId: 'rep-q' });
    const r = await reliableReporter('rep-q', 2);
    await report(high, { reason: 'abuse', reporterToken: r.token }, { siteId: 'rep-q', ip: r.ip });
    await report(high, { reason: 'spam', reporterToken: token() }, { siteId: 'rep-q' });
    await report(high, { reason: 'abuse', reporterToken: token() }, { siteId: 'rep-q' });
    await report(unqueued, { reason: 'spam', reporterToken: token() }, { siteId: 'rep-q' });
    const res = await api(ctx, 'GET', '/api/v1/moderation/reports?siteId=rep-q', bearer(adminToken));
    expect(res.status).toBe(200);
    expect(res.body.comments.map((c: { comment: { id: string } }) => c.comment.id)).toEqual([high, low]);
    const top = res.body.comments[0];
    expect(top.score).toBeCloseTo(0.75 + 1);
    expect(top.reasons).toEqual([
      { reason: 'abuse', count: 2, weight: 1.25 },
      { reason: 'spam', count: 1, weight: 0.5 },
    ]);
    expect(typeof top.firstReportedAt).toBe('string');
    expect(top.reports).toHaveLength(3);
    const one = await api(ctx, 'GET', `/api/v1/moderation/comments/${unqueued}/reports`, bearer(adminToken));
    expect(one.body.reports).toHaveLength(1);
  });

  it('dismissing publishes a hidden comment again; upholding rejects it; neither twice', async () => {
    // Fresh pairs each time: a dismissal lowers the reporters' reliability below the threshold.
    const hide = async () => {
      const a = await reliableReporter('rep-low', 3);
      const b = await reliableReporter('rep-low', 3);
      const id = await published('rep-low');
      await report(id, { reason: 'abuse', reporterToken: a.token }, { siteId: 'rep-low', ip: a.ip });
      await report(id, { reason: 'abuse', reporterToken: b.token }, { siteId: 'rep-low', ip: b.ip });
      expect(await statusOf(id)).toBe('pending');
      return id;
    };
    const dismissed = await hide();
    const res = await dismiss(dismissed);
    expect(res.status).toBe(200);
    expect(res.body.comment.status).toBe('approved');
    expect(res.body.reports.map((r: { outcome: string }) => r.outcome)).toEqual(['dismissed', 'dismissed']);
    expectProblem(await dismiss(dismissed), 404);
    const resolved = (await eventsOf(dismissed)).filter((e) => e.type === 'report.resolved');
    expect(resolved.map((e) => e.payload.data.report)).toEqual([
      { outcome: 'dismissed', reports: 2, score: 1.6, reasons: [{ reason: 'abuse', count: 2, weight: 1.6 }] },
    ]);
    expect(resolved[0]!.payload.data.comment.status).toBe('approved');

    const upheld = await hide();
    const up = await uphold(upheld);
    expect(up.status).toBe(200);
    expect(up.body.comment.status).toBe('rejected');
    expect(await statusOf(upheld)).toBe('rejected');
    expect((await eventsOf(upheld)).map((e) => e.type).slice(-2)).toEqual(['comment.rejected', 'report.resolved']);
    expectProblem(await uphold(upheld), 404);
  });

  it("refuses other sites' moderators", async () => {
    await createSite(ctx, 'rep-other', { moderation: 'none' });
    const id = await published('rep-other');
    await report(id, { reason: 'spam' }, { siteId: 'rep-other' });
    for (const [method, path, body] of [
      ['GET', '/api/v1/moderation/reports?siteId=rep-other', undefined],
      ['GET', `/api/v1/moderation/comments/${id}/reports`, undefined],
      ['POST', `/api/v1/moderation/comments/${id}/reports/dismiss`, {}],
      ['POST', `/api/v1/moderation/comments/${id}/reports/uphold`, { action: 'reject' }],
    ] as const) {
      expectProblem(await api(ctx, method, path, bearer(modToken), body), 403);
      expectProblem(await api(ctx, method, path, {}, body), 401);
    }
    expect((await reportRows(id))[0]!.outcome).toBe('open');
    expect(await statusOf(id)).toBe('approved');
  });
});

describe('erasure', () => {
  it('clears the reports of erased comments and the notices the erased author filed', async () => {
    const reported = await published();
    await report(reported, { reason: 'other', detail: 'quotes the comment' });
    const target = await published();
    const email = `notifier-${randomUUID()}@example.com`;
    await submit(ctx, 'rep', { email });
    await report(target, {
      reason: 'illegal',
      law: 'Law 1',
      explanation: 'Why',
      reporterName: 'Nora Notifier',
      reporterEmail: email,
      goodFaith: true,
    });
    const actor = { type: 'cli' as const, id: 'test' };
    await ctx.container.erasure.eraseComment(actor, reported);
    expect(await reportRows(reported)).toHaveLength(0);
    await ctx.container.erasure.eraseAuthor(actor, 'rep', email);
    const [row] = await reportRows(target);
    expect(row!.notice).toBeNull();
    expect(JSON.stringify(row)).not.toContain('Nora');
  });

  it("takes the erased author's name and address out of an ordinary report they wrote about someone else", async () => {
    const email = `reader-${randomUUID()}@example.com`;
    await submit(ctx, 'rep', { email, name: 'Rosa Reporter' });
    const target = await published();
    await report(target, { reason: 'other', detail: `I am Rosa Reporter, ${email.toUpperCase()}; this is off topic` });
    await ctx.container.erasure.eraseAuthor({ type: 'cli', id: 'test' }, 'rep', email);
    const [row] = await reportRows(target);
    // The report itself stays (it is about another person's comment), its text without them.
    expect(row!.detail).toBe('I am [erased], [erased]; this is off topic');
  });
});
