// The dashboard's Mail page: without SMTP it lists the mail kept in the database (newest first, 50 a
// page) and shows one with its text part and links clickable; with SMTP it is the log of what went out.
// Admins only; a subject, a name or a body with markup shows as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailAddress } from '../../src/mail/header-safety.ts';
import type { MailBlock } from '../../src/mail/mail-template.ts';
import { renderMail } from '../../src/mail/render-mail.ts';
import { createUser, dashboardGet, type Session, signIn } from '../support/accounts.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let kept: TestContext;
let smtp: TestContext;
let receiver: SmtpReceiver;
let admin: Session;
let moderator: Session;
let smtpAdmin: Session;

let n = 0;
function mail(o: { subject?: string; name?: string | null; blocks?: MailBlock[] } = {}) {
  n += 1;
  return renderMail({
    kind: 'test',
    siteId: 'news',
    siteName: 'The News',
    to: mailAddress(`reader${n}@example.com`, o.name === undefined ? `Reader ${n}` : o.name),
    subject: o.subject ?? `Mail number ${n}`,
    heading: 'Hello',
    blocks: o.blocks ?? [{ type: 'paragraph', text: `Body of mail ${n}` }],
    dedupeKey: `dashboard-mail-test:${n}`,
  });
}

/** The ids the list page links to, in page order. */
const listedIds = (html: string) => [...html.matchAll(/href="\/dashboard\/mail\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  [kept, smtp] = await Promise.all([
    createTestContext(),
    createTestContext({ SMTP_URL: receiver.url, MAIL_FROM: 'The News <noreply@example.com>' }),
  ]);
  await kept.container.sites.create({ id: 'news', name: 'The News', settings: {} });
  await createUser(kept, 'chief@example.com', 'admin');
  await createUser(kept, 'mod@example.com', 'moderator', ['news']);
  await smtp.container.sites.create({ id: 'news', name: 'The News', settings: {} });
  await createUser(smtp, 'chief@example.com', 'admin');
  [admin, moderator, smtpAdmin] = await Promise.all([
    signIn(kept, 'chief@example.com'),
    signIn(kept, 'mod@example.com'),
    signIn(smtp, 'chief@example.com'),
  ]);
});
afterAll(async () => {
  await Promise.all([kept?.close(), smtp?.close()]);
  await receiver?.stop();
});

describe('the dashboard Mail page, mail kept in the database', () => {
  it('lists kept mail newest first, 50 a page, and shows one with its text part and its links clickable', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 52; i++) {
      await kept.container.mailer.deliver(
        mail({
          blocks: [
            { type: 'paragraph', text: `Body of mail ${n + 1}` },
            { type: 'action', label: 'Confirm', url: `https://comments.example/mail/confirm?token=t${n + 1}` },
          ],
        }),
      );
      ids.push((await kept.container.mailLog.list({ limit: 1 })).messages[0]!.id);
    }
    const first = await dashboardGet(kept, '/dashboard/mail', admin);
    expect(first.status).toBe(200);
    expect(first.text).toContain('mail is kept here instead of being sent');
    expect(first.text).toContain('<a href="/dashboard/mail" aria-current="page">Mail</a>');
    const newest = [...ids].reverse();
    expect(listedIds(first.text)).toEqual(newest.slice(0, 50));
    const cursor = /href="\/dashboard\/mail\?cursor=([0-9a-f-]{36})"/.exec(first.text)?.[1];
    expect(cursor).toBe(newest[49]);
    const second = await dashboardGet(kept, `/dashboard/mail?cursor=${cursor}`, admin);
    expect(listedIds(second.text)).toEqual(newest.slice(50));
    expect(second.text).not.toContain('Older mail');

    const one = await dashboardGet(kept, `/dashboard/mail/${newest[0]}`, admin);
    expect(one.status).toBe(200);
    expect(one.text).toContain(`<bdi>Mail number ${n}</bdi>`);
    expect(one.text).toContain(`Reader ${n} &lt;reader${n}@example.com&gt;`);
    expect(one.text).toContain(`Body of mail ${n}`);
    expect(one.text).toContain(
      `<a href="https://comments.example/mail/confirm?token=t${n}" rel="noreferrer">https://comments.example/mail/confirm?token=t${n}</a>`,
    );
  });

  it('refuses moderators the list and every mail, and shows them no Mail link', async () => {
    const { messages } = await kept.container.mailLog.list({ limit: 1 });
    expect(messages).toHaveLength(1);
    for (const path of ['/dashboard/mail', `/dashboard/mail/${messages[0]!.id}`]) {
      const res = await dashboardGet(kept, path, moderator);
      expect(res.status, path).toBe(403);
      expect(res.text).not.toContain(messages[0]!.to.address);
    }
    const queue = await dashboardGet(kept, '/dashboard/queue', moderator);
    expect(queue.status).toBe(200);
    expect(queue.text).not.toContain('/dashboard/mail');
  });

  it('shows markup in a subject, a name and a body as text, and links only http(s) addresses', async () => {
    await kept.container.mailer.deliver(
      mail({
        subject: '<img src=x onerror=alert(1)> on "Markets"',
        name: '<script>alert(2)</script>',
        blocks: [
          { type: 'paragraph', text: 'See <b>this</b> javascript:alert(3) and https://ok.example/a?b=1&c=<x>.' },
        ],
      }),
    );
    const list = await dashboardGet(kept, '/dashboard/mail', admin);
    expect(list.text).not.toContain('<img src=x');
    expect(list.text).not.toContain('<script>alert(2)');
    expect(list.text).toContain('&lt;img src=x onerror=alert(1)&gt; on &quot;Markets&quot;');
    const id = listedIds(list.text)[0]!;
    const one = await dashboardGet(kept, `/dashboard/mail/${id}`, admin);
    expect(one.status).toBe(200);
    expect(one.text).not.toContain('<img src=x');
    expect(one.text).not.toContain('<script>alert(2)');
    expect(one.text).not.toContain('<b>this</b>');
    expect(one.text).toContain('&lt;b&gt;this&lt;/b&gt;');
    expect(one.text).not.toMatch(/href="javascript:/);
    expect(one.text).toContain('<a href="https://ok.example/a?b=1&amp;c=" rel="noreferrer">');
  });

  it('answers 404 for an unknown or malformed mail id, and ignores a malformed cursor', async () => {
    for (const id of ['00000000-0000-7000-8000-000000000000', 'not-a-uuid', "1' or '1'='1"]) {
      const res = await dashboardGet(kept, `/dashboard/mail/${encodeURIComponent(id)}`, admin);
      expect(res.status, id).toBe(404);
      expect(res.text).toContain('No such mail.');
    }
    const res = await dashboardGet(kept, '/dashboard/mail?cursor=nonsense', admin);
    expect(res.status).toBe(200);
    expect(listedIds(res.text)).toHaveLength(50);
  });
});

describe('the dashboard Mail page with SMTP', () => {
  it('says mail goes out via SMTP and shows what was sent', async () => {
    await smtp.container.mailer.deliver(mail({ subject: 'Sent through SMTP' }));
    const [received] = await receiver.waitForMessages(1);
    expect(received!.parsed.subject).toBe('Sent through SMTP');
    const list = await dashboardGet(smtp, '/dashboard/mail', smtpAdmin);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Mail goes out via SMTP');
    expect(list.text).not.toContain('mail is kept here');
    const ids = listedIds(list.text);
    expect(ids).toHaveLength(1);
    const one = await dashboardGet(smtp, `/dashboard/mail/${ids[0]}`, smtpAdmin);
    expect(one.text).toContain('<bdi>Sent through SMTP</bdi>');
    expect(one.text).toContain('<dt>Sent</dt>');
  });
});
