// The per-recipient daily cap and the digest beyond it, against a real SMTP server process
// (smtp-server, parsed with mailparser), on PGlite (database queue) and PostgreSQL (BullMQ): single
// mails up to the cap, then one digest with the rest when the digest job runs through the real queue;
// its one-click unsubscribe; concurrent publishes that must not slip under the cap; retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { countUndispatched } from '../../src/events/outbox.repository.ts';
import { createUser, dashboardGet, dashboardPost, signIn } from '../support/accounts.ts';
import { approve, call, createSite, submit } from '../support/http.ts';
import { runJob } from '../support/queue-jobs.ts';
import { type ReceivedMail, type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let receiver: SmtpReceiver;
const SITE = 'capped';
const ARTICLE = { articleId: 'cap-article', articleUrl: 'https://news.example/cap-article' };

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  ctx = await createTestContext(
    { SMTP_URL: receiver.url, MAIL_FROM: 'Example News <noreply@example.com>', PUBLIC_URL: 'https://comments.example' },
    { smtpTimeouts: { connectionMs: 1_000, greetingMs: 1_000, socketMs: 3_000 } },
  );
  await createSite(ctx, SITE, { moderation: 'all', notifyDailyCap: 2, notifyDigest: 'hourly' });
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx?.close();
  await receiver?.stop();
});

const db = () => ctx.container.database.db;

async function settled(): Promise<void> {
  await ctx.container.relay.drain();
  await waitUntil(
    async () => {
      if ((await countUndispatched(db())) > 0) return false;
      const c = await ctx.container.queue.counts();
      return c.events.waiting + c.events.active + c.mail.waiting + c.mail.active === 0;
    },
    20_000,
    'queues to settle',
  );
}

const to = (address: string) => receiver.messages.filter((m) => m.envelope.to.includes(address));
const post = (path: string, body = '') =>
  call(ctx, path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
const oneClickPath = (m: ReceivedMail) =>
  m.headerLines('List-Unsubscribe')[0]!.match(/<https:\/\/comments\.example([^>]+)>/)![1]!;

/** A published comment by `email` with a confirmed 'replies' subscription. */
async function subscriber(email: string, site = SITE): Promise<string> {
  const res = await submit(ctx, site, { ...ARTICLE, email, name: 'Capped Reader', notify: 'replies' });
  await approve(ctx, res.body.id);
  const [confirmation] = await waitUntil(async () => to(email).length > 0 && to(email), 10_000, 'confirmation');
  // The approval's other mail jobs run first: confirmed before they ran, the author would also be sent
  // the notice that their held comment was published, which these counts do not expect.
  await settled();
  const link = confirmation!.parsed.text!.match(/https:\/\/comments\.example(\/mail\/confirm\?token=[\w.-]+)/)![1]!;
  expect((await post(link)).status).toBe(200);
  return res.body.id;
}

async function heldReply(parentId: string, body: string, name = 'Replier', site = SITE): Promise<string> {
  const res = await submit(ctx, site, { ...ARTICLE, parentId, name, body });
  expect(res.body.status).toBe('pending');
  return res.body.id;
}

const modes = async (emailHashOf: string) =>
  (
    await db()
      .selectFrom('mail_notifications' as never)
      .select(['mode' as never, 'digest_sent_at' as never, 'created_at' as never])
      .where('email_hash' as never, '=', emailHashOf as never)
      .execute()
  ).map((r) => r as unknown as { mode: string; digest_sent_at: Date | null; created_at: Date });

async function hashOf(email: string): Promise<string> {
  const [sub] = await ctx.container.subscriptions.listOfAddress(email);
  const row = await db()
    .selectFrom('mail_subscriptions' as never)
    .select('email_hash' as never)
    .where('id' as never, '=', sub!.id as never)
    .executeTakeFirstOrThrow();
  return (row as { email_hash: string }).email_hash;
}

const runDigests = (asOf: Date) => runJob(ctx, 'maintenance', 'reply-digests', { asOf: asOf.toISOString() });

describe('daily cap and digest', () => {
  it('with cap 2, four published replies send 2 single mails, then exactly one digest with the other 2', async () => {
    const email = 'capped@example.org';
    const top = await subscriber(email);
    const bodies = ['Reply one', 'Reply two', 'Reply three <b>bold</b> & co', 'Reply four'];
    const ids: string[] = [];
    for (const [i, body] of bodies.entries()) {
      const id = await heldReply(top, body, `Replier ${i + 1}`);
      ids.push(id);
      await approve(ctx, id);
      await settled();
    }
    const singles = to(email).slice(1);
    expect(singles.map((m) => m.parsed.subject)).toEqual([
      'Replier 1 replied to your comment on cap-article',
      'Replier 2 replied to your comment on cap-article',
    ]);
    const rows = await modes(await hashOf(email));
    expect(rows.map((r) => r.mode).sort()).toEqual(['digest', 'digest', 'single', 'single']);

    // The hour the held-back notices were collected in has not ended: nothing yet.
    const collectedAt = new Date(Math.min(...rows.filter((r) => r.mode === 'digest').map((r) => +r.created_at)));
    await runDigests(collectedAt);
    expect(to(email)).toHaveLength(3);

    // After the hour: one digest with the two held back, escaped, with links and one-click unsubscribe.
    const nextHour = new Date(Date.now() + 3_600_000);
    await runDigests(nextHour);
    expect(to(email)).toHaveLength(4);
    const digest = to(email)[3]!;
    expect(digest.parsed.subject).toBe('2 more new comments for you on Site capped');
    const text = digest.parsed.text!;
    expect(text).toContain('sends at most 2 notice mails a day');
    expect(text).toContain('Replier 3 replied to you on “cap-article”');
    expect(text).toContain('> Reply three <b>bold</b> & co');
    expect(text).toContain('> Reply four');
    expect(text).not.toContain('Reply one');
    expect(text).not.toContain('Reply two');
    expect(text).toContain(`https://news.example/cap-article#comment-${ids[2]}`);
    expect(text).toContain(`https://news.example/cap-article#comment-${ids[3]}`);
    expect(digest.parsed.html).toContain('Reply three &lt;b&gt;bold&lt;/b&gt; &amp; co');
    expect(digest.parsed.html).not.toContain('<b>bold</b>');
    expect(digest.headerLines('List-Unsubscribe')[0]).toMatch(
      /^List-Unsubscribe: <https:\/\/comments\.example\/mail\/unsubscribe\?token=[^>]+>$/,
    );
    expect(digest.headerLines('List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    expect(text).toContain('Unsubscribe from everything on Site capped');

    // Idempotent: running again (a retry, another worker's tick) sends nothing more.
    await runDigests(nextHour);
    await runDigests(new Date(Date.now() + 2 * 3_600_000));
    expect(to(email)).toHaveLength(4);
    expect((await modes(await hashOf(email))).every((r) => r.mode === 'single' || r.digest_sent_at)).toBe(true);
    // A run cut off after the mail went but before it was marked sent: the next run finds the claimed
    // notices again, and the digest's dedupe key keeps it from going out twice.
    await db()
      .updateTable('mail_notifications' as never)
      .set({ digest_sent_at: null } as never)
      .where('email_hash' as never, '=', (await hashOf(email)) as never)
      .execute();
    await runDigests(nextHour);
    expect(to(email)).toHaveLength(4);
    expect((await modes(await hashOf(email))).every((r) => r.mode === 'single' || r.digest_sent_at)).toBe(true);

    // RFC 8058 one-click from the digest: the subscription goes, and so does anything still to come.
    const more = await heldReply(top, 'Reply five, held back');
    await approve(ctx, more);
    await settled();
    const off = await post(oneClickPath(digest), 'List-Unsubscribe=One-Click');
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ unsubscribed: true, scope: 'subscription' });
    expect(await ctx.container.subscriptions.listOfAddress(email)).toEqual([]);
    await runDigests(new Date(Date.now() + 3 * 3_600_000));
    await approve(ctx, await heldReply(top, 'Reply six, after unsubscribing'));
    await settled();
    expect(to(email)).toHaveLength(4);
  });

  it('concurrent publishes respect the cap', async () => {
    const email = 'concurrent@example.org';
    const top = await subscriber(email);
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => heldReply(top, `Concurrent reply ${i}`)));
    await Promise.all(ids.map((id) => approve(ctx, id)));
    await settled();
    expect(to(email).slice(1)).toHaveLength(2);
    const rows = await modes(await hashOf(email));
    expect(rows.filter((r) => r.mode === 'single')).toHaveLength(2);
    expect(rows.filter((r) => r.mode === 'digest')).toHaveLength(4);
    await runDigests(new Date(Date.now() + 3_600_000));
    const digest = to(email).at(-1)!;
    expect(to(email)).toHaveLength(4);
    expect(digest.parsed.subject).toBe('4 more new comments for you on Site capped');

    // The decision itself, raced directly: ten at once for one recipient, cap 3, exactly 3 singles.
    const other = 'racer@example.org';
    const parent = await subscriber(other);
    const [sub] = await ctx.container.subscriptions.listOfAddress(other);
    const hash = await hashOf(other);
    const comments = await Promise.all(Array.from({ length: 10 }, (_, i) => heldReply(parent, `Race ${i}`)));
    const decided = await Promise.all(
      comments.map((commentId) =>
        ctx.container.subscriptions.admitNotice(
          { siteId: SITE, emailHash: hash, commentId, subscriptionId: sub!.id, eventId: crypto.randomUUID() },
          3,
        ),
      ),
    );
    expect(decided.filter((m) => m === 'single')).toHaveLength(3);
    // Asked again (a retried job), each answers its first decision.
    const again = await ctx.container.subscriptions.admitNotice(
      { siteId: SITE, emailHash: hash, commentId: comments[0]!, subscriptionId: sub!.id, eventId: crypto.randomUUID() },
      100,
    );
    expect(again).toBe(decided[0]);
  });

  it('a digest refused for now by SMTP is sent once by the retry', async () => {
    const email = 'retry-digest@example.org';
    const top = await subscriber(email);
    for (const body of ['First of three', 'Second of three', 'Third of three']) {
      await approve(ctx, await heldReply(top, body));
      await settled();
    }
    expect(to(email)).toHaveLength(3);
    const refusedBefore = receiver.refused;
    receiver.refuseNext(1, { code: 451, message: 'Try later', at: 'data' });
    await runDigests(new Date(Date.now() + 3_600_000));
    expect(receiver.refused).toBe(refusedBefore + 1);
    const digests = to(email).slice(3);
    expect(digests).toHaveLength(1);
    expect(digests[0]!.parsed.text).toContain('Third of three');
    await runDigests(new Date(Date.now() + 3_600_000));
    expect(to(email)).toHaveLength(4);
  });

  it('a daily site sends its digest after the UTC day ends; the settings are in the CLI and the dashboard form', async () => {
    const io = { out: () => {}, err: () => {} };
    const create = ['sites:create', '--id', 'daily', '--name', 'Site daily', '--origin', 'https://news.example'];
    expect(await runCli([...create, '--set', 'notifyDailyCap=0'], ctx.container, io)).toBe(1);
    expect(await runCli([...create, '--set', 'notifyDigest=weekly'], ctx.container, io)).toBe(1);
    const set = ['--set', 'moderation=all', '--set', 'floodIntervalSeconds=0', '--set', 'notifyDailyCap=1'];
    expect(await runCli([...create, ...set, '--set', 'notifyDigest=daily'], ctx.container, io)).toBe(0);
    expect((await ctx.container.sites.get('daily')).settings).toMatchObject({
      notifyDailyCap: 1,
      notifyDigest: 'daily',
    });

    const email = 'daily@example.org';
    const top = await subscriber(email, 'daily');
    for (const body of ['Daily one', 'Daily two']) {
      await approve(ctx, await heldReply(top, body, 'Replier', 'daily'));
      await settled();
    }
    expect(to(email)).toHaveLength(2);
    const [held] = (await modes(await hashOf(email))).filter((r) => r.mode === 'digest');
    const dayStart = Math.floor(+held!.created_at / 86_400_000) * 86_400_000;
    // Later the same UTC day: still collecting. After midnight: the digest.
    await runDigests(new Date(dayStart + 86_400_000 - 1));
    expect(to(email)).toHaveLength(2);
    await runDigests(new Date(dayStart + 86_400_000 + 60_000));
    expect(to(email)).toHaveLength(3);
    const digest = to(email)[2]!;
    expect(digest.parsed.subject).toBe('1 more new comment for you on Site daily');
    expect(digest.parsed.text).toContain(
      'Site daily sends at most 1 notice mail a day to one address; the rest come together here, once a day.',
    );
    expect(digest.parsed.text).toContain('> Daily two');

    await createUser(ctx, 'digest-admin@example.com', 'admin');
    const admin = await signIn(ctx, 'digest-admin@example.com');
    const page = await dashboardGet(ctx, '/dashboard/sites/daily', admin);
    expect(page.text).toContain('Reply mails per reader per day');
    expect(page.text).toContain('Digest beyond the daily limit');
    const form = { name: 'Site daily', moderation: 'all', notifyDailyCap: '5', notifyDigest: 'hourly' };
    expect((await dashboardPost(ctx, '/dashboard/sites/daily', admin, form)).status).toBe(303);
    expect((await ctx.container.sites.get('daily')).settings).toMatchObject({
      notifyDailyCap: 5,
      notifyDigest: 'hourly',
    });
    const bad = await dashboardPost(ctx, '/dashboard/sites/daily', admin, { ...form, notifyDailyCap: '0' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="set-notifyDailyCap-error">must be at least 1</);
    expect((await ctx.container.sites.get('daily')).settings.notifyDailyCap).toBe(5);
  });
});
