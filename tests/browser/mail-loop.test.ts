// The embedded mail loop in real Chromium, with no SMTP server: a reader on the demo article ticks
// "Email me replies"; an admin opens the dashboard Mail page the start log names, follows the
// confirmation link and presses Confirm; someone replies; a moderator approves both comments (the demo
// site holds first comments); the Mail page then holds the reply notice. Every wait is on a condition.
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchDialogs } from '../support/browser.ts';
import { freshEnvironment, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const ADMIN = { email: 'chief@example.com', password: 'chief editor password' };
const MODERATOR = { email: 'mod@example.com', password: 'demo moderator password' };

/** A free port: the mail's links are absolute, so the server must know its own port (PORT=0 would not). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

let server: ServerProcess;
let browser: Browser;
let cleanup: () => Promise<void>;
let mailPage: string;
beforeAll(async () => {
  const fresh = await freshEnvironment();
  cleanup = fresh.cleanup;
  const env = {
    ...fresh.env,
    PORT: String(await freePort()),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
  [server, browser] = await Promise.all([startServer('src/bin/server.ts', env), launchChromium()]);
  // The start log names the page (JSON lines: the banner's line breaks are written as \n).
  mailPage = await waitUntil(
    async () => /mail is kept for the dashboard at (http:\/\/[^\s"\\]+)/.exec(server.output())?.[1],
    20_000,
    'the mail line of the start banner',
  );
  const cli = (args: string[], stdin?: string) => runTsx('src/bin/cli.ts', args, server.env, stdin);
  // A scripted browser submits within milliseconds of loading the page: the time trap would take it for a bot.
  const paced = await cli(['sites:update', '--id', 'demo', '--set', 'minSubmitSeconds=0']);
  if (paced.code !== 0) throw new Error(paced.stderr);
  const mod = await cli(
    ['users:create', '--email', MODERATOR.email, '--role', 'moderator', '--site', 'demo'],
    MODERATOR.password,
  );
  if (mod.code !== 0) throw new Error(mod.stderr);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGKILL');
  await cleanup?.();
});

const textbox = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });

async function post(page: Page, f: { body: string; name: string; email: string; notify?: boolean }) {
  await textbox(page, 'Comment').fill(f.body);
  await textbox(page, 'Name').fill(f.name);
  await textbox(page, 'Email').fill(f.email);
  if (f.notify) await page.getByRole('checkbox', { name: /Email me replies/ }).check();
  await page.getByRole('button', { name: 'Post Comment' }).click();
  await page.locator('li.own').filter({ hasText: f.body }).waitFor();
}

async function openDemo(page: Page): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.locator('#comments h2').first().waitFor(); // the widget's heading, inside its shadow root
}

/** Signs in on the origin of `url` (the one mail links use) and opens `url`. */
async function signedIn(email: string, password: string, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.waitForURL(/\/dashboard\/login/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/dashboard/login'));
  return page;
}

/** Reloads the Mail page until a mail whose subject matches shows up, then opens it. */
async function openMail(page: Page, subject: RegExp): Promise<void> {
  const link = page.getByRole('link', { name: subject });
  await expect
    .poll(
      async () => {
        await page.goto(mailPage);
        return link.count();
      },
      { timeout: 20_000 },
    )
    .toBe(1);
  await link.click();
  await page.waitForURL(/\/dashboard\/mail\/[0-9a-f-]{36}$/);
}

async function approve(page: Page, body: string): Promise<void> {
  const card = page.locator('li.card').filter({ hasText: body });
  await expect
    .poll(
      async () => {
        await page.goto(`${new URL(mailPage).origin}/dashboard/queue?site=demo`);
        return card.count();
      },
      { timeout: 20_000 },
    )
    .toBe(1);
  await card.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect.poll(() => card.count()).toBe(0);
}

describe('the embedded mail loop in Chromium', () => {
  it('subscribes from the demo page, confirms from the dashboard Mail page, and gets the reply notice after a moderator approves the reply', async () => {
    const reader = await browser.newPage();
    const dialogs = watchDialogs(reader);
    await openDemo(reader);
    await post(reader, {
      body: 'Will the plan be published in full?',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      notify: true,
    });

    // The admin reads the confirmation on the Mail page, follows its link and confirms.
    const admin = await signedIn(ADMIN.email, ADMIN.password, mailPage);
    expect(new URL(admin.url()).pathname).toBe('/dashboard/mail');
    await expect
      .poll(() => admin.getByRole('link', { name: 'Mail', exact: true }).getAttribute('aria-current'))
      .toBe('page');
    await openMail(admin, /^Confirm: email me replies on /);
    expect(await admin.locator('.mail-text').textContent()).toContain('/mail/confirm?token=');
    await admin.getByRole('link', { name: /\/mail\/confirm\?token=/ }).click();
    await admin.getByRole('heading', { name: 'Confirm your subscription' }).waitFor();
    await admin.getByRole('button', { name: 'Confirm' }).click();
    await admin.getByRole('heading', { name: 'Subscription confirmed' }).waitFor();
    expect(await admin.getByText('You will get an email about replies to your comment.').isVisible()).toBe(true);

    // The demo site holds first comments: a moderator approves Ada's, someone replies, the reply is held too.
    const moderator = await signedIn(MODERATOR.email, MODERATOR.password, `${new URL(mailPage).origin}/dashboard`);
    await approve(moderator, 'Will the plan be published in full?');
    // Ada confirmed before the decision, so she hears that her held comment is published.
    await openMail(admin, /^Your comment on .+ is published$/);
    const replier = await browser.newPage();
    await openDemo(replier);
    await replier.getByRole('button', { name: 'Reply to Ada Lovelace' }).click();
    await post(replier, { body: 'Yes, next Monday, all 40 pages.', name: 'Bea Moderna', email: 'bea@example.com' });

    // Held: no notice yet (the Mail page lists only the confirmation).
    await admin.goto(mailPage);
    expect(await admin.getByRole('link', { name: /replied to your comment/ }).count()).toBe(0);

    await approve(moderator, 'Yes, next Monday, all 40 pages.');
    await openMail(admin, /^Bea Moderna replied to your comment on /);
    const text = (await admin.locator('.mail-text').textContent()) ?? '';
    expect(text).toContain('Yes, next Monday, all 40 pages.');
    expect(await admin.getByText('Ada Lovelace <ada@example.com>').isVisible()).toBe(true);
    expect(await admin.getByRole('link', { name: /\/mail\/unsubscribe\?token=/ }).count()).toBeGreaterThan(0);
    expect(dialogs).toEqual([]);
  }, 240_000);
});
