// The moderator dashboard in real Chromium: sign in, a held comment with its matched word marked,
// approved with one key, then on the article's public thread (the widget on a publisher's page) and
// delivered as comment.approved to a webhook receiver; three comments rejected at once with the
// keyboard; new comments arriving without a reload; hostile text shown as text; a moderator kept out
// of another site's queue; and how many keys ten held comments take.
//
// The app runs in this process, served over real HTTP by the same server code as `npm start`, so the
// test can reach its database for the fixture below.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/runtime/bootstrap.ts';
import { type RunningServer, startHttpServer } from '../../src/runtime/http-server.ts';
import { createUser, PASSWORD } from '../support/accounts.ts';
import { articlePage, type HostSite, launchChromium, startHostSite, watchDialogs } from '../support/browser.ts';
import { projectRoot } from '../support/server-process.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver, waitUntil } from '../support/webhook-receiver.ts';

const ADMIN = { email: 'chief@example.com', password: 'chief editor password' };
let ctx: TestContext;
let server: RunningServer;
let base: string;
let browser: Browser;
let receiver: Receiver;
let host: HostSite;
const output = path.join(projectRoot, 'tests/output');

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
  host = await startHostSite({ '/markets': articlePage({ service: base, site: 'news', article: 'markets' }) });
  const sites = ctx.container.sites;
  // Flood control off: the test posts many comments from one IP within seconds.
  await sites.create({
    id: 'news',
    name: 'The News',
    settings: { moderation: 'all', origins: [host.origin], floodIntervalSeconds: 0 },
  });
  await sites.create({ id: 'sports', name: 'Sports desk', settings: { moderation: 'all', floodIntervalSeconds: 0 } });
  await sites.create({ id: 'count', name: 'Counting', settings: { moderation: 'all', floodIntervalSeconds: 0 } });
  await createUser(ctx, 'sports-mod@example.com', 'moderator', ['sports']);
  await ctx.container.webhooks.create('news', { url: `${receiver.url}/hooks`, events: ['comment.approved'] });
  mkdirSync(output, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await receiver?.close();
  await server?.close(2_000);
  await ctx?.close();
});

let n = 0;
async function held(
  siteId: string,
  fields: { body?: string; name?: string; articleId?: string; parentId?: string } = {},
): Promise<string> {
  n += 1;
  const res = await fetch(`${base}/api/v1/sites/${siteId}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      articleId: fields.articleId ?? 'markets',
      articleUrl: `${host.origin}/markets`,
      articleTitle: 'Markets today',
      name: fields.name ?? `Reader ${n}`,
      email: `reader${n}@example.com`,
      body: fields.body ?? `Comment number ${n}`,
      ...(fields.parentId ? { parentId: fields.parentId } : {}),
    }),
  });
  const body = (await res.json()) as { id: string; status: string };
  expect(body.status).toBe('pending');
  return body.id;
}

const statusOf = async (id: string) => (await ctx.container.moderation.show(id)).comment.status;
const card = (page: Page, id: string) => page.locator(`#c-${id}`);

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${base}/dashboard`);
  await page.waitForURL(/\/dashboard\/login/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard\/queue/);
}

let page: Page;
let dialogs: string[];

describe('the moderator dashboard in Chromium', () => {
  it('signs in', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    dialogs = watchDialogs(page);
    await signIn(page, ADMIN.email, ADMIN.password);
    await expect.poll(() => page.getByRole('heading', { name: 'Review queue' }).isVisible()).toBe(true);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'cms_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('shows a held comment with its matched word marked, approves it with the keyboard, and it reaches the thread and the webhook', async () => {
    // A fuller queue for the screenshot: a regular's reply under a published comment.
    const parent = await held('news', { body: 'Stocks rallied on the news of the plan.', name: 'Ada' });
    await ctx.container.moderation.setStatus(parent, 'approved', { type: 'cli', id: 'setup' });
    await held('news', {
      body: 'Not so fast: bond yields tell another story.\nSee the ten-year.',
      name: 'Bea',
      parentId: parent,
    });
    const body = 'What a shit day for the markets.';
    // The profanity filter holds it and records where the word is; the dashboard marks it there.
    const id = await held('news', { body, name: 'Grumpy Trader' });

    await page.goto(`${base}/dashboard/queue?site=news`);
    await expect.poll(() => card(page, id).locator('mark').textContent()).toBe('shit');
    expect(await card(page, id).locator('.body').textContent()).toBe(body);
    expect(await card(page, id).getByText('Profanity', { exact: true }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(output, 'dashboard-queue.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(output, 'dashboard-queue-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await card(page, id).getByRole('link', { name: 'Details' }).click();
    await page.waitForURL(`${base}/dashboard/comments/${id}`);
    await expect.poll(() => page.getByText('“shit” in body, characters 7–11').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(output, 'dashboard-comment.png'), fullPage: true });

    await page.goto(`${base}/dashboard/queue?site=news`);
    await expect.poll(() => card(page, id).getAttribute('class')).toContain('is-current');
    await page.keyboard.press('a');
    await expect.poll(() => card(page, id).count()).toBe(0);
    await expect.poll(() => page.locator('#live').textContent()).toBe('Approved 1 comment.');
    expect(await statusOf(id)).toBe('approved');

    const reader = await browser.newPage();
    await reader.goto(`${host.origin}/markets`);
    await expect.poll(() => reader.locator('#comments').getByText(body).isVisible(), { timeout: 15_000 }).toBe(true);
    await reader.close();
    const [delivered] = await receiver.waitFor((all) => all.some((r) => r.json?.data?.comment?.id === id));
    expect(receiver.received.find((r) => r.json?.data?.comment?.id === id)?.json).toMatchObject({
      type: 'comment.approved',
      data: { from: 'pending', to: 'approved', actor: { type: 'user' } },
    });
    expect(delivered).toBeDefined();
  });

  it('rejects three comments at once: x to select, j to move, r to reject', async () => {
    const ids = [await held('news'), await held('news'), await held('news')];
    await page.goto(`${base}/dashboard/queue?site=news`);
    // Newest first: the third comment is on top and highlighted.
    await expect.poll(() => card(page, ids[2]!).getAttribute('class')).toContain('is-current');
    for (const key of ['x', 'j', 'x', 'j', 'x']) await page.keyboard.press(key);
    expect(await page.locator('input[name="ids"]:checked').count()).toBe(3);
    await page.keyboard.press('r');
    await expect.poll(() => page.locator('#live').textContent()).toBe('Rejected 3 comments.');
    for (const id of ids) expect(await statusOf(id)).toBe('rejected');
    await expect.poll(() => page.locator('[data-count="rejected"]').textContent()).toBe('3');
  });

  it('shows new held comments without a reload', async () => {
    await page.goto(`${base}/dashboard/queue?site=news`);
    await page.evaluate('window.__sameDocument = true');
    const id = await held('news', { body: 'Arrived while the page was open' });
    await expect.poll(() => card(page, id).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
  });

  it('shows HTML and script in a comment as text, and no dialog opens', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const body =
      '<script>alert("body")</script> <a href="javascript:alert(2)">click me</a> <img src=x onerror=alert(3)>';
    const id = await held('news', { name, body });
    await page.goto(`${base}/dashboard/queue?site=news`);
    await expect.poll(() => card(page, id).locator('.body').textContent()).toBe(body);
    expect(await card(page, id).locator('h3').textContent()).toBe(name);
    expect(await card(page, id).locator('.body a, .body img, .body script, h3 img').count()).toBe(0);
    await page.goto(`${base}/dashboard/comments/${id}`);
    expect(await page.locator('.card .body').textContent()).toBe(body);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  });

  it('keeps a right-to-left override in a name inside the name: the text after it reads as written', async () => {
    const parent = await held('news', { name: 'Mallory\u202E', body: 'the parent' });
    await ctx.container.moderation.setStatus(parent, 'approved', { type: 'cli', id: 'test' });
    const reply = await held('news', { parentId: parent, body: 'the reply' });
    await page.goto(`${base}/dashboard/queue?site=news`);
    await card(page, reply).waitFor();
    // Left to right, "approved" starts left of where it ends; an override leaking out of the name
    // would lay it out right to left (its first letter rightmost).
    const direction = await page.evaluate(`(() => {
      const quote = document.querySelector('#c-${reply} .parent');
      const walker = document.createTreeWalker(quote, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.data.indexOf('approved');
        if (at === -1) continue;
        const x = (i) => { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1); return r.getBoundingClientRect().left; };
        return x(at) < x(at + 7) ? 'ltr' : 'rtl';
      }
      return 'not found';
    })()`);
    expect(direction).toBe('ltr');
    expect(await card(page, reply).locator('.parent bdi').first().textContent()).toBe('Mallory\u202E');
  });

  it('clears ten held comments with ten keys (a, ten times), or two (* then a)', async () => {
    const first: string[] = [];
    for (let i = 0; i < 10; i++) first.push(await held('count', { articleId: 'ten' }));
    await page.goto(`${base}/dashboard/queue?site=count`);
    await expect.poll(() => page.locator('#queue .card').count()).toBe(10);
    let keys = 0;
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('a');
      keys += 1;
    }
    await waitUntil(
      async () => (await Promise.all(first.map(statusOf))).every((s) => s === 'approved'),
      20_000,
      'ten approvals',
    );
    await expect.poll(() => page.locator('#queue .card').count()).toBe(0);
    expect(keys).toBe(10);

    const second: string[] = [];
    for (let i = 0; i < 10; i++) second.push(await held('count', { articleId: 'ten-more' }));
    await page.goto(`${base}/dashboard/queue?site=count`);
    await expect.poll(() => page.locator('#queue .card').count()).toBe(10);
    await page.keyboard.press('*');
    await page.keyboard.press('a');
    await waitUntil(
      async () => (await Promise.all(second.map(statusOf))).every((s) => s === 'approved'),
      20_000,
      'ten approvals in one batch',
    );
    await expect.poll(() => page.locator('#live').textContent()).toBe('Approved 10 comments.');
    console.log('keys to clear ten held comments: 10 one by one (a ×10), 2 at once (* then a)');
  });

  it('edits site settings, with the validation message next to the field', async () => {
    await page.goto(`${base}/dashboard/sites/news`);
    await page.getByLabel('Reply depth').fill('40');
    await page.getByLabel('Hold words').fill('bitcoin\ncasino');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('#set-maxDepth-error').textContent()).toBe('must be at most 10');
    expect(await page.getByLabel('Reply depth').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Hold words').inputValue()).toBe('bitcoin\ncasino'); // kept as typed
    await page.screenshot({ path: path.join(output, 'dashboard-settings.png'), fullPage: true });
    await page.getByLabel('Reply depth').fill('4');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Settings saved.');
    expect((await ctx.container.sites.get('news')).settings).toMatchObject({
      maxDepth: 4,
      holdWords: ['bitcoin', 'casino'],
    });
  });

  it("keeps a moderator of one site out of another site's queue", async () => {
    const news = await held('news', { body: 'only for news moderators' });
    const sports = await held('sports', { body: 'a sports comment' });
    const context = await browser.newContext();
    const mod = await context.newPage();
    await signIn(mod, 'sports-mod@example.com', PASSWORD);
    await expect.poll(() => card(mod, sports).isVisible()).toBe(true);
    expect(await card(mod, news).count()).toBe(0);
    expect(await mod.locator('#f-site option').allTextContents()).toEqual(['All my sites', 'sports']);
    const queue = await mod.goto(`${base}/dashboard/queue?site=news`);
    expect(queue?.status()).toBe(403);
    expect(await mod.getByText('You do not have access to this.').isVisible()).toBe(true);
    expect(await mod.getByText('only for news moderators').count()).toBe(0);
    expect((await mod.goto(`${base}/dashboard/comments/${news}`))?.status()).toBe(403);
    expect((await mod.goto(`${base}/dashboard/sites/news`))?.status()).toBe(403);
    await context.close();
  });
});
