// The notice to an author when a moderator decides on their held comment, against a real SMTP server
// on PGlite and PostgreSQL: only with a confirmed subscription on that comment (the opt-in), once per
// decision, saying published (with a link) or not published (in words).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countUndispatched } from '../../src/events/outbox.repository.ts';
import { approve, call, createSite, submit } from '../support/http.ts';
import { type ReceivedMail, type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let receiver: SmtpReceiver;
const SITE = 'heldsite';

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  ctx = await createTestContext({
    SMTP_URL: receiver.url,
    MAIL_FROM: 'Example News <noreply@example.com>',
    PUBLIC_URL: 'https://comments.example',
  });
  await createSite(ctx, SITE, { moderation: 'all' });
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

const to = (address: string) => receiver.messages.filter((m) => m.envelope.to.includes(address));
const confirmLink = (m: ReceivedMail) =>
  (m.parsed.text ?? '').match(/https:\/\/comments\.example(\/mail\/confirm\?token=[A-Za-z0-9_.-]+)/)![1]!;

/** A held comment with a 'replies' subscription, confirmed from its mail unless told otherwise. */
async function heldWithSubscription(email: string, confirm = true): Promise<string> {
  const res = await submit(ctx, SITE, {
    email,
    name: 'Ada Reader',
    notify: 'replies',
    body: `Held words of ${email}`,
    articleUrl: 'https://news.example/article-1',
  });
  expect(res.status).toBe(201);
  expect(res.body.status).toBe('pending');
  const [confirmation] = await waitUntil(async () => to(email).length > 0 && to(email), 10_000, 'confirmation');
  if (confirm) {
    const done = await call(ctx, confirmLink(confirmation!), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(done.status).toBe(200);
  }
  return res.body.id as string;
}

describe('the notice to an author of a held comment', () => {
  it('tells a confirmed subscriber their held comment is published, once, with a link to it', async () => {
    const email = 'published@example.org';
    const id = await heldWithSubscription(email);
    await approve(ctx, id);
    await settled();
    const mails = to(email);
    expect(mails.map((m) => m.parsed.subject)).toEqual([
      'Confirm: email me replies on article-1',
      'Your comment on article-1 is published',
    ]);
    const notice = mails[1]!;
    expect(notice.parsed.text).toContain(`Held words of ${email}`);
    expect(notice.parsed.text).toContain('A moderator approved your comment');
    expect(notice.parsed.text).toContain(`https://news.example/article-1#comment-${id}`);
    expect(notice.headerLines('List-Unsubscribe')).toHaveLength(1);
    // Another status change of the same comment (unpublished, approved again) is not a new decision on a held comment.
    await ctx.container.moderation.setStatus(id, 'rejected', { type: 'cli', id: 'test' });
    await approve(ctx, id);
    await settled();
    expect(to(email)).toHaveLength(2);
  });

  it('tells a confirmed subscriber their held comment was not published, in words', async () => {
    const email = 'rejected@example.org';
    const id = await heldWithSubscription(email);
    await ctx.container.moderation.setStatus(id, 'rejected', { type: 'cli', id: 'test' });
    await settled();
    const mails = to(email);
    expect(mails.map((m) => m.parsed.subject)).toEqual([
      'Confirm: email me replies on article-1',
      'Your comment on article-1 was not published',
    ]);
    expect(mails[1]!.parsed.text).toContain('A moderator decided not to publish it.');
    expect(mails[1]!.parsed.text).not.toContain('#comment-');
  });

  it('sends nothing about the decision to an address that never confirmed', async () => {
    const email = 'unconfirmed@example.org';
    const id = await heldWithSubscription(email, false);
    await approve(ctx, id);
    await settled();
    expect(to(email).map((m) => m.parsed.subject)).toEqual(['Confirm: email me replies on article-1']);
  });
});
