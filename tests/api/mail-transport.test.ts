// The mail transports against real parts: nodemailer talking to a real SMTP server process (the
// smtp-server package, messages parsed with mailparser), and the kept transport writing to PGlite or
// PostgreSQL (this file runs in both projects).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { createKeptTransport } from '../../src/mail/kept.transport.ts';
import { deleteMailToAddress, getMailMessage, listMailMessages } from '../../src/mail/mail.repository.ts';
import { absoluteUrl } from '../../src/mail/mail-links.ts';
import type { MailMessage } from '../../src/mail/mail-message.ts';
import { MailSendError, type MailTransport } from '../../src/mail/mail-transport.ts';
import { type MailTemplate, renderMail } from '../../src/mail/render-mail.ts';
import { createSmtpTransport } from '../../src/mail/smtp.transport.ts';
import { sendTestMail } from '../../src/mail/test-mail.ts';
import { createMailTransport } from '../../src/mail/transport-factory.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { createSite } from '../support/http.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

const BASE = 'http://localhost:3000';
const FROM = { name: null, address: 'noreply@example.com' };
const TIMEOUTS = { connectionMs: 2_000, greetingMs: 1_000, socketMs: 5_000 };
const EVIL_BODY = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';

let seq = 0;
function reply(over: Partial<MailTemplate> = {}): MailMessage {
  seq += 1;
  const unsubscribe = absoluteUrl(BASE, '/mail/unsubscribe', { token: `tok${seq}.sig` });
  return renderMail({
    kind: 'reply',
    siteId: null,
    siteName: 'Example News',
    to: { name: 'Ada Reader', address: `reader${seq}@example.org` },
    subject: `Reply ${seq} to your comment`,
    heading: 'Grace replied to your comment',
    blocks: [
      { type: 'quote', text: EVIL_BODY, attribution: 'Grace wrote' },
      { type: 'action', label: 'Read the reply', url: absoluteUrl(BASE, '/articles/1', { c: String(seq) }) },
    ],
    footer: { reason: 'You asked for replies.', links: [{ label: 'Unsubscribe from this thread', url: unsubscribe }] },
    listUnsubscribe: { url: unsubscribe },
    ...over,
  });
}

async function sendError(transport: MailTransport, message: MailMessage): Promise<MailSendError> {
  const err = await transport.send(message).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailSendError);
  return err as MailSendError;
}

describe('SMTP transport against a real SMTP server', () => {
  let receiver: SmtpReceiver;
  let smtp: MailTransport;
  beforeAll(async () => {
    receiver = await startSmtpReceiver();
    smtp = createSmtpTransport({ url: receiver.url, from: FROM, timeouts: TIMEOUTS });
  });
  afterAll(async () => {
    await smtp.close();
    await receiver.stop();
  });

  it('delivers both parts with From, To, Subject, one-click unsubscribe, and escaped HTML', async () => {
    const message = reply();
    const { messageId } = await smtp.send(message);
    const [got] = (await receiver.waitForMessages(1)).slice(-1);
    const p = got!.parsed;
    expect(p.messageId).toBe(messageId);
    expect(got!.envelope).toEqual({ from: 'noreply@example.com', to: [message.to.address] });
    expect(p.from?.value).toEqual([{ name: 'Example News', address: 'noreply@example.com' }]);
    expect(p.to).toMatchObject({ value: [{ name: 'Ada Reader', address: message.to.address }] });
    expect(p.subject).toBe(message.subject);
    expect(p.text).toContain('Grace replied to your comment');
    expect(p.text).toContain(`> ${EVIL_BODY}`);
    expect(p.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x');
    expect(p.html).not.toMatch(/<script|<img/);
    expect(got!.headerLines('List-Unsubscribe')).toEqual([
      `List-Unsubscribe: <${BASE}/mail/unsubscribe?token=tok${seq}.sig>`,
    ]);
    expect(got!.headerLines('List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    expect(got!.headerLines('Auto-Submitted')).toEqual(['Auto-Submitted: auto-generated']);
  });

  it('keeps a hostile display name and subject inside their own headers', async () => {
    const before = receiver.messages.length;
    const hostile = 'Evil", <attacker@example.com>\r\nBcc: victim@example.com\r\n\r\n<b>body</b>';
    const message = reply({
      siteName: hostile,
      to: { name: hostile, address: 'target@example.org' },
      subject: `Hi\r\nBcc: victim@example.com\nX-Injected: yes ${'=?UTF-8?Q?a=0D=0AB?='}`,
    });
    await smtp.send(message);
    const got = (await receiver.waitForMessages(before + 1))[before]!;
    expect(got.envelope.to).toEqual(['target@example.org']);
    for (const h of ['From', 'To', 'Subject']) expect(got.headerLines(h), h).toHaveLength(1);
    for (const h of ['Bcc', 'Cc', 'X-Injected']) expect(got.headerLines(h), h).toHaveLength(0);
    expect(got.parsed.from?.value).toHaveLength(1);
    expect(got.parsed.from?.value[0]?.address).toBe('noreply@example.com');
    expect(got.parsed.to).toMatchObject({ value: [{ address: 'target@example.org' }] });
    expect((got.parsed.to as { value: unknown[] }).value).toHaveLength(1);
    expect(got.parsed.subject).not.toMatch(/[\r\n]/);
    expect(got.parsed.subject).toContain('Bcc: victim@example.com X-Injected: yes');
  });

  it('gives a retried message the same Message-ID when it has a dedupe key', async () => {
    const a = await smtp.send(reply({ dedupeKey: 'reply:c1:s1' }));
    const b = await smtp.send(reply({ dedupeKey: 'reply:c1:s1' }));
    const c = await smtp.send(reply({ dedupeKey: 'reply:c2:s1' }));
    expect(a.messageId).toBe(b.messageId);
    expect(a.messageId).not.toBe(c.messageId);
    expect(a.messageId).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
  });

  it('classifies 550 at RCPT TO as permanent (recipient refused) and keeps working after it', async () => {
    receiver.refuseNext(1, { code: 550, message: 'Mailbox unavailable', at: 'rcpt' });
    const err = await sendError(smtp, reply());
    expect(err.failure).toBe('permanent');
    expect(err.details).toMatchObject({ responseCode: 550, recipientRefused: true });
    const before = receiver.messages.length;
    await smtp.send(reply());
    expect(receiver.messages).toHaveLength(before + 1);
  });

  it.each([
    [451, 'rcpt', 'transient', false],
    [451, 'data', 'transient', false],
    [554, 'data', 'permanent', false],
  ] as const)('classifies %i at %s as %s', async (code, at, failure, recipientRefused) => {
    receiver.refuseNext(1, { code, at });
    const err = await sendError(smtp, reply());
    expect(err.failure).toBe(failure);
    expect(err.details.responseCode).toBe(code);
    expect(err.details.recipientRefused).toBe(recipientRefused);
  });

  it('classifies a server that is down as transient, and sends again once it is back', async () => {
    await smtp.send(reply()); // a pooled connection is open when the outage starts
    await receiver.stop();
    const message = reply();
    const err = await sendError(smtp, message);
    expect(err.failure).toBe('transient');
    expect(err.details.responseCode === null || err.details.responseCode === 421).toBe(true);
    expect(err.message).toMatch(/^SMTP /);
    await receiver.start();
    const before = receiver.messages.length;
    await smtp.send(message);
    expect(receiver.messages[before]?.parsed.subject).toBe(message.subject);
  });

  it('insists on TLS when the URL says requireTLS=true (this server offers no STARTTLS)', async () => {
    const strict = createSmtpTransport({ url: `${receiver.url}/?requireTLS=true`, from: FROM, timeouts: TIMEOUTS });
    try {
      const before = receiver.messages.length;
      const err = await sendError(strict, reply());
      expect(err.failure).toBe('transient');
      expect(err.details.code).toBe('ETLS');
      expect(receiver.messages).toHaveLength(before);
    } finally {
      await strict.close();
    }
  });

  it('gives up on a server that never greets within the greeting timeout, as transient', async () => {
    const silent = net.createServer(() => {}); // accepts, says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const mute = createSmtpTransport({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeouts: TIMEOUTS });
    try {
      const started = Date.now();
      const err = await sendError(mute, reply());
      expect(err.failure).toBe('transient');
      expect(err.details.code).toBe('ETIMEDOUT');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await mute.close();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('sends the test mail', async () => {
    const before = receiver.messages.length;
    await sendTestMail(smtp, 'operator@example.org', { baseUrl: BASE, siteName: 'Example News' });
    const got = receiver.messages[before]!;
    expect(got.parsed.subject).toBe('Test mail from Example News');
    expect(got.parsed.text).toContain(`${BASE}/dashboard`);
    expect(got.parsed.html).toContain(`href="${BASE}/dashboard"`);
    await expect(sendTestMail(smtp, 'not an address', { baseUrl: BASE })).rejects.toThrow(ValidationError);
    expect(receiver.messages).toHaveLength(before + 1);
  });
});

describe('SMTP transport with AUTH', () => {
  let receiver: SmtpReceiver;
  beforeAll(async () => {
    receiver = await startSmtpReceiver({ auth: { user: 'mailer', pass: 'p@ss:word' } });
  });
  afterAll(() => receiver.stop());

  it('logs in with the credentials of the URL', async () => {
    const smtp = createSmtpTransport({ url: receiver.url, from: FROM, timeouts: TIMEOUTS });
    try {
      await smtp.verify();
      await smtp.send(reply());
      expect(receiver.messages).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('treats refused credentials as transient (the operator fixes them; mail waits)', async () => {
    const smtp = createSmtpTransport({
      url: `smtp://mailer:wrong@127.0.0.1:${receiver.port}`,
      from: FROM,
      timeouts: TIMEOUTS,
    });
    try {
      const err = await sendError(smtp, reply());
      expect(err.failure).toBe('transient');
      expect(err.details).toMatchObject({ code: 'EAUTH', responseCode: 535 });
    } finally {
      await smtp.close();
    }
  });
});

describe('kept transport (the embedded default)', () => {
  let ctx: TestContext;
  let kept: MailTransport;
  beforeAll(async () => {
    ctx = await createTestContext();
    await createSite(ctx, 'news', { moderation: 'all' });
    kept = createKeptTransport(ctx.container.database.db, { from: { name: null, address: 'noreply@localhost' } });
  });
  afterAll(() => ctx.close());
  const db = () => ctx.container.database.db;

  it('stores the whole message: both parts, headers, From, status kept', async () => {
    const message = reply({ siteId: 'news' });
    const { messageId } = await kept.send(message);
    const row = await getMailMessage(db(), messageId);
    expect(row).toMatchObject({
      site_id: 'news',
      kind: 'reply',
      to_address: message.to.address,
      to_name: 'Ada Reader',
      from_header: 'Example News <noreply@localhost>',
      subject: message.subject,
      text_body: message.text,
      html_body: message.html,
      status: 'kept',
      error: null,
    });
    expect(row!.headers).toEqual(message.headers);
    expect(row!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(row!.sent_at).toBeInstanceOf(Date);
  });

  it('stores a message once per dedupe key (a retried job)', async () => {
    const first = await kept.send(reply({ siteId: 'news', dedupeKey: 'reply:k1' }));
    const again = await kept.send(reply({ siteId: 'news', dedupeKey: 'reply:k1' }));
    expect(again.messageId).toBe(first.messageId);
    const rows = await listMailMessages(db(), { siteIds: ['news'], limit: 100 });
    expect(rows.filter((r) => r.dedupe_key === 'reply:k1')).toHaveLength(1);
  });

  it('lists newest first per site, pages by id, and erases by address', async () => {
    const a = await kept.send(reply({ siteId: 'news', to: { name: null, address: 'Erase.Me@example.org' } }));
    const b = await kept.send(reply({ siteId: 'news', to: { name: null, address: 'erase.me@example.org' } }));
    const page = await listMailMessages(db(), { siteIds: ['news'], limit: 2 });
    expect(page.map((r) => r.id)).toEqual([b.messageId, a.messageId]);
    const next = await listMailMessages(db(), { siteIds: ['news'], beforeId: a.messageId, limit: 100 });
    expect(next.map((r) => r.id)).not.toContain(a.messageId);
    expect(await listMailMessages(db(), { siteIds: [], limit: 10 })).toEqual([]);
    expect(await deleteMailToAddress(db(), 'ERASE.me@example.org')).toBe(2);
    expect(await getMailMessage(db(), a.messageId)).toBeUndefined();
  });

  it('keeps the test mail, with no site', async () => {
    const { messageId } = await sendTestMail(kept, 'operator@example.org', { baseUrl: BASE });
    expect(await getMailMessage(db(), messageId)).toMatchObject({ kind: 'test', site_id: null, status: 'kept' });
  });

  it('reports a database it cannot write as a transient failure', async () => {
    // A schema that does not exist: the database itself refuses every write.
    const nowhere: Db = db().withSchema('no_such_schema');
    const err = await sendError(createKeptTransport(nowhere, { from: FROM }), reply());
    expect(err.failure).toBe('transient');
  });

  it('is what the configuration picks without SMTP_URL', async () => {
    const deps = { db: db(), publicUrl: null };
    expect(createMailTransport({ smtpUrl: null, from: null }, deps).kind).toBe('kept');
    const smtp = createMailTransport({ smtpUrl: 'smtp://127.0.0.1:1', from: FROM }, deps);
    expect(smtp.kind).toBe('smtp');
    await smtp.close();
  });
});
