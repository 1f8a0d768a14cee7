// Reader subscriptions end to end against a real SMTP server process (smtp-server, parsed with
// mailparser), on PGlite and PostgreSQL: double opt-in, a notice only when a reply is published,
// one-click unsubscribe, bounces and outages, erasure, and bad links refused without a change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { countUndispatched } from '../../src/events/outbox.repository.ts';
import { signToken } from '../../src/shared/signed-token.ts';
import { api, bearer, createUser, dashboardGet, signIn, tokenFor } from '../support/accounts.ts';
import { approve, call, createSite, expectProblem, postForm, submit } from '../support/http.ts';
import { type ReceivedMail, type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let receiver: SmtpReceiver;
const SITE = 'mailsite';

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  ctx = await createTestContext(
    { SMTP_URL: receiver.url, MAIL_FROM: 'Example News <noreply@example.com>', PUBLIC_URL: 'https://comments.example' },
    { smtpTimeouts: { connectionMs: 1_000, greetingMs: 1_000, socketMs: 3_000 } },
  );
  await createSite(ctx, SITE, { moderation: 'all' });
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx?.close();
  await receiver?.stop();
});

/** Every event handed over and every events/mail job run: whatever mail is due has been sent. */
async function settled(): Promise<void> {
  await ctx.container.relay.drain();
  await waitUntil(
    async () => {
      if ((await countUndispatched(ctx.container.database.db)) > 0) return false;
      const c = await ctx.container.queue.counts();
      return c.events.waiting + c.events.active + c.mail.waiting + c.mail.active === 0;
    },
    20_000,
    'queues to settle',
  );
}

const to = (address: string) => receiver.messages.filter((m) => m.envelope.to.includes(address));
const linkIn = (m: ReceivedMail, path: string) => {
  const found = (m.parsed.text ?? '').match(new RegExp(`https://comments\\.example${path}\\?token=[A-Za-z0-9_.-]+`));
  if (!found) throw new Error(`no ${path} link in: ${m.parsed.text}`);
  return found[0].replace('https://comments.example', '');
};
const post = (path: string, body = '', headers: Record<string, string> = {}) =>
  call(ctx, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
const approved = async (overrides: Record<string, unknown>) => {
  const res = await submit(ctx, SITE, overrides);
  expect(res.status).toBe(201);
  await approve(ctx, res.body.id);
  return res.body.id as string;
};

/** A published comment by `email` with a confirmed 'replies' subscription; returns its id. */
async function subscribed(email: string): Promise<{ commentId: string; confirmation: ReceivedMail }> {
  const res = await submit(ctx, SITE, { email, name: 'Ada Reader', notify: 'replies' });
  expect(res.status).toBe(201);
  await approve(ctx, res.body.id);
  const [confirmation] = await waitUntil(async () => to(email).length > 0 && to(email), 10_000, 'confirmation');
  expect((await post(linkIn(confirmation!, '/mail/confirm'))).status).toBe(200);
  return { commentId: res.body.id, confirmation: confirmation! };
}

describe('reader subscriptions (double opt-in)', () => {
  it('mails a confirmation, sends nothing before the click, then one notice per published reply', async () => {
    const email = 'ada@example.org';
    const top = await submit(ctx, SITE, { email, name: 'Ada Reader', notify: 'replies', body: 'First!' });
    expect(top.status).toBe(201);
    expect(top.body.status).toBe('pending');
    expect(top.text).not.toContain(email);
    await approve(ctx, top.body.id);
    await settled();
    const [confirmation, ...more] = to(email);
    expect(more).toEqual([]);
    expect(confirmation!.parsed.subject).toBe('Confirm: email me replies on article-1');
    expect(confirmation!.parsed.from?.text).toBe('"Example News" <noreply@example.com>');
    expect(confirmation!.parsed.text).toContain('Nothing will be sent until you confirm');
    expect(confirmation!.parsed.html).toContain('/mail/confirm?token=');
    expect(confirmation!.headerLines('List-Unsubscribe-Post')).toEqual([
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    ]);

    // A published reply before the confirmation: nothing.
    await approved({ parentId: top.body.id, name: 'Grace', body: 'Too early' });
    await settled();
    expect(to(email)).toHaveLength(1);

    // The confirmation page (GET changes nothing), then the click, once.
    const confirm = linkIn(confirmation!, '/mail/confirm');
    const page = await call(ctx, confirm, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post"');
    expect((await ctx.container.subscriptions.listOfAddress(email))[0]!.confirmedAt).toBeNull();
    const done = await post(confirm);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ confirmed: true, kind: 'replies' });
    const [sub] = await ctx.container.subscriptions.listOfAddress(email);
    expect(sub!.confirmedAt).not.toBeNull();
    expectProblem(await post(confirm), 409);
    expect((await ctx.container.subscriptions.listOfAddress(email))[0]!.confirmedAt).toBe(sub!.confirmedAt);

    // A held reply: none until approved; then exactly one.
    const held = await submit(ctx, SITE, {
      parentId: top.body.id,
      name: 'Grace Hopper',
      body: 'A <b>reply</b> & more',
    });
    expect(held.body.status).toBe('pending');
    await settled();
    expect(to(email)).toHaveLength(1);
    await approve(ctx, held.body.id);
    await settled();
    const notices = to(email).slice(1);
    expect(notices).toHaveLength(1);
    const notice = notices[0]!;
    expect(notice.parsed.subject).toBe('Grace Hopper replied to your comment on article-1');
    expect(notice.parsed.text).toContain('> A <b>reply</b> & more');
    expect(notice.parsed.html).toContain('A &lt;b&gt;reply&lt;/b&gt; &amp; more');
    expect(notice.headerLines('List-Unsubscribe')[0]).toMatch(
      /^List-Unsubscribe: <https:\/\/comments\.example\/mail\/unsubscribe\?token=[^>]+>$/,
    );
    expect(notice.headerLines('List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    expect(notice.parsed.text).toContain('Unsubscribe from everything on Site mailsite');

    // A rejected reply: never.
    const rejected = await submit(ctx, SITE, { parentId: top.body.id, body: 'Rejected reply' });
    await ctx.container.moderation.setStatus(rejected.body.id, 'rejected', { type: 'cli', id: 'test' });
    await settled();
    expect(to(email)).toHaveLength(2);

    // RFC 8058 one-click: the POST a mail provider sends, then no more mail.
    const oneClick = notice.headerLines('List-Unsubscribe')[0]!.match(/<https:\/\/comments\.example([^>]+)>/)![1]!;
    const off = await post(oneClick, 'List-Unsubscribe=One-Click');
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ unsubscribed: true, scope: 'subscription' });
    expect(await ctx.container.subscriptions.listOfAddress(email)).toEqual([]);
    await approved({ parentId: top.body.id, body: 'After unsubscribing' });
    await settled();
    expect(to(email)).toHaveLength(2);
  });

  it('the no-JS form subscribes to the whole thread; the writer of a comment is not told of their own', async () => {
    const email = 'thread@example.org';
    const form = await postForm(ctx, `/api/v1/sites/${SITE}/comments`, {
      articleId: 'article-2',
      name: 'Thread Reader',
      email,
      body: 'Subscribing to all of it',
      notify: 'thread',
    });
    expect(form.status).toBe(201);
    const [sub] = await ctx.container.subscriptions.listOfAddress(email);
    expect(sub).toMatchObject({ kind: 'thread', articleId: 'article-2', confirmedAt: null });
    await settled();
    expect((await post(linkIn(to(email)[0]!, '/mail/confirm'))).status).toBe(200);
    await approved({ articleId: 'article-2', email, body: 'My own second comment' });
    await approved({ articleId: 'article-2', name: 'Other', body: 'Someone else on the thread' });
    await settled();
    const notices = to(email).slice(1);
    expect(notices.map((m) => m.parsed.subject)).toEqual(['New comment on article-2']);
    expect(notices[0]!.parsed.text).toContain('Someone else on the thread');
  });

  it('a whole-site unsubscribe keeps only a hash and stops every mail, confirmations included', async () => {
    const email = 'leaving@example.org';
    const { commentId, confirmation } = await subscribed(email);
    const siteWide = confirmation.parsed.text!.match(/Never email me from Site mailsite: (\S+)/)![1]!;
    const off = await post(siteWide.replace('https://comments.example', ''));
    expect(off.body).toEqual({ unsubscribed: true, scope: 'site' });
    const rows = await ctx.container.database.db
      .selectFrom('mail_suppressions' as never)
      .selectAll()
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('@');
    await approved({ parentId: commentId, body: 'Reply after leaving' });
    await submit(ctx, SITE, { email, notify: 'replies', body: 'Trying again' });
    await settled();
    expect(to(email)).toHaveLength(1);
    expect(await ctx.container.subscriptions.listOfAddress(email)).toEqual([]);
  });

  it('an SMTP outage delays the notice without losing it; a refused recipient is suppressed', async () => {
    const email = 'patient@example.org';
    const { commentId } = await subscribed(email);
    await receiver.stop();
    const retries = () => jobOutcome('mail', 'retry');
    const before = await retries();
    await approved({ parentId: commentId, name: 'Late', body: 'Sent during the outage' });
    await waitUntil(async () => (await retries()) > before, 20_000, 'a failed mail attempt');
    expect(to(email)).toHaveLength(1);
    await receiver.start();
    const [notice] = await waitUntil(async () => to(email).length > 1 && to(email).slice(1), 20_000, 'the notice');
    expect(notice!.parsed.text).toContain('Sent during the outage');

    const bouncing = 'bounce@example.org';
    const sub = await subscribed(bouncing);
    receiver.refuseNext(1, { code: 550, message: 'No such user', at: 'rcpt' });
    await approved({ parentId: sub.commentId, body: 'To a gone mailbox' });
    await settled();
    expect(to(bouncing)).toHaveLength(1);
    expect(await ctx.container.subscriptions.listOfAddress(bouncing)).toEqual([]);
  });

  it('erasing the author removes their subscriptions', async () => {
    const email = 'erase-me@example.org';
    await subscribed(email);
    expect(await ctx.container.subscriptions.listOfAddress(email)).toHaveLength(1);
    await ctx.container.erasure.eraseAuthor({ type: 'cli', id: 'test' }, SITE, email);
    expect(await ctx.container.subscriptions.listOfAddress(email)).toEqual([]);
  });
});

describe('bad links and hostile input change nothing', () => {
  it('refuses forged, expired, foreign and junk tokens with 400 problem+json', async () => {
    const email = 'target@example.org';
    const res = await submit(ctx, SITE, { email, notify: 'replies' });
    await settled();
    const real = linkIn(to(email)[0]!, '/mail/confirm');
    const token = new URL(`https://x${real}`).searchParams.get('token')!;
    const id = (await ctx.container.subscriptions.listOfAddress(email))[0]!.id;
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const expired = signToken(
      ctx.container.secretKey,
      { purpose: 'confirm', subject: id, ttlSeconds: 60 },
      new Date(Date.now() - 8 * 24 * 3600_000),
    );
    const otherKey = signToken('not the server secret', { purpose: 'confirm', subject: id, ttlSeconds: 600 });
    const unknown = signToken('not the server secret', { purpose: 'unsubscribe', subject: id, ttlSeconds: 600 });
    for (const bad of [tampered, expired, otherKey, 'junk', '']) {
      expectProblem(await post(`/mail/confirm?token=${encodeURIComponent(bad)}`), 400);
    }
    // A confirmation token does not unsubscribe, and an unsubscribe token for an unknown id is forged.
    expectProblem(
      await post(`/mail/unsubscribe?token=${encodeURIComponent(token)}`, 'List-Unsubscribe=One-Click'),
      400,
    );
    expectProblem(await post(`/mail/unsubscribe?token=${encodeURIComponent(unknown)}`), 400);
    const html = await call(ctx, '/mail/confirm?token=junk', { method: 'POST', headers: { accept: 'text/html' } });
    expect(html.status).toBe(400);
    expect(html.text).toContain('is not a valid link');
    const [sub] = await ctx.container.subscriptions.listOfAddress(email);
    expect(sub).toMatchObject({ id, confirmedAt: null });
    expect(res.status).toBe(201);
  });

  it('refuses a name or notify value that would inject headers, and keeps names in one header line', async () => {
    const email = 'inject@example.org';
    for (const bad of [
      { name: 'Eve\r\nBcc: evil@example.org' },
      { notify: 'replies\r\nBcc: evil@example.org' },
      { notify: 'all' },
    ]) {
      const res = await submit(ctx, SITE, { email, notify: 'replies', ...bad });
      expectProblem(res, 400);
    }
    expect(await ctx.container.subscriptions.listOfAddress(email)).toEqual([]);
    const res = await submit(ctx, SITE, { email, name: 'Eve\u2028Bcc: evil@example.org', notify: 'replies' });
    expect(res.status).toBe(201);
    await settled();
    const [mail] = to(email);
    expect(mail!.envelope.to).toEqual([email]);
    expect(mail!.headerLines('Bcc')).toEqual([]);
    // One quoted display name: nothing in it became a header or a recipient.
    expect(mail!.headerLines('To')).toEqual(['To: "Eve Bcc: evil@example.org" <inject@example.org>']);
  });
});

async function jobOutcome(queue: string, outcome: string): Promise<number> {
  const metric = await ctx.container.metrics.registry.getSingleMetric('comments_jobs_total')?.get();
  return metric?.values.find((v) => v.labels.queue === queue && v.labels.outcome === outcome)?.value ?? 0;
}

describe('verified authors', () => {
  it('a confirmed address marks the author verified; a site can require it for "first"-mode trust', async () => {
    const strict = 'strict';
    await createSite(ctx, strict, { moderation: 'first', requireVerifiedForTrust: true });
    await createUser(ctx, 'mod@example.com', 'admin');
    const admin = await signIn(ctx, 'mod@example.com');
    const email = 'regular@example.org';
    const first = await submit(ctx, strict, { name: 'Regular', email, notify: 'replies', body: 'My first here' });
    expect(first.body.status).toBe('pending');
    await approve(ctx, first.body.id);
    // Approved before, but not verified: still held, with the reason in words.
    const second = await submit(ctx, strict, { name: 'Regular', email, body: 'Second, unverified' });
    expect(second.body.status).toBe('pending');
    const card = () =>
      dashboardGet(ctx, `/dashboard/comments/${second.body.id}`, admin).then((p) => {
        expect(p.status).toBe(200);
        return p.text;
      });
    expect(await card()).toContain('Returning author, address not verified');
    expect(await card()).not.toContain('class="verified"');
    await settled();
    expect((await post(linkIn(to(email).at(-1)!, '/mail/confirm'))).status).toBe(200);
    const third = await submit(ctx, strict, { name: 'Regular', email, body: 'Third, verified now' });
    expect(third.body.status).toBe('approved');
    expect(await card()).toContain('<span class="verified"');
  });
});

describe('CLI and admin API for subscriptions and test mail', () => {
  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  }

  it("lists and removes an address's subscriptions, and mail:test sends through SMTP", async () => {
    const email = 'ops@example.org';
    await subscribed(email);
    const listed = await cli('subscriptions:list', '--email', email.toUpperCase());
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ kind: 'replies', siteId: SITE, email })]);
    expect(JSON.parse((await cli('subscriptions:remove', '--email', email, '--site', 'other')).out)).toEqual({
      removed: 0,
    });
    expect(JSON.parse((await cli('subscriptions:remove', '--email', email)).out)).toEqual({ removed: 1 });
    expect(JSON.parse((await cli('subscriptions:list', '--email', email)).out)).toEqual([]);

    const count = receiver.messages.length;
    const bad = await cli('mail:test', '--to', 'not an address\r\nBcc: x@example.org');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('must be a valid email address');
    const sent = await cli('mail:test', '--to', 'operator@example.org');
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.out)).toMatchObject({ sent: true, transport: 'smtp' });
    expect(receiver.messages.length).toBe(count + 1);
    expect(receiver.messages.at(-1)!.envelope.to).toEqual(['operator@example.org']);
  });

  it('the admin API lists and removes them; moderators and bad addresses are refused', async () => {
    const email = 'api-reader@example.org';
    await subscribed(email);
    const admin = await createUser(ctx, 'api-admin@example.com', 'admin');
    const moderator = await createUser(ctx, 'api-mod@example.com', 'moderator', [SITE]);
    const asAdmin = bearer(await tokenFor(ctx, admin));
    const path = `/api/v1/admin/subscriptions?email=${encodeURIComponent(email)}`;
    expectProblem(await api(ctx, 'GET', path, bearer(await tokenFor(ctx, moderator))), 403);
    expectProblem(await api(ctx, 'DELETE', '/api/v1/admin/subscriptions?email=nope', asAdmin), 400);
    const listed = await api(ctx, 'GET', path, asAdmin);
    expect(listed.status).toBe(200);
    expect(listed.body.subscriptions).toHaveLength(1);
    expect((await api(ctx, 'DELETE', path, asAdmin)).body).toEqual({ removed: 1 });
    expect((await api(ctx, 'GET', path, asAdmin)).body.subscriptions).toEqual([]);
  });
});

describe('moderator alerts', () => {
  it('immediate: one mail per newly held comment with a credential-free dashboard link; off: none; digests', async () => {
    const site = 'alerted';
    await createSite(ctx, site, { moderation: 'all' });
    await createUser(ctx, 'now@example.com', 'moderator', [site]);
    await createUser(ctx, 'quiet@example.com', 'moderator', [site]);
    await createUser(ctx, 'digest@example.com', 'moderator', [site]);
    await createUser(ctx, 'stranger@example.com', 'moderator', [SITE]);
    const cli = (...argv: string[]) => runCli(argv, ctx.container, { out: () => {}, err: () => {} });
    expect(await cli('alerts:set', '--email', 'now@example.com', '--site', site, '--frequency', 'immediate')).toBe(0);
    expect(await cli('alerts:set', '--email', 'quiet@example.com', '--site', site, '--frequency', 'off')).toBe(0);
    expect(await cli('alerts:set', '--email', 'digest@example.com', '--site', site, '--frequency', 'hourly')).toBe(0);
    // Not their site, and not a frequency: refused.
    expect(await cli('alerts:set', '--email', 'stranger@example.com', '--site', site, '--frequency', 'daily')).toBe(1);
    expect(await cli('alerts:set', '--email', 'now@example.com', '--site', site, '--frequency', 'weekly')).toBe(1);

    const held = await submit(ctx, site, { name: 'Held Writer', body: 'Please review me' });
    await settled();
    const alerts = to('now@example.com');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.parsed.subject).toBe('Comment waiting on Site alerted: Held Writer on article-1');
    const links = alerts[0]!.parsed.text!.match(/https:\/\/comments\.example\/\S+/g)!;
    expect(links).toContain(`https://comments.example/dashboard/comments/${held.body.id}`);
    for (const link of links) expect(link).not.toMatch(/token|session|key=/i);
    expect(to('quiet@example.com')).toEqual([]);
    expect(to('stranger@example.com')).toEqual([]);
    expect(to('digest@example.com')).toEqual([]);

    // The digest: what was held in the period, once per period.
    expect(await ctx.container.alerts.sendDigests(new Date(Date.now() + 1000))).toBe(1);
    const [digest] = to('digest@example.com');
    expect(digest!.parsed.subject).toBe('1 new comment waiting on Site alerted');
    expect(digest!.parsed.text).toContain('Please review me');
    expect(await ctx.container.alerts.sendDigests(new Date(Date.now() + 60_000))).toBe(0);
    expect(to('digest@example.com')).toHaveLength(1);
  });
});
