// Readers' own data ("Manage my comments", issue 18 item 3) end to end against a real SMTP server, on
// PGlite and PostgreSQL: a link is asked for by email (the same answer whether or not the address has
// comments, rate-limited), mailed, opened; the download holds the reader's comments and nothing of
// anyone else; "delete this one" and "delete all" go through erasure, after which no table holds
// anything of theirs. Forged, expired and foreign tokens and cross-site posts are refused, changing
// nothing. The admin's authors:export (CLI and API) is admin-only and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { countUndispatched } from '../../src/events/outbox.repository.ts';
import { signToken } from '../../src/shared/signed-token.ts';
import { buildWidgetScripts } from '../../src/widget/widget-bundle.ts';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { pgDump, tableRowsAsText } from '../support/db-dump.ts';
import { call, createSite, expectProblem, postJson, submit, tableCounts } from '../support/http.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const SITE = 'selfsite';
const ORIGIN = 'https://comments.example';
const AUTHOR = {
  name: 'Wilhelmina Pemberton-Oakes',
  email: 'wilhelmina.oakes@self-serve.example',
  ip: '198.51.100.23',
  userAgent: 'Mozilla/5.0 (PembertonOS) OakesBrowser/3.3',
};
const BODIES = ['First thoughts from Wilhelmina', 'A second one <script>alert(1)</script>', 'Third on another page'];
const OTHER = { name: 'Other Reader Kept', email: 'other.kept@example.com', body: 'a reply by someone else' };

let ctx: TestContext;
let receiver: SmtpReceiver;
const ids: string[] = [];
let link = '';

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  ctx = await createTestContext({
    SMTP_URL: receiver.url,
    MAIL_FROM: 'Example News <noreply@example.com>',
    PUBLIC_URL: ORIGIN,
    TRUST_PROXY: 'true',
  });
  await createSite(ctx, SITE, { moderation: 'none' });
  await createSite(ctx, 'othersite', { moderation: 'none' });
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx?.close();
  await receiver?.stop();
});

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

const fromOwnPage = { origin: ORIGIN };
const ask = (email: string, ip = '192.0.2.1') =>
  postJson(ctx, '/mail/manage', { site: SITE, email }, { ...fromOwnPage, 'x-forwarded-for': ip });
const postForm = (path: string, data: Record<string, string>, headers: Record<string, string> = fromOwnPage) =>
  call(ctx, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
    body: new URLSearchParams(data).toString(),
    redirect: 'manual',
  });
const tokenOf = (path: string) => new URL(path, ORIGIN).searchParams.get('token') ?? '';
const mailTo = (address: string) => receiver.messages.filter((m) => m.envelope.to.includes(address));
async function mailFor(address: string) {
  await waitUntil(async () => mailTo(address).length > 0, 10_000, `a mail to ${address}`);
  return mailTo(address)[0]!;
}

function personal(text: string): string[] {
  const lower = text.toLowerCase();
  return [AUTHOR.name, AUTHOR.email, AUTHOR.ip, AUTHOR.userAgent, ...BODIES, 'Pemberton-Oakes'].filter((v) =>
    lower.includes(v.toLowerCase()),
  );
}

/**
 * The rows that still hold something of the reader: every one must belong to the other site (their
 * comment there, its event), where nobody asked to delete anything.
 */
function leftOnOtherSite(text: string): string[] {
  const rows = text.split('\n').filter((row) => personal(row).length > 0);
  expect(rows.filter((row) => !row.includes('othersite'))).toEqual([]);
  return rows;
}

describe('manage my comments', () => {
  it('mails a signed link to an address with comments, and answers exactly the same for one without', async () => {
    for (const [i, body] of BODIES.entries()) {
      const res = await submit(
        ctx,
        SITE,
        { name: AUTHOR.name, email: AUTHOR.email, body, articleId: i === 2 ? 'article-2' : 'article-1' },
        { 'x-forwarded-for': AUTHOR.ip, 'user-agent': AUTHOR.userAgent },
      );
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.comment.id);
    }
    const reply = await submit(ctx, SITE, { ...OTHER, parentId: ids[0] });
    expect(reply.status, reply.text).toBe(201);
    // The same address on another site: not part of this site's data.
    expect((await submit(ctx, 'othersite', { name: AUTHOR.name, email: AUTHOR.email, body: 'elsewhere' })).status).toBe(
      201,
    );
    await settled();

    const known = await ask(`  ${AUTHOR.email.toUpperCase()} `);
    const unknown = await ask('nobody-here@self-serve.example');
    expect(known.status, known.text).toBe(202);
    expect(unknown.status).toBe(known.status);
    expect(unknown.text).toBe(known.text);
    await settled();
    await mailFor(AUTHOR.email);
    const mails = mailTo(AUTHOR.email);
    expect(mails).toHaveLength(1);
    expect(mailTo('nobody-here@self-serve.example')).toHaveLength(0);
    const text = mails[0]!.parsed.text ?? '';
    const found = text.match(/https:\/\/comments\.example\/mail\/manage\/comments\?token=[A-Za-z0-9_.-]+/);
    expect(found, text).not.toBeNull();
    link = found![0].replace(ORIGIN, '');
  });

  it('links every notification mail and the widget to the page that asks for the address', async () => {
    const page = await call(ctx, `/mail/manage?site=${SITE}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="email"');
    expect(page.text).toContain(`value="${SITE}"`);
    expectProblem(await call(ctx, '/mail/manage?site=no-such-site'), 404);
    const sub = await submit(ctx, SITE, { name: 'Subscriber', email: 'sub@example.com', notify: 'replies' });
    expect(sub.status, sub.text).toBe(201);
    await settled();
    const confirm = await mailFor('sub@example.com');
    expect(confirm.parsed.text).toContain(`Manage my comments: ${ORIGIN}/mail/manage?site=${SITE}`);
    // The widget's footer links to the same page on the service's origin.
    const { embed } = await buildWidgetScripts();
    expect(embed.code).toContain('/mail/manage?site=');
    expect(embed.code).toContain('Manage my comments');
  });

  it('opens the link: their comments on this site with article and status, escaped, nothing of others', async () => {
    const page = await call(ctx, link, { headers: { accept: 'text/html' } });
    expect(page.status, page.text).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toContain(BODIES[0]);
    expect(page.text).toContain('A second one &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('article-2');
    expect(page.text).toContain('published');
    expect(page.text).not.toContain(OTHER.body);
    expect(page.text).not.toContain('elsewhere');
    const json = await call(ctx, link);
    expect(json.body.comments.map((c: { id: string }) => c.id).sort()).toEqual([...ids].sort());
  });

  it('downloads all their data as JSON: their comments, nothing of other readers or other sites', async () => {
    const res = await call(ctx, `/mail/manage/download?token=${encodeURIComponent(tokenOf(link))}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(res.body.comments).toHaveLength(3);
    expect(res.body.comments.map((c: { body: string }) => c.body).sort()).toEqual([...BODIES].sort());
    for (const c of res.body.comments) {
      expect(c).toMatchObject({ email: AUTHOR.email, name: AUTHOR.name, ip: AUTHOR.ip, userAgent: AUTHOR.userAgent });
    }
    for (const other of [OTHER.name, OTHER.email, OTHER.body, 'elsewhere', 'sub@example.com'])
      expect(res.text).not.toContain(other);
  });

  it('refuses forged, expired and foreign tokens, cross-site posts and foreign comments, changing nothing', async () => {
    const token = tokenOf(link);
    const before = await tableCounts(ctx);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const secret = ctx.container.secretKey;
    const expired = signToken(
      secret,
      { purpose: 'manage', subject: `${SITE}.${'a'.repeat(64)}`, ttlSeconds: 60 },
      new Date(Date.now() - 3_600_000),
    );
    const foreign = signToken(secret, { purpose: 'unsubscribe', subject: `${SITE}.x`, ttlSeconds: 60 });
    for (const bad of [forged, expired, foreign, 'junk', '']) {
      expectProblem(await call(ctx, `/mail/manage/comments?token=${encodeURIComponent(bad)}`), 400);
      expectProblem(await call(ctx, `/mail/manage/download?token=${encodeURIComponent(bad)}`), 400);
      const del = await postForm('/mail/manage/delete-all', { token: bad }, { ...fromOwnPage, accept: '*/*' });
      expectProblem(del, 400);
    }
    expect((await call(ctx, `/mail/manage/comments?token=${expired}`)).body.detail).toContain('expired');
    const page = await call(ctx, `/mail/manage/comments?token=${forged}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toContain('text/html');
    // A post from another site, or with no sign of its origin, is refused before the token is read.
    for (const headers of [{ origin: 'https://evil.example' }, {}, { 'sec-fetch-site': 'cross-site' }] as Record<
      string,
      string
    >[]) {
      const res = await postForm('/mail/manage/delete-all', { token }, { ...headers, accept: '*/*' });
      expectProblem(res, 403);
    }
    // Another reader's comment cannot be deleted with this link.
    const otherId = (
      await ctx.container.database.db
        .selectFrom('comments')
        .select('id')
        .where('email', '=', OTHER.email)
        .executeTakeFirstOrThrow()
    ).id;
    expectProblem(
      await postForm('/mail/manage/delete', { token, comment: otherId }, { ...fromOwnPage, accept: '*/*' }),
      404,
    );
    expect(await tableCounts(ctx)).toEqual(before);
    expect((await call(ctx, link)).body.comments).toHaveLength(3);
  });

  it('exports everything about the author for an admin (CLI and API), audited; moderators are refused', async () => {
    let out = '';
    const code = await runCli(['authors:export', '--site', SITE, '--email', AUTHOR.email], ctx.container, {
      out: (s) => (out += s),
      err: (s) => (out += s),
    });
    expect(code, out).toBe(0);
    const cli = JSON.parse(out);
    expect(cli.comments).toHaveLength(3);
    expect(out).not.toContain(OTHER.email);
    const admin = bearer(await tokenFor(ctx, await createUser(ctx, 'self-admin@example.com', 'admin')));
    const mod = bearer(await tokenFor(ctx, await createUser(ctx, 'self-mod@example.com', 'moderator', [SITE])));
    const path = `/api/v1/admin/sites/${SITE}/authors/export?email=${encodeURIComponent(AUTHOR.email)}`;
    const res = await api(ctx, 'GET', path, admin);
    expect(res.status, res.text).toBe(200);
    expect(res.body.comments.map((c: { ip: string }) => c.ip)).toEqual([AUTHOR.ip, AUTHOR.ip, AUTHOR.ip]);
    expectProblem(await api(ctx, 'GET', path, mod), 403);
    expectProblem(await api(ctx, 'GET', path, {}), 401);
    expectProblem(await api(ctx, 'GET', `/api/v1/admin/sites/${SITE}/authors/export?email=nope`, admin), 400);
    const audit = await ctx.container.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('action', '=', 'author.export')
      .execute();
    expect(audit.map((a) => a.actor_type).sort()).toEqual(['cli', 'user']);
  });

  it('deletes one comment, then all: blanked in place, and no table holds anything of the reader', async () => {
    const token = tokenOf(link);
    const one = await postForm('/mail/manage/delete', { token, comment: ids[1]! });
    expect(one.status, one.text).toBe(303);
    expect(one.headers.get('location')).toBe(`/mail/manage/comments?token=${token}`);
    const left = (await call(ctx, link)).body.comments.map((c: { id: string }) => c.id);
    expect(left.sort()).toEqual([ids[0], ids[2]].sort());
    const thread = await call(ctx, `/api/v1/sites/${SITE}/articles/article-1/comments`);
    expect(thread.text).not.toContain('A second one');

    const all = await postForm('/mail/manage/delete-all', { token });
    expect(all.status, all.text).toBe(200);
    expect(all.text).toContain('2 comments');
    expect((await call(ctx, link)).body.comments).toEqual([]);
    await settled();
    const after = await tableRowsAsText(ctx);
    expect(leftOnOtherSite(after.text).length).toBeGreaterThan(0);
    // Everything else stays: the other reader's reply, and the same address's comment on another site.
    expect(after.text).toContain(OTHER.body);
    const dump = await pgDump(ctx);
    if (dump !== null) expect(leftOnOtherSite(dump).length).toBeGreaterThan(0);
  });

  it('limits link requests per address and per IP, counting addresses without comments alike', async () => {
    const address = 'limited@self-serve.example';
    for (let i = 0; i < 3; i++) expect((await ask(address, `192.0.2.${50 + i}`)).status).toBe(202);
    const refused = expectProblem(await ask(address, '192.0.2.60'), 429);
    expect(refused.detail).toContain('Too many');
    for (let i = 0; i < 10; i++) expect((await ask(`ip${i}@self-serve.example`, '203.0.113.9')).status).toBe(202);
    const res = await ask('one-more@self-serve.example', '203.0.113.9');
    expectProblem(res, 429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expectProblem(await postJson(ctx, '/mail/manage', { site: SITE, email: 'not-an-address' }, fromOwnPage), 400);
  });
});
