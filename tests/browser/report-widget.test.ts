// Reader reports in real Chromium (issue 15): a reader reports comments from the widget on another
// origin (the dialog, the EU notice fields shown only for "illegal", the confirmation), another reader
// reports one with JavaScript off through the demo page's plain form; a moderator finds them in the
// Reported tab and rejects one and dismisses the others with the keyboard; the public thread and a
// webhook receiver see the outcome.
//
// The app runs in this process, served over real HTTP by the same server code as `npm start`, so the
// test can read its database.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITE_ID } from '../../src/demo/seed-article.ts';
import { ensureAdmin, ensureDemoSite } from '../../src/runtime/bootstrap.ts';
import { type RunningServer, startHttpServer } from '../../src/runtime/http-server.ts';
import { articlePage, type HostSite, launchChromium, SHADOW, startHostSite, watchDialogs } from '../support/browser.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';

const ADMIN = { email: 'desk@example.com', password: 'desk editor password' };
const EVENTS = ['comment.reported', 'report.resolved', 'comment.rejected', 'comment.approved'];
let ctx: TestContext;
let server: RunningServer;
let base: string;
let browser: Browser;
let receiver: Receiver;
let host: HostSite;

beforeAll(async () => {
  ctx = await createTestContext(
    { WEBHOOK_ALLOW_PRIVATE: 'true', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    { webhookScheduleMs: [200, 200] },
  );
  await ensureAdmin(ctx.container);
  await ctx.container.startWorkers();
  [server, browser, receiver] = await Promise.all([
    startHttpServer(ctx.app, { port: 0, host: '127.0.0.1' }),
    launchChromium(),
    startReceiver(),
  ]);
  base = `http://127.0.0.1:${server.port}`;
  host = await startHostSite({ '/story': articlePage({ service: base, site: 'partner', article: 'story' }) });
  // One fresh reporter weighs 0.5: with this threshold a single report brings a comment to the queue.
  const reporting = { reportQueueThreshold: 0.5, floodIntervalSeconds: 0 };
  await ctx.container.sites.create({
    id: 'partner',
    name: 'Partner',
    settings: { moderation: 'none', origins: [host.origin], ...reporting },
  });
  await ensureDemoSite(ctx.container, server.port);
  await ctx.container.sites.update(DEMO_SITE_ID, { settings: reporting });
  await ctx.container.webhooks.create('partner', { url: `${receiver.url}/partner`, events: EVENTS });
  await ctx.container.webhooks.create(DEMO_SITE_ID, { url: `${receiver.url}/demo`, events: EVENTS });
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await receiver?.close();
  await server?.close(2_000);
  await ctx?.close();
});

async function published(siteId: string, article: string, articleUrl: string, name: string, body: string) {
  const res = await fetch(`${base}/api/v1/sites/${siteId}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ articleId: article, articleUrl, name, email: `${name.split(' ')[0]}@example.com`, body }),
  });
  const { id, status } = (await res.json()) as { id: string; status: string };
  if (status !== 'approved') await ctx.container.moderation.setStatus(id, 'approved', { type: 'cli', id: 'setup' });
  return id;
}

const db = () => ctx.container.database.db;
const reportsOf = (commentId: string) =>
  db().selectFrom('reports').selectAll().where('comment_id', '=', commentId).execute();
const statusOf = async (id: string) => (await ctx.container.moderation.show(id)).comment.status;
const inWidget = (page: Page, js: string) => page.evaluate(`(() => { const root = ${SHADOW}; return ${js}; })()`);

let spam = '';
let fair = '';
let demoComment = '';

describe('reader reports in Chromium', () => {
  it('a reader reports two comments from the widget on another origin', async () => {
    spam = await published('partner', 'story', `${host.origin}/story`, 'Spammer', 'Buy followers now at cheap.example');
    fair = await published('partner', 'story', `${host.origin}/story`, 'Fair Reader', 'A fair point about taxes.');
    const page = await browser.newPage();
    const dialogs = watchDialogs(page);
    await page.goto(`${host.origin}/story`);
    const widget = page.locator('#comments');
    await widget.getByText('A fair point about taxes.').waitFor();

    const reportButton = widget.getByRole('button', { name: 'Report the comment by Spammer' });
    await reportButton.click();
    const dialog = widget.getByRole('dialog', { name: 'Report the comment by Spammer' });
    await dialog.waitFor();
    expect(await inWidget(page, `root.querySelector('dialog').matches(':modal')`)).toBe(true);
    // The notice fields appear only for "illegal".
    expect(await dialog.getByRole('textbox', { name: 'Law or rule broken' }).isVisible()).toBe(false);
    await dialog.getByRole('radio', { name: 'Spam' }).check();
    await dialog.getByRole('textbox', { name: 'Details (optional)' }).fill('Advertising, nothing else.');
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await expect
      .poll(() => dialog.getByRole('status').textContent())
      .toBe('Thank you: your report was sent to the moderators.');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await dialog.isVisible()).toBe(false);
    // Focus goes back to the button that opened the dialog.
    expect(await inWidget(page, `root.activeElement?.getAttribute('aria-label')`)).toBe(
      'Report the comment by Spammer',
    );
    const token = (await page.evaluate(`localStorage.getItem('comments:reporter')`)) as string;
    expect(JSON.parse(token)).toMatch(/^[\x21-\x7e]{16,128}$/);

    await widget.getByRole('button', { name: 'Report the comment by Fair Reader' }).click();
    const second = widget.getByRole('dialog', { name: 'Report the comment by Fair Reader' });
    await second.getByRole('radio', { name: 'Illegal content' }).check();
    const law = second.getByRole('textbox', { name: 'Law or rule broken' });
    expect(await law.isVisible()).toBe(true);
    await second.getByRole('button', { name: 'Send report' }).click();
    // The API names the missing notice fields; the dialog says which.
    await expect.poll(() => second.getByRole('alert').textContent()).toContain('Law or rule broken is required');
    await law.fill('Tax secrecy act §3');
    await second.getByRole('textbox', { name: 'Why it breaks it' }).fill('It publishes a private tax number.');
    await second.getByRole('textbox', { name: 'Your name' }).fill('Nora Notifier');
    await second.getByRole('textbox', { name: 'Your email' }).fill('nora@notify.example');
    await second.getByRole('checkbox', { name: /good faith/ }).check();
    await second.getByRole('button', { name: 'Send report' }).click();
    await expect
      .poll(() => second.getByRole('status').textContent())
      .toBe('Thank you: your report was sent to the moderators.');

    const [spamReport] = await reportsOf(spam);
    const [fairReport] = await reportsOf(fair);
    expect(spamReport).toMatchObject({ reason: 'spam', detail: 'Advertising, nothing else.', outcome: 'open' });
    expect(fairReport).toMatchObject({
      reason: 'illegal',
      notice: { law: 'Tax secrecy act §3', reporterName: 'Nora Notifier', goodFaith: true },
    });
    // One reader, one token: the same reporter on both comments.
    expect(fairReport!.reporter_key).toBe(spamReport!.reporter_key);
    await receiver.waitFor(
      (all) => all.filter((r) => r.path === '/partner' && r.json?.type === 'comment.reported').length === 2,
    );
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('a reader without JavaScript reports a comment through the demo page form and comes back to it', async () => {
    demoComment = await published(DEMO_SITE_ID, 'pk-kz-action-plan', `${base}/`, 'Loud Larry', 'You are all idiots.');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Report the comment by Loud Larry' }).click();
    await page.waitForURL(new RegExp(`report=${demoComment}#report$`));
    await page.getByRole('radio', { name: 'Abuse or harassment' }).check();
    await page.getByRole('textbox', { name: 'Details (optional)' }).fill('Insults everyone.');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(`${base}/?reported=${demoComment}#comment-${demoComment}`);
    expect(await page.getByRole('status').textContent()).toBe('Thank you: your report was sent to the moderators.');
    expect(await reportsOf(demoComment)).toMatchObject([{ reason: 'abuse', detail: 'Insults everyone.' }]);
    await context.close();
  });

  it('a moderator rejects and dismisses them with the keyboard; the thread and the webhook receiver see it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const dialogs = watchDialogs(page);
    await page.goto(`${base}/dashboard/login`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard\/queue/);
    await page.getByRole('link', { name: 'Reported' }).click();
    await page.waitForURL(`${base}/dashboard/reported`);
    const card = (id: string) => page.locator(`#r-${id}`);
    expect(await card(spam).isVisible()).toBe(true);
    expect(await card(fair).getByText('Nora Notifier').isVisible()).toBe(true);
    expect(await card(demoComment).getByText('Insults everyone.').isVisible()).toBe(true);

    await page.goto(`${base}/dashboard/reported?site=partner`);
    // Equal scores: the earliest report first, and the first card is the current one.
    await expect.poll(() => card(spam).getAttribute('class')).toContain('is-current');
    await page.keyboard.press('r');
    await page.waitForURL(/done=reject/);
    expect(await page.getByRole('status').textContent()).toBe('Reports upheld: the comment was rejected.');
    expect(await card(spam).count()).toBe(0);
    await expect.poll(() => card(fair).getAttribute('class')).toContain('is-current');
    await page.keyboard.press('d');
    await page.waitForURL(/done=dismiss/);
    expect(await page.getByText('No reported comments waiting.').isVisible()).toBe(true);

    // j moves to a card, d dismisses it: the demo site's report.
    await page.goto(`${base}/dashboard/reported?site=${DEMO_SITE_ID}`);
    await page.keyboard.press('j');
    await page.keyboard.press('d');
    await page.waitForURL(/done=dismiss/);
    expect(await card(demoComment).count()).toBe(0);

    expect(await statusOf(spam)).toBe('rejected');
    expect(await statusOf(fair)).toBe('approved');
    expect(await statusOf(demoComment)).toBe('approved');
    // Decisions moved the reader's reliability: one report upheld, one dismissed.
    const reporter = await db()
      .selectFrom('reporters')
      .select(['upheld', 'dismissed'])
      .where('site_id', '=', 'partner')
      .execute();
    expect(reporter).toEqual([{ upheld: 1, dismissed: 1 }]);

    // The public thread: the rejected comment is gone, the dismissed one stays.
    const reader = await browser.newPage();
    await reader.goto(`${host.origin}/story`);
    await reader.locator('#comments').getByText('A fair point about taxes.').waitFor();
    expect(await reader.locator('#comments').getByText('Buy followers now').count()).toBe(0);
    await reader.close();

    const has = (path: string, type: string, id: string, outcome?: string) => (all: typeof receiver.received) =>
      all.some(
        (r) =>
          r.path === path &&
          r.json?.type === type &&
          r.body.includes(id) &&
          (!outcome || r.json.data.report?.outcome === outcome),
      );
    await receiver.waitFor(has('/partner', 'comment.rejected', spam));
    await receiver.waitFor(has('/partner', 'report.resolved', spam, 'upheld'));
    await receiver.waitFor(has('/partner', 'report.resolved', fair, 'dismissed'));
    await receiver.waitFor(has('/demo', 'report.resolved', demoComment, 'dismissed'));
    // Events of reports never carry who reported: not the notifier's name or address.
    expect(receiver.received.some((r) => r.body.includes('nora@notify.example') || r.body.includes('Nora'))).toBe(
      false,
    );
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
