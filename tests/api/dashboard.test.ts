// The dashboard over plain HTTP, as a browser without JavaScript uses it: sign in, security headers,
// the queue with highlighted words and hostile text shown as text, actions and bulk actions by form,
// live-update JSON, settings with validation messages, webhook secrets shown once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, dashboardGet, dashboardPost, PASSWORD, type Session, signIn } from '../support/accounts.ts';
import { createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let admin: Session;
beforeAll(async () => {
  ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  await createSite(ctx, 'dash', { moderation: 'all' });
  await createUser(ctx, 'editor@example.com', 'admin');
  admin = await signIn(ctx, 'editor@example.com');
});
afterAll(() => ctx.close());

const statusOf = async (id: string) => (await ctx.container.moderation.show(id)).comment.status;

describe('signing in with the form', () => {
  it('sets the session cookie and goes where the visitor was going; a wrong password re-shows the form', async () => {
    const login = (password: string, next = '/dashboard/log') =>
      ctx.app.request('http://localhost/dashboard/login', {
        method: 'POST',
        headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'editor@example.com', password, next }).toString(),
      });
    const ok = await login(PASSWORD);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/dashboard/log');
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    const bad = await login('wrong password');
    expect(bad.status).toBe(401);
    const html = await bad.text();
    expect(html).toContain('Wrong email or password.');
    expect(html).toContain('value="editor@example.com"');
    expect((await login(PASSWORD, 'https://evil.example/')).headers.get('location')).toBe('/dashboard/queue');
    expect((await login(PASSWORD, '//evil.example/dashboard')).headers.get('location')).toBe('/dashboard/queue');
  });

  it('locks the form too after repeated failures (429 with Retry-After)', async () => {
    await createUser(ctx, 'locked@example.com', 'moderator');
    const attempt = (password: string) =>
      ctx.app.request('http://localhost/dashboard/login', {
        method: 'POST',
        headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'locked@example.com', password }).toString(),
      });
    for (let i = 0; i < 5; i++) expect((await attempt(`nope ${i}`)).status).toBe(401);
    const locked = await attempt(PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.text()).toContain('Too many failed sign-ins');
  });
});

describe('security headers', () => {
  it('sends a CSP without inline script, frame-ancestors none, nosniff, a referrer policy, and no caching', async () => {
    for (const [path, session] of [
      ['/dashboard/login', null],
      ['/dashboard/queue', admin],
    ] as const) {
      const res = await dashboardGet(ctx, path, session);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
      // No inline script or style anywhere: everything comes from /dashboard/assets.
      expect(res.text.match(/<script[^>]*>/g)).toEqual([
        expect.stringMatching(/^<script src="\/dashboard\/assets\/dashboard\.js\?v=[\w-]+" defer="">$/),
      ]);
      expect(res.text).not.toMatch(/<style|style="/);
    }
    const js = await ctx.app.request('/dashboard/assets/dashboard.js?v=nope');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toBe('no-cache');
  });
});

describe('the queue', () => {
  it('marks matched words and shows hostile text as text', async () => {
    const hostile = await submit(ctx, 'dash', {
      articleId: 'xss',
      name: '<img src=x onerror=alert(1)>',
      body: 'Hi <script>alert("x")</script> <a href="javascript:alert(1)">click</a> you shit',
    });
    expect((await ctx.container.moderation.show(hostile.body.id)).comment.reasons).toContainEqual(
      expect.objectContaining({ code: 'profanity' }),
    );
    const page = await dashboardGet(ctx, '/dashboard/queue', admin);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).toContain(
      'Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt; you <mark title="Matched: shit">shit</mark>',
    );
    expect(page.text).not.toMatch(/<script>alert|<img src=x|href="javascript:/);
    expect(page.text).toContain('<strong>Profanity</strong>');
    expect(page.text).toContain('First comment from this author on this site.');
  });

  it('isolates what readers wrote (<bdi>): an override in a name, a title or a body stays inside it', async () => {
    const rlo = '\u202E';
    const parent = await submit(ctx, 'dash', {
      articleId: 'bidi',
      articleUrl: 'https://news.example/bidi',
      articleTitle: `Title${rlo}`,
      name: `Mallory${rlo}`,
      body: `parent body${rlo}`,
    });
    await ctx.container.moderation.setStatus(parent.body.id, 'approved', { type: 'cli', id: 'test' });
    const reply = await submit(ctx, 'dash', { articleId: 'bidi', parentId: parent.body.id, name: `Eve${rlo}` });
    const queue = await dashboardGet(ctx, '/dashboard/queue?article=bidi', admin);
    expect(queue.text).toContain(`<bdi>Eve${rlo}</bdi>`);
    expect(queue.text).toContain(`<strong><bdi>Mallory${rlo}</bdi></strong> (approved): <bdi>parent body${rlo}</bdi>`);
    expect(queue.text).toContain(`<bdi>Title${rlo}</bdi>`);
    // No reader text shown outside an isolate: each override is directly inside a <bdi> (attributes
    // such as aria-label are not laid out).
    const outside = queue.text
      .split(rlo)
      .slice(0, -1)
      .filter((before) => !/<bdi>[^<]*$/.test(before) && !/="[^"]*$/.test(before));
    expect(outside.map((b) => b.slice(-120))).toEqual([]);
    const detail = await dashboardGet(ctx, `/dashboard/comments/${reply.body.id}`, admin);
    expect(detail.text).toContain(`Comment by <bdi>Eve${rlo}</bdi></h1>`);
  });

  it("offers an IPv6 author's /64 in the ban form, next to the address", async () => {
    const ipv6 = await createTestContext({ TRUST_PROXY: 'true' });
    try {
      await createSite(ipv6, 'dash6', { moderation: 'all' });
      await createUser(ipv6, 'editor6@example.com', 'admin');
      const session = await signIn(ipv6, 'editor6@example.com');
      const c = await submit(ipv6, 'dash6', {}, { 'x-forwarded-for': '2001:db8:42:7:1:2:3:4' });
      const page = await dashboardGet(ipv6, `/dashboard/comments/${c.body.id}`, session);
      expect(page.text).toContain('name="value" value="2001:db8:42:7:1:2:3:4"');
      expect(page.text).toContain('name="value" value="2001:db8:42:7::/64"');
      expect(page.text).toContain('Ban IPv6 network <bdi>2001:db8:42:7::/64</bdi>');
      const banned = await dashboardPost(ipv6, '/dashboard/bans', session, {
        siteId: 'dash6',
        kind: 'ip',
        value: '2001:db8:42:7::/64',
        duration: '',
        reason: '',
        confirm: '1',
      });
      expect(banned.status).toBe(303);
      const next = await submit(ipv6, 'dash6', {}, { 'x-forwarded-for': '2001:db8:42:7:ffff::1' });
      expect((await ipv6.container.moderation.show(next.body.id)).comment.status).toBe('rejected');
    } finally {
      await ipv6.close();
    }
  });

  it('approves one comment and rejects several with plain form posts, then says what happened', async () => {
    const one = (await submit(ctx, 'dash', { articleId: 'forms' })).body.id;
    const many = [
      (await submit(ctx, 'dash', { articleId: 'forms' })).body.id,
      (await submit(ctx, 'dash', { articleId: 'forms' })).body.id,
    ];
    const approved = await dashboardPost(ctx, `/dashboard/comments/${one}/approve`, admin, {
      return: '/dashboard/queue?status=pending',
      reason: 'looks fine',
    });
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toBe('/dashboard/queue?status=pending&done=approve&n=1');
    expect(await statusOf(one)).toBe('approved');
    expect((await ctx.container.moderation.show(one)).log.at(-1)).toMatchObject({
      note: 'looks fine',
      actorType: 'user',
    });
    const bulk = await dashboardPost(ctx, '/dashboard/queue/bulk', admin, {
      ids: many,
      action: 'reject',
      return: '/dashboard/queue?status=pending',
    });
    expect(bulk.headers.get('location')).toBe('/dashboard/queue?status=pending&done=reject&n=2');
    for (const id of many) expect(await statusOf(id)).toBe('rejected');
    const page = await dashboardGet(ctx, bulk.headers.get('location')!, admin);
    expect(page.text).toContain('Rejected 2 comments.');
    const none = await dashboardPost(ctx, '/dashboard/queue/bulk', admin, {
      action: 'reject',
      return: '/dashboard/queue',
    });
    expect((await dashboardGet(ctx, none.headers.get('location')!, admin)).text).toContain(
      'Select at least one comment first.',
    );
  });

  it('shows each tab with its count, and the comment detail with parent, history and log', async () => {
    const parent = (await submit(ctx, 'dash', { articleId: 'tabs', body: 'the parent text' })).body.id;
    await ctx.container.moderation.setStatus(parent, 'approved', { type: 'cli', id: 'test' });
    const reply = (await submit(ctx, 'dash', { articleId: 'tabs', parentId: parent, body: 'the reply' })).body.id;
    const approvedTab = await dashboardGet(ctx, '/dashboard/queue?status=approved&article=tabs', admin);
    expect(approvedTab.text).toMatch(/data-count="approved">1</);
    expect(approvedTab.text).toContain('the parent text');
    const detail = await dashboardGet(ctx, `/dashboard/comments/${reply}`, admin);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('In reply to');
    expect(detail.text).toContain('the parent text');
    expect(detail.text).toContain('Moderation log');
    expect(detail.text).toContain('filters (submission)');
    expect((await dashboardGet(ctx, '/dashboard/comments/01939f0e-8a4c-7cc1-9a0e-1f2d3c4b5a69', admin)).status).toBe(
      404,
    );
  });

  it('answers live-update polls with the new cards as HTML and fresh counts', async () => {
    const page = await dashboardGet(ctx, '/dashboard/queue?status=pending&article=live', admin);
    const after = /data-after="([^"]+)"/.exec(page.text)![1]!;
    const fresh = (await submit(ctx, 'dash', { articleId: 'live', body: 'arrived <b>later</b>' })).body.id;
    const poll = await ctx.app.request(
      `http://localhost/dashboard/queue/poll?status=pending&article=live&after=${after}`,
      { headers: { cookie: admin.cookie, accept: 'application/json' } },
    );
    const body = (await poll.json()) as { counts: Record<string, number>; html: string; after: string };
    expect(body.counts.pending).toBe(1);
    expect(body.html).toContain(`data-id="${fresh}"`);
    expect(body.html).toContain('arrived &lt;b&gt;later&lt;/b&gt;');
    const again = await ctx.app.request(
      `http://localhost/dashboard/queue/poll?status=pending&article=live&after=${body.after}`,
      { headers: { cookie: admin.cookie, accept: 'application/json' } },
    );
    expect(((await again.json()) as { html: string }).html).toBe('');
    const signedOut = await ctx.app.request('http://localhost/dashboard/queue/poll?status=pending', {
      headers: { accept: 'application/json' },
    });
    expect(signedOut.status).toBe(401);
  });
});

describe('admin pages', () => {
  it('saves site settings, and shows each validation message next to its field', async () => {
    const form = {
      name: 'Dash',
      origins: 'https://dash.example\nhttps://www.dash.example',
      moderation: 'first',
      maxDepth: '3',
      closeAfterDays: '',
      revealRejections: 'on',
      spamRetentionDays: '14',
    };
    const saved = await dashboardPost(ctx, '/dashboard/sites/dash', admin, form);
    expect(saved.status).toBe(303);
    expect((await ctx.container.sites.get('dash')).settings).toMatchObject({
      origins: ['https://dash.example', 'https://www.dash.example'],
      moderation: 'first',
      maxDepth: 3,
      closeAfterDays: null,
      revealRejections: true,
      spamRetentionDays: 14,
    });
    const bad = await dashboardPost(ctx, '/dashboard/sites/dash', admin, {
      ...form,
      maxDepth: '40',
      origins: 'ftp://nope',
      spamRetentionDays: 'soon',
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Nothing was saved');
    expect(html).toMatch(/id="set-spamRetentionDays-error">must be a number</);
    expect(html).toContain('value="soon"'); // what was typed stays in the form
    const second = await dashboardPost(ctx, '/dashboard/sites/dash', admin, {
      ...form,
      maxDepth: '40',
      origins: 'ftp://nope',
    });
    const html2 = await second.text();
    expect(html2).toMatch(/id="set-maxDepth-error">must be at most 10</);
    expect(html2).toMatch(/id="set-origins-error">&quot;ftp:\/\/nope&quot; is not an http\(s\) origin/);
    expect(html2).toMatch(/id="set-maxDepth"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="set-maxDepth"/);
    expect((await ctx.container.sites.get('dash')).settings.maxDepth).toBe(3);
  });

  it('shows a new webhook secret once, and lists endpoints without it', async () => {
    const created = await dashboardPost(ctx, '/dashboard/sites/dash/webhooks', admin, {
      url: 'http://127.0.0.1:9/hook',
      events: ['comment.approved'],
    });
    expect(created.status).toBe(201);
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(await created.text())![0];
    const list = await dashboardGet(ctx, '/dashboard/sites/dash/webhooks', admin);
    expect(list.text).toContain('http://127.0.0.1:9/hook');
    expect(list.text).not.toContain(secret);
  });

  it('creates a moderator, creates a token shown once, and refuses demoting the last admin with a message', async () => {
    const created = await dashboardPost(ctx, '/dashboard/users', admin, {
      email: 'desk@example.com',
      role: 'moderator',
      password: 'desk password 123',
      siteIds: 'dash',
    });
    expect(created.status).toBe(303);
    const user = await ctx.container.users.findByEmail('desk@example.com');
    expect(user.siteIds).toEqual(['dash']);
    const token = await dashboardPost(ctx, `/dashboard/users/${user.id}/tokens`, admin, { name: 'desk script' });
    const value = /cmt_[A-Za-z0-9_-]{43}/.exec(await token.text())![0];
    expect((await dashboardGet(ctx, `/dashboard/users/${user.id}`, admin)).text).not.toContain(value);
    const me = await ctx.container.users.findByEmail('editor@example.com');
    const refused = await dashboardPost(ctx, `/dashboard/users/${me.id}`, admin, { role: 'moderator' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('last active administrator');
    const short = await dashboardPost(ctx, '/dashboard/users', admin, {
      email: 'x@example.com',
      role: 'moderator',
      password: 'short',
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toMatch(/id="u-password-error">must be at least 12 characters</);
  });
});
