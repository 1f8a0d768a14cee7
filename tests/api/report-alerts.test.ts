// Moderator alerts about reported comments, against a real SMTP server process (smtp-server, parsed
// with mailparser), on PGlite and PostgreSQL: a comment entering the Reported queue (and later hidden
// by reports) mails the site's moderators with immediate alerts, a link into the dashboard and the
// reports' summary only; not one with alerts off, nor a moderator of another site; digests group
// reported comments next to held ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { countUndispatched } from '../../src/events/outbox.repository.ts';
import { createUser } from '../support/accounts.ts';
import { createSite, postJson, submit } from '../support/http.ts';
import { runJob } from '../support/queue-jobs.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let receiver: SmtpReceiver;
const SITE = 'repalert';
const OTHER = 'elsewhere';
let ipSeq = 0;

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  ctx = await createTestContext(
    {
      SMTP_URL: receiver.url,
      MAIL_FROM: 'Example News <noreply@example.com>',
      PUBLIC_URL: 'https://comments.example',
      TRUST_PROXY: 'true',
    },
    { smtpTimeouts: { connectionMs: 1_000, greetingMs: 1_000, socketMs: 3_000 } },
  );
  // A fresh reporter weighs 0.5, and fresh reporters together at most 1: the first report queues, the second hides.
  await createSite(ctx, SITE, { moderation: 'none', reportQueueThreshold: 0.5, reportHideThreshold: 1 });
  await createSite(ctx, OTHER, { moderation: 'none' });
  await ctx.container.startWorkers();
  await createUser(ctx, 'now@example.com', 'moderator', [SITE]);
  await createUser(ctx, 'quiet@example.com', 'moderator', [SITE]);
  await createUser(ctx, 'hourly@example.com', 'moderator', [SITE]);
  await createUser(ctx, 'other@example.com', 'moderator', [OTHER]);
  const cli = (...argv: string[]) => runCli(argv, ctx.container, { out: () => {}, err: () => {} });
  for (const [email, site, frequency] of [
    ['now@example.com', SITE, 'immediate'],
    ['quiet@example.com', SITE, 'off'],
    ['hourly@example.com', SITE, 'hourly'],
    ['other@example.com', OTHER, 'immediate'],
  ] as const)
    expect(await cli('alerts:set', '--email', email, '--site', site, '--frequency', frequency)).toBe(0);
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

const to = (address: string) => receiver.messages.filter((m) => m.envelope.to.includes(address));

function report(commentId: string, reason: string, detail?: string) {
  ipSeq += 1;
  return postJson(
    ctx,
    `/api/v1/sites/${SITE}/comments/${commentId}/reports`,
    { reason, ...(detail ? { detail } : {}) },
    { 'x-forwarded-for': `198.51.100.${ipSeq}` },
  );
}

describe('moderator alerts about reported comments', () => {
  it('immediate: a mail when the comment enters the Reported queue and when reports hide it; off and other sites: none', async () => {
    const res = await submit(ctx, SITE, {
      articleId: 'rep-article',
      name: 'Reported Writer',
      body: 'A comment <i>readers</i> dislike',
    });
    expect(res.body.status).toBe('approved');
    const id = res.body.id as string;
    await settled();
    expect(to('now@example.com')).toEqual([]);

    expect((await report(id, 'abuse', 'reporter-private-detail')).status).toBe(202);
    await settled();
    const [alert, ...rest] = to('now@example.com');
    expect(rest).toEqual([]);
    expect(alert!.parsed.subject).toBe('Comment reported on Site repalert: Reported Writer on rep-article');
    const text = alert!.parsed.text!;
    expect(text).toContain('> A comment <i>readers</i> dislike');
    expect(text).toContain('Reported for abuse (1); weighted score 0.5.');
    expect(text).not.toContain('Hidden from the thread');
    expect(alert!.parsed.html).toContain('A comment &lt;i&gt;readers&lt;/i&gt; dislike');
    const links = text.match(/https:\/\/comments\.example\/\S+/g)!;
    expect(links).toContain(`https://comments.example/dashboard/comments/${id}`);
    for (const link of links) expect(link).not.toMatch(/token|session|key=/i);
    // The reports' summary only: nothing a reporter wrote or where they came from.
    expect(alert!.raw).not.toContain('reporter-private-detail');
    expect(alert!.raw).not.toContain('198.51.100.');
    expect(to('quiet@example.com')).toEqual([]);
    expect(to('other@example.com')).toEqual([]);
    expect(to('hourly@example.com')).toEqual([]);

    // The second report hides it pending review: one more alert saying so, and no "waiting" alert beside it.
    expect((await report(id, 'off_topic')).status).toBe(202);
    await settled();
    const alerts = to('now@example.com');
    expect(alerts.map((m) => m.parsed.subject)).toEqual([
      'Comment reported on Site repalert: Reported Writer on rep-article',
      'Comment hidden by reports on Site repalert: Reported Writer on rep-article',
    ]);
    expect(alerts[1]!.parsed.text).toContain('Reported for abuse (1), off topic (1); weighted score 1.');
    expect(alerts[1]!.parsed.text).toContain('Hidden from the thread until a moderator decides.');
    expect(to('quiet@example.com')).toEqual([]);
    expect(to('other@example.com')).toEqual([]);

    // The other site's moderator still hears of their own site, and only of it.
    const theirs = await submit(ctx, OTHER, { name: 'Elsewhere Writer' });
    ipSeq += 1;
    const ip = { 'x-forwarded-for': `198.51.100.${ipSeq}` };
    await postJson(ctx, `/api/v1/sites/${OTHER}/comments/${theirs.body.id}/reports`, { reason: 'spam' }, ip);
    ipSeq += 1;
    await postJson(
      ctx,
      `/api/v1/sites/${OTHER}/comments/${theirs.body.id}/reports`,
      { reason: 'spam' },
      { 'x-forwarded-for': `198.51.100.${ipSeq}` },
    );
    await settled();
    expect(to('other@example.com').map((m) => m.parsed.subject)).toEqual([
      'Comment reported on Site elsewhere: Elsewhere Writer on article-1',
    ]);
    expect(to('now@example.com')).toHaveLength(2);

    // The hourly digest, run through the real queue: the reported comment under its own heading, once.
    const held = await ctx.container.sites.update(SITE, { settings: { moderation: 'all' } });
    expect(held.settings.moderation).toBe('all');
    await submit(ctx, SITE, { name: 'Held Writer', body: 'Waiting for a moderator' });
    await settled();
    await runJob(ctx, 'maintenance', 'moderator-digests', { asOf: new Date(Date.now() + 1000).toISOString() });
    const [digest, ...more] = to('hourly@example.com');
    expect(more).toEqual([]);
    expect(digest!.parsed.subject).toBe('1 new comment waiting and 1 comment reported on Site repalert');
    const body = digest!.parsed.text!;
    expect(body).toContain('Waiting for review:');
    expect(body).toContain('> Waiting for a moderator');
    expect(body.indexOf('Reported by readers:')).toBeGreaterThan(body.indexOf('Waiting for a moderator'));
    expect(body).toContain('> A comment <i>readers</i> dislike');
    expect(body.split('A comment <i>readers</i> dislike')).toHaveLength(2);
    expect(body).toContain(`https://comments.example/dashboard/comments/${id}`);
    expect(body).not.toContain('Elsewhere Writer');
    expect(to('quiet@example.com')).toEqual([]);
  });
});
