// Bans that reach further (issue 13, item 6): "also reject their held comments" in the ban's one
// transaction (each a logged transition with its events), domain and IP bans previewed with their
// counts and refused without a confirmation, webmail domains refused without an override, on the
// API, the dashboard and the CLI; banned authors marked on their cards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/auth/user.service.ts';
import { runCli } from '../../src/cli/program.ts';
import { inTransaction } from '../../src/db/database.ts';
import type { Principal } from '../../src/domain/principal.ts';
import {
  api,
  bearer,
  createUser,
  dashboardGet,
  dashboardPost,
  type Session,
  signIn,
  tokenFor,
} from '../support/accounts.ts';
import { approve, createSite, expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let modAuth: Record<string, string>;
let modSession: Session;
let moderator: User;
beforeAll(async () => {
  // A trusted proxy lets the tests choose the author's IP with X-Forwarded-For.
  ctx = await createTestContext({ TRUST_PROXY: 'true' });
  await createSite(ctx, 'bi', { moderation: 'all' });
  await createSite(ctx, 'bi-other', { moderation: 'all' });
  moderator = await createUser(ctx, 'bi-mod@example.com', 'moderator', ['bi']);
  modAuth = bearer(await tokenFor(ctx, moderator));
  modSession = await signIn(ctx, 'bi-mod@example.com');
});
afterAll(() => ctx.close());

const db = () => ctx.container.database.db;
const ban = (body: Record<string, unknown>) =>
  api(ctx, 'POST', '/api/v1/moderation/bans', modAuth, { siteId: 'bi', ...body });
const held = async (site: string, email: string, ip = '198.51.100.1', extra: Record<string, unknown> = {}) =>
  (await submit(ctx, site, { email, articleId: 'bi-article', ...extra }, { 'x-forwarded-for': ip })).body.id as string;
const statusOf = async (id: string) =>
  (await db().selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const bansOn = async (site: string) =>
  (await db().selectFrom('bans').select('value').where('site_id', '=', site).execute()).map((b) => b.value);
const logOf = (id: string) =>
  db().selectFrom('moderation_log').selectAll().where('comment_id', '=', id).orderBy('id').execute();
const eventsOf = async (id: string) =>
  (await db().selectFrom('events').select('type').where('comment_id', '=', id).orderBy('created_at').execute()).map(
    (e) => e.type,
  );
/** Everything a ban with rejections writes, to show a refused one wrote none of it. */
const footprint = async () => ({
  bans: (await db().selectFrom('bans').select('id').execute()).length,
  log: (await db().selectFrom('moderation_log').select('id').execute()).length,
  events: (await db().selectFrom('events').select('id').execute()).length,
  audit: (await db().selectFrom('audit_log').select('id').execute()).length,
});

describe('a ban that also rejects the held comments', () => {
  it("rejects exactly the author's held comments on that site, each logged with its event", async () => {
    const email = 'troll@example.net';
    const a = await held('bi', email);
    const b = await held('bi', 'TROLL@example.net');
    const published = await held('bi', email);
    await approve(ctx, published);
    const elsewhere = await held('bi-other', email);
    const friend = await held('bi', 'friend@example.net');

    const res = await ban({ kind: 'email', value: email, reason: 'abuse', rejectHeld: true });
    expect(res.status, res.text).toBe(201);
    expect([...res.body.rejected].sort()).toEqual([a, b].sort());
    expect(await statusOf(a)).toBe('rejected');
    expect(await statusOf(b)).toBe('rejected');
    expect(await statusOf(published)).toBe('approved');
    expect(await statusOf(elsewhere)).toBe('pending');
    expect(await statusOf(friend)).toBe('pending');

    const last = (await logOf(a)).at(-1)!;
    expect(last).toMatchObject({
      from_status: 'pending',
      to_status: 'rejected',
      actor_type: 'user',
      actor_id: moderator.id,
      note: 'Banned by email: abuse',
    });
    expect(await eventsOf(a)).toEqual(['comment.created', 'comment.pending', 'comment.rejected']);
    expect(await eventsOf(friend)).not.toContain('comment.rejected');
    expect(await eventsOf(published)).not.toContain('comment.rejected');
    const audit = await ctx.container.admin.auditLog({ siteId: 'bi', action: 'ban.create', limit: 10 });
    expect(audit.entries[0]!.details).toMatchObject({ kind: 'email', value: email, rejectedHeld: 2 });
  });

  it('without the flag leaves the held comments alone', async () => {
    const c = await held('bi', 'quiet@example.net');
    const res = await ban({ kind: 'email', value: 'quiet@example.net' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.rejected).toEqual([]);
    expect(await statusOf(c)).toBe('pending');
  });

  it('is one transaction: when it fails, neither the ban nor any rejection, log row, event or audit row stays', async () => {
    const c = await held('bi', 'rollback@example.net');
    const before = await footprint();
    const admin: Principal = {
      userId: moderator.id,
      email: moderator.email,
      role: 'moderator',
      siteIds: ['bi'],
      via: 'token',
      sessionId: null,
    };
    await expect(
      inTransaction(db(), async (tx) => {
        const done = await ctx.container.bans
          .withTx(tx)
          .create(admin, { siteId: 'bi', kind: 'email', value: 'rollback@example.net', rejectHeld: true });
        expect(done.rejected).toEqual([c]);
        throw new Error('a later step of the caller fails');
      }),
    ).rejects.toThrow('a later step');
    expect(await statusOf(c)).toBe('pending');
    expect(await footprint()).toEqual(before);
    expect(await bansOn('bi')).not.toContain('rollback@example.net');
  });
});

describe('domain and IP bans', () => {
  it('are refused without a confirmation, naming how many authors and comments they would hit, and change nothing', async () => {
    const one = await held('bi', 'a@farm.example');
    await held('bi', 'b@mail.farm.example');
    const published = await held('bi', 'a@farm.example');
    await approve(ctx, published);
    await held('bi', 'c@FARM.example');
    await held('bi', 'd@notfarm.example');
    await held('bi-other', 'e@farm.example');
    const before = await footprint();

    const refused = expectProblem(await ban({ kind: 'domain', value: 'farm.example', rejectHeld: true }), 409);
    expect(refused.code).toBe('confirmation_required');
    expect(refused.detail).toContain('would hit 3 authors and 4 comments (3 held)');
    expect(await footprint()).toEqual(before);
    expect(await statusOf(one)).toBe('pending');

    const preview = await api(ctx, 'POST', '/api/v1/moderation/bans/preview', modAuth, {
      siteId: 'bi',
      kind: 'domain',
      value: '@Farm.Example',
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toEqual({
      siteId: 'bi',
      kind: 'domain',
      value: 'farm.example',
      authors: 3,
      comments: 4,
      held: 3,
      webmail: false,
      needsConfirmation: true,
      existing: null,
    });
    expect(await footprint()).toEqual(before);

    const confirmed = await ban({ kind: 'domain', value: 'farm.example', rejectHeld: true, confirm: true });
    expect(confirmed.status, confirmed.text).toBe(201);
    expect(confirmed.body.rejected).toHaveLength(3);
    expect(await statusOf(one)).toBe('rejected');
    expect(await statusOf(published)).toBe('approved');
  });

  it('by IP count the comments inside the address or range', async () => {
    await held('bi', 'ip1@example.org', '203.0.113.9');
    await held('bi', 'ip2@example.org', '203.0.113.9');
    await held('bi', 'ip3@example.org', '203.0.113.200');
    const before = await footprint();
    const single = expectProblem(await ban({ kind: 'ip', value: '203.0.113.9' }), 409);
    expect(single.detail).toContain('would hit 2 authors and 2 comments (2 held)');
    const range = expectProblem(await ban({ kind: 'ip', value: '203.0.113.0/24' }), 409);
    expect(range.detail).toContain('would hit 3 authors and 3 comments (3 held)');
    expect(await footprint()).toEqual(before);
    const done = await ban({ kind: 'ip', value: '203.0.113.0/24', confirm: true, rejectHeld: true });
    expect(done.status, done.text).toBe(201);
    expect(done.body.rejected).toHaveLength(3);
  });

  it('of a webmail domain need an explicit override, even confirmed', async () => {
    const before = await footprint();
    for (const value of [
      'gmail.com',
      'googlemail.com',
      'outlook.com',
      'gmx.de',
      'yahoo.co.uk',
      'proton.me',
      'qq.com',
    ]) {
      const res = expectProblem(await ban({ kind: 'domain', value, confirm: true }), 422);
      expect(res.code, value).toBe('webmail_domain');
    }
    expect(await footprint()).toEqual(before);
    const preview = await api(ctx, 'POST', '/api/v1/moderation/bans/preview', modAuth, {
      siteId: 'bi',
      kind: 'domain',
      value: 'web.de',
    });
    expect(preview.body.webmail).toBe(true);
    const allowed = await ban({ kind: 'domain', value: 'gmail.com', confirm: true, allowWebmail: true });
    expect(allowed.status, allowed.text).toBe(201);
    // A company's own domain is no webmail.
    expect((await ban({ kind: 'domain', value: 'gmail-fans.example', confirm: true })).status).toBe(201);
  });

  it('take bad flags as 400 and refuse another site to its moderator, changing nothing', async () => {
    expectProblem(await ban({ kind: 'domain', value: 'x.example', confirm: 'yes' }), 400);
    const theirs = await held('bi-other', 'victim@other.example');
    const before = await footprint();
    for (const path of ['/api/v1/moderation/bans', '/api/v1/moderation/bans/preview'])
      expectProblem(
        await api(ctx, 'POST', path, modAuth, {
          siteId: 'bi-other',
          kind: 'domain',
          value: 'other.example',
          confirm: true,
          rejectHeld: true,
        }),
        403,
      );
    const page = await dashboardPost(ctx, '/dashboard/bans', modSession, {
      siteId: 'bi-other',
      kind: 'domain',
      value: 'other.example',
      duration: '',
    });
    expect(page.status).toBe(403);
    expect(await statusOf(theirs)).toBe('pending');
    expect(await footprint()).toEqual(before);
  });
});

describe('the dashboard', () => {
  it('shows a domain ban its counts on a confirmation page, and bans (rejecting the held ones) only on the second post', async () => {
    const c1 = await held('bi', 'x@dash.example');
    await held('bi', 'y@dash.example');
    const before = await footprint();
    const form = { siteId: 'bi', kind: 'domain', value: 'dash.example', duration: '7', reason: 'spam run' };
    const first = await dashboardPost(ctx, '/dashboard/bans', modSession, { ...form, rejectHeld: '1' });
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain('would hit <strong>2 authors and 2 comments (2 held)</strong>');
    expect(html).toContain('name="confirm" value="1"');
    expect(html).toMatch(/name="rejectHeld" value="1" checked/);
    expect(await footprint()).toEqual(before);

    const second = await dashboardPost(ctx, '/dashboard/bans', modSession, { ...form, rejectHeld: '1', confirm: '1' });
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe('/dashboard/bans?done=banned&rejected=2');
    expect(await statusOf(c1)).toBe('rejected');
    const after = await dashboardGet(ctx, second.headers.get('location')!, modSession);
    expect(after.text).toContain('The ban is in force. 2 held comments were rejected.');
  });

  it('asks for the webmail override on the confirmation page, and refuses the ban without it', async () => {
    const before = await footprint();
    const form = { siteId: 'bi', kind: 'domain', value: 'hotmail.com', duration: '' };
    const first = await dashboardPost(ctx, '/dashboard/bans', modSession, form);
    const html = await first.text();
    expect(html).toContain('is a webmail domain');
    expect(html).toContain('name="allowWebmail"');
    const refused = await dashboardPost(ctx, '/dashboard/bans', modSession, { ...form, confirm: '1' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('hotmail.com is a webmail domain');
    expect(await footprint()).toEqual(before);
    const done = await dashboardPost(ctx, '/dashboard/bans', modSession, { ...form, confirm: '1', allowWebmail: '1' });
    expect(done.status).toBe(303);
    expect(await bansOn('bi')).toContain('hotmail.com');
  });

  it('offers "also reject their held comments" on the ban forms, and an email ban needs no confirmation', async () => {
    const c = await held('bi', 'formed@example.org');
    const detail = await dashboardGet(ctx, `/dashboard/comments/${c}`, modSession);
    expect(detail.text).toContain('Also reject their held comments');
    expect((await dashboardGet(ctx, '/dashboard/bans', modSession)).text).toContain('Also reject their held comments');
    const res = await dashboardPost(ctx, '/dashboard/bans', modSession, {
      siteId: 'bi',
      kind: 'email',
      value: 'formed@example.org',
      duration: '',
      rejectHeld: '1',
      return: `/dashboard/comments/${c}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/dashboard/comments/${c}?banned=1&rejected=1`);
    expect(await statusOf(c)).toBe('rejected');
  });

  it('marks the cards of banned authors, and warns when an email posted under other names', async () => {
    const banned = await held('bi', 'marked@example.org', '198.51.100.50', { name: 'Marked One' });
    const other = await held('bi', 'marked@example.org', '198.51.100.50', { name: 'Marked Two' });
    const clean = await held('bi', 'clean@example.org', '198.51.100.51');
    expect((await ban({ kind: 'email', value: 'marked@example.org' })).status).toBe(201);
    const page = await dashboardGet(ctx, '/dashboard/queue?status=pending&site=bi', modSession);
    const cardOf = (id: string) => page.text.slice(page.text.indexOf(`id="c-${id}"`)).split('<li class="card"')[0]!;
    expect(cardOf(banned)).toContain('Banned author: the email <bdi>marked@example.org</bdi> is banned on this site');
    expect(cardOf(other)).toContain('This email has also posted as <bdi>Marked One</bdi>');
    expect(cardOf(clean)).not.toContain('Banned author');
    expect(cardOf(clean)).not.toContain('also posted as');
    const api1 = await api(ctx, 'GET', `/api/v1/moderation/comments/${banned}`, modAuth);
    expect(api1.body.comment.ban).toMatchObject({ kind: 'email', value: 'marked@example.org', expiresAt: null });
  });
});

describe('the CLI', () => {
  const cli = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  };

  it('bans:preview counts, bans:create needs --yes for a domain, and --reject-held rejects as the CLI', async () => {
    const c = await held('bi', 'someone@cli.example');
    const before = await footprint();
    const preview = await cli('bans:preview', '--site', 'bi', '--kind', 'domain', '--value', 'cli.example');
    expect(preview.out).toContain('would hit 1 author and 1 comment (1 held)');
    const refused = await cli('bans:create', '--site', 'bi', '--kind', 'domain', '--value', 'cli.example');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('would hit 1 author and 1 comment (1 held)');
    const webmail = await cli('bans:create', '--site', 'bi', '--kind', 'domain', '--value', 'icloud.com', '--yes');
    expect(webmail.code).toBe(1);
    expect(webmail.err).toContain('webmail');
    expect(await footprint()).toEqual(before);
    const done = await cli(
      'bans:create',
      '--site',
      'bi',
      '--kind',
      'domain',
      '--value',
      'cli.example',
      '--yes',
      '--reject-held',
    );
    expect(done.code, done.err).toBe(0);
    expect(JSON.parse(done.out).rejected).toEqual([c]);
    expect((await logOf(c)).at(-1)).toMatchObject({ to_status: 'rejected', actor_type: 'cli' });
  });
});
