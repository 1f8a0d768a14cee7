// One ban per value in force: banning an email, domain or IP that is already banned on the site answers
// 409 `ban_exists` naming the ban in force, and writes nothing; two moderators banning it at once make
// exactly one ban (a unique index, migration 0023), through the JSON API, the dashboard form and the CLI.
// A lifted or expired ban does not stand in the way of a new one.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down as indexDown, up as indexUp } from '../../migrations/2026-12-01-0023-one-active-ban.ts';
import { runCli } from '../../src/cli/program.ts';
import { api, bearer, createUser, dashboardPost, type Session, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let a: Record<string, string>;
let b: Record<string, string>;
let deskA: Session;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'dup', { moderation: 'all' });
  await createSite(ctx, 'dup-other', { moderation: 'all' });
  a = bearer(await tokenFor(ctx, await createUser(ctx, 'a@example.com', 'moderator', ['dup', 'dup-other'])));
  b = bearer(await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', ['dup'])));
  deskA = await signIn(ctx, 'a@example.com');
});
afterAll(() => ctx.close());

const ban = (who: Record<string, string>, body: Record<string, unknown>) =>
  api(ctx, 'POST', '/api/v1/moderation/bans', who, { siteId: 'dup', confirm: true, ...body });

async function bansOf(kind: string, value: string, siteId = 'dup') {
  return ctx.container.database.db
    .selectFrom('bans')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('kind', '=', kind as 'email')
    .where('value', '=', value)
    .execute();
}

async function auditCreates(value: string): Promise<number> {
  const rows = await ctx.container.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'ban.create')
    .execute();
  return rows.filter((r) => JSON.stringify(r.details).includes(value)).length;
}

describe('a second ban of what is already banned', () => {
  it('is a 409 ban_exists naming the ban in force (who, when), and writes nothing', async () => {
    const first = await ban(a, { kind: 'email', value: 'troll@example.com', reason: 'abuse' });
    expect(first.status, first.text).toBe(201);
    const again = await ban(b, { kind: 'email', value: '  TROLL@Example.com ', reason: 'again' });
    const p = expectProblem(again, 409);
    expect(p.code).toBe('ban_exists');
    expect(p.detail).toContain(first.body.ban.id);
    expect(p.detail).toContain('a@example.com');
    expect(again.body.conflicts).toEqual([
      { id: first.body.ban.id, current: 'active', changedBy: 'a@example.com', changedAt: first.body.ban.createdAt },
    ]);
    expect(await bansOf('email', 'troll@example.com')).toHaveLength(1);
    expect(await auditCreates('troll@example.com')).toBe(1);
    // Another site is another ban.
    expect((await ban(a, { siteId: 'dup-other', kind: 'email', value: 'troll@example.com' })).status).toBe(201);
  });

  it('says so for a domain or IP before asking for a confirmation, and the preview names the ban in force', async () => {
    expect((await ban(a, { kind: 'domain', value: 'spam.example' })).status).toBe(201);
    const unconfirmed = await ban(b, { kind: 'domain', value: '@SPAM.example', confirm: false });
    expect(expectProblem(unconfirmed, 409).code).toBe('ban_exists');
    const preview = await api(ctx, 'POST', '/api/v1/moderation/bans/preview', b, {
      siteId: 'dup',
      kind: 'domain',
      value: 'spam.example',
    });
    expect(preview.status).toBe(200);
    expect(preview.body.existing).toMatchObject({ createdBy: 'a@example.com', expiresAt: null });

    // The same address written two ways is one ban.
    expect((await ban(a, { kind: 'ip', value: '203.0.113.9' })).status).toBe(201);
    expect(expectProblem(await ban(b, { kind: 'ip', value: '203.0.113.9/32' }), 409).code).toBe('ban_exists');
    expect(await bansOf('ip', '203.0.113.9')).toHaveLength(1);
    // A range containing it is another ban.
    expect((await ban(b, { kind: 'ip', value: '203.0.113.0/24' })).status).toBe(201);
  });

  it('from two moderators at once: exactly one ban, the other answers 409', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => ban(i % 2 ? a : b, { kind: 'email', value: 'race@example.com' })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses, answers.map((r) => r.text.slice(0, 200)).join('\n')).toEqual([
      201, 409, 409, 409, 409, 409, 409, 409,
    ]);
    for (const r of answers.filter((x) => x.status === 409)) expect(r.body.code).toBe('ban_exists');
    expect(await bansOf('email', 'race@example.com')).toHaveLength(1);
    expect(await auditCreates('race@example.com')).toBe(1);
  });

  it('is allowed again once the ban is lifted or has run out', async () => {
    const first = await ban(a, { kind: 'email', value: 'again@example.com' });
    expect((await api(ctx, 'DELETE', `/api/v1/moderation/bans/${first.body.ban.id}`, a)).status).toBe(200);
    const second = await ban(b, { kind: 'email', value: 'again@example.com', expiresAt: '2099-01-01T00:00:00Z' });
    expect(second.status, second.text).toBe(201);
    // It runs out (moved into the past here rather than waited for).
    await ctx.container.database.db
      .updateTable('bans')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', second.body.ban.id)
      .execute();
    const third = await ban(a, { kind: 'email', value: 'again@example.com' });
    expect(third.status, third.text).toBe(201);
    const rows = await bansOf('email', 'again@example.com');
    expect(rows.filter((r) => r.lifted_at === null)).toHaveLength(1);
    expect(rows).toHaveLength(3);
  });

  it('from the dashboard form: a 409 page naming the ban in force, and no second row', async () => {
    const form = { siteId: 'dup', kind: 'email', value: 'form@example.com', reason: 'x' };
    const first = await dashboardPost(ctx, '/dashboard/bans', deskA, form);
    expect(first.status).toBe(303);
    const second = await dashboardPost(ctx, '/dashboard/bans', deskA, form);
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain('already banned');
    expect(html).toContain((await bansOf('email', 'form@example.com'))[0]!.id);
    // A domain already banned gets no confirmation page either.
    const domain = await dashboardPost(ctx, '/dashboard/bans', deskA, {
      siteId: 'dup',
      kind: 'domain',
      value: 'spam.example',
    });
    expect(domain.status).toBe(409);
    expect(await domain.text()).not.toContain('name="confirm"');
    expect(await bansOf('email', 'form@example.com')).toHaveLength(1);
  });

  it('from the CLI: exit 1 naming the ban in force, and no second row', async () => {
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
      return { code, out, err };
    };
    const args = ['bans:create', '--site', 'dup', '--kind', 'email', '--value', 'cli@example.com'];
    expect((await run(...args)).code).toBe(0);
    const second = await run(...args);
    expect(second.code).toBe(1);
    expect(second.err).toContain('already banned');
    expect(second.err).toContain('the command line');
    expect(await bansOf('email', 'cli@example.com')).toHaveLength(1);
    const preview = await run('bans:preview', '--site', 'dup', '--kind', 'email', '--value', 'cli@example.com');
    expect(preview.out).toContain('already banned');
  });
});

describe('migration 0023', () => {
  it('keeps the longest of duplicate bans made before it in force, lifts the rest, then refuses another', async () => {
    const db = ctx.container.database.db;
    await indexDown(db);
    const row = (id: string, expires: Date | null, created: string) => ({
      id,
      site_id: 'dup',
      kind: 'email' as const,
      value: 'old@example.com',
      match_key: 'old-key',
      reason: null,
      created_by_type: 'cli',
      created_by_id: 'cli',
      created_at: new Date(created),
      expires_at: expires,
    });
    await db
      .insertInto('bans')
      .values([
        row('00000000-0000-7000-8000-000000000001', new Date('2099-01-01T00:00:00Z'), '2026-01-01T00:00:00Z'),
        row('00000000-0000-7000-8000-000000000002', null, '2026-01-02T00:00:00Z'),
        row('00000000-0000-7000-8000-000000000003', null, '2026-01-03T00:00:00Z'),
        row('00000000-0000-7000-8000-000000000004', new Date('2020-01-01T00:00:00Z'), '2019-01-03T00:00:00Z'),
      ])
      .execute();
    await indexUp(db);
    const rows = await db.selectFrom('bans').selectAll().where('match_key', '=', 'old-key').orderBy('id').execute();
    expect(rows.filter((r) => r.lifted_at === null).map((r) => r.id)).toEqual(['00000000-0000-7000-8000-000000000002']);
    // The expired one counts as lifted when it ran out.
    expect(rows[3]!.lifted_at?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    await expect(
      sql`insert into bans (id, site_id, kind, value, match_key, created_by_type, created_by_id)
          values ('00000000-0000-7000-8000-000000000005', 'dup', 'email', 'old@example.com', 'old-key', 'cli', 'cli')`.execute(
        db,
      ),
    ).rejects.toThrow();
  });
});
