// Hostile input on the moderation routes of issues 13/15/17, from two moderators at once: a bulk call
// with 10,000 ids, forged expectedStatus values, another site's ids, NUL bytes and lone surrogates in
// ban values and reasons and notes. Each answer is a 4xx problem+json that changed nothing, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, dashboardPost, type Session, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, type JsonResponse, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let a: Record<string, string>;
let b: Record<string, string>;
let deskA: Session;
let mine: string;
let theirs: string;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'hp', { moderation: 'all' });
  await createSite(ctx, 'hp-other', { moderation: 'all' });
  a = bearer(await tokenFor(ctx, await createUser(ctx, 'a@example.com', 'moderator', ['hp'])));
  b = bearer(await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', ['hp'])));
  await createUser(ctx, 'desk@example.com', 'moderator', ['hp']);
  deskA = await signIn(ctx, 'desk@example.com');
  mine = (await submit(ctx, 'hp', { articleId: 'probe' })).body.id;
  theirs = (await submit(ctx, 'hp-other', { articleId: 'probe' })).body.id;
});
afterAll(() => ctx.close());

async function snapshot() {
  const db = ctx.container.database.db;
  const count = async (t: 'bans' | 'moderation_log' | 'events' | 'audit_log') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    bans: await count('bans'),
    log: await count('moderation_log'),
    events: await count('events'),
    audit: await count('audit_log'),
    statuses: await db.selectFrom('comments').select(['id', 'status']).orderBy('id').execute(),
  };
}

function refused(res: JsonResponse, what: string) {
  const info = `${what}: ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, info).toBeGreaterThanOrEqual(400);
  expect(res.status, info).toBeLessThan(500);
  expect(res.headers.get('content-type') ?? '', info).toMatch(/^application\/problem\+json/);
  expect(res.body?.code, info).not.toBe('invalid_value');
}

describe('hostile moderation input', () => {
  it('bulk with 10,000 ids, duplicate ids, non-string ids: 4xx, nothing changed', async () => {
    const before = await snapshot();
    const many = Array.from({ length: 10_000 }, () => mine);
    const distinct = Array.from({ length: 10_000 }, (_, i) => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    for (const ids of [
      distinct,
      [...distinct.slice(0, 499), mine],
      [mine, 42],
      [{ id: mine }],
      'x',
      [],
      null,
      [mine, null],
    ])
      refused(await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, { ids, action: 'approve' }), 'bulk');
    // The same id 10,000 times is one comment: allowed, changes it once.
    const once = await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, {
      ids: many,
      action: 'reject',
      expectedStatus: 'pending',
    });
    expect(once.status, once.text.slice(0, 300)).toBeLessThan(500);
    if (once.status === 200) {
      const after = await snapshot();
      expect(after.log - before.log).toBe(1);
      await api(ctx, 'POST', `/api/v1/moderation/comments/${mine}/undo`, a, { expectedStatus: 'rejected' });
    } else expect(await snapshot()).toEqual(before);
  });

  it("forged expectedStatus values (single, bulk, per id) and another site's ids: 4xx, nothing changed", async () => {
    const before = await snapshot();
    const forged: unknown[] = [
      'APPROVED',
      'deleted ',
      '\u0000',
      'x\ud800',
      '',
      42,
      true,
      ['pending'],
      { pending: true },
      { [mine]: 'nonsense' },
      JSON.parse(`{"${mine}": "__proto__"}`),
      { constructor: 'pending' },
      'a'.repeat(100_000),
    ];
    for (const expectedStatus of forged) {
      refused(
        await api(ctx, 'POST', `/api/v1/moderation/comments/${mine}/approve`, a, { expectedStatus }),
        `single ${JSON.stringify(expectedStatus).slice(0, 40)}`,
      );
      refused(
        await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, {
          ids: [mine],
          action: 'approve',
          expectedStatus,
        }),
        `bulk ${JSON.stringify(expectedStatus).slice(0, 40)}`,
      );
    }
    for (const action of ['approve', 'reject', 'spam', 'restore', 'undo'])
      refused(
        await api(ctx, 'POST', `/api/v1/moderation/comments/${theirs}/${action}`, a, { expectedStatus: 'pending' }),
        `other site ${action}`,
      );
    refused(
      await api(ctx, 'POST', '/api/v1/moderation/comments/bulk', a, {
        ids: [mine, theirs],
        action: 'reject',
        expectedStatus: 'pending',
      }),
      'bulk with another site',
    );
    // The dashboard form posts the same, with forged hidden fields.
    const form = await dashboardPost(ctx, '/dashboard/queue/bulk', deskA, {
      ids: [mine, theirs],
      action: 'approve',
      [`expected.${mine}`]: 'pending',
      return: '/dashboard/queue',
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    const junk = await dashboardPost(ctx, '/dashboard/queue/bulk', deskA, {
      ids: mine,
      action: 'approve',
      [`expected.${mine}`]: '\ud800',
    });
    expect(junk.status).toBeGreaterThanOrEqual(400);
    expect(junk.status).toBeLessThan(500);
    expect(await snapshot()).toEqual(before);
  });

  it('NUL bytes, lone surrogates and oversize values in ban values, reasons and notes: 4xx, nothing stored', async () => {
    const before = await snapshot();
    const nasty = ['\u0000', 'troll\u0000@example.com', 'x\ud800@example.com', '\udfff', 'a'.repeat(10_000)];
    for (const kind of ['email', 'domain', 'ip'])
      for (const value of nasty)
        refused(
          await api(ctx, 'POST', '/api/v1/moderation/bans', a, { siteId: 'hp', kind, value, confirm: true }),
          `ban ${kind} ${JSON.stringify(value).slice(0, 30)}`,
        );
    for (const reason of ['\u0000', 'bad\u0000reason', 'x\ud800', 'a'.repeat(10_000)]) {
      refused(
        await api(ctx, 'POST', '/api/v1/moderation/bans', a, {
          siteId: 'hp',
          kind: 'email',
          value: 'reason-probe@example.com',
          reason,
        }),
        `ban reason ${JSON.stringify(reason).slice(0, 30)}`,
      );
      refused(
        await api(ctx, 'POST', `/api/v1/moderation/comments/${mine}/reject`, a, {
          reason,
          expectedStatus: 'pending',
        }),
        `note ${JSON.stringify(reason).slice(0, 30)}`,
      );
    }
    for (const siteId of ['hp-other', '\u0000', 'x\ud800', 'a'.repeat(1000)])
      refused(
        await api(ctx, 'POST', '/api/v1/moderation/bans', a, { siteId, kind: 'email', value: 'x@example.com' }),
        `ban site ${JSON.stringify(siteId).slice(0, 30)}`,
      );
    // The dashboard's ban form with the same values: a 4xx page, nothing stored.
    for (const value of ['troll\u0000@example.com', 'x\ud800@example.com']) {
      const res = await dashboardPost(ctx, '/dashboard/bans', deskA, { siteId: 'hp', kind: 'email', value });
      expect(res.status, value).toBeGreaterThanOrEqual(400);
      expect(res.status, value).toBeLessThan(500);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("two moderators at once: conflicting decisions, undo after a colleague's decision", async () => {
    const id = (await submit(ctx, 'hp', { articleId: 'probe-race' })).body.id as string;
    const [x, y] = await Promise.all([
      api(ctx, 'POST', `/api/v1/moderation/comments/${id}/approve`, a, { expectedStatus: 'pending' }),
      api(ctx, 'POST', `/api/v1/moderation/comments/${id}/reject`, b, { expectedStatus: 'pending' }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const winner = x.status === 200 ? { who: a, to: 'approved' } : { who: b, to: 'rejected' };
    const loser = x.status === 200 ? b : a;
    // The loser undoes "their" decision: there is none of theirs at this status; refused or conditional.
    const wrongUndo = await api(ctx, 'POST', `/api/v1/moderation/comments/${id}/undo`, loser, {
      expectedStatus: winner.to === 'approved' ? 'rejected' : 'approved',
    });
    refused(wrongUndo, 'undo of a decision the comment does not show');
    expect((await ctx.container.moderation.show(id)).comment.status).toBe(winner.to);
    // Both undo the winning decision at once: one undo.
    const undos = await Promise.all(
      [a, b].map((who) =>
        api(ctx, 'POST', `/api/v1/moderation/comments/${id}/undo`, who, { expectedStatus: winner.to }),
      ),
    );
    expect(undos.map((r) => r.status).sort()).toEqual([200, 409]);
    for (const r of undos.filter((u) => u.status !== 200)) refused(r, 'second undo');
    const log = (await ctx.container.moderation.show(id)).log;
    expect(log.filter((e) => e.note === 'Undo')).toHaveLength(1);
    expect((await ctx.container.moderation.show(id)).comment.status).toBe('pending');
  });
});
