// "Manage my comments" in real Chromium: from the widget's footer link to the page that asks for the
// address, the link taken from the mail (kept in the database), the reader's list, the JSON download,
// "delete this one" and "delete all", after which nothing of the reader's comments is left.
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMailMessages } from '../../src/mail/mail.repository.ts';
import { type RunningServer, startHttpServer } from '../../src/runtime/http-server.ts';
import { articlePage, type HostSite, launchChromium, SHADOW, startHostSite } from '../support/browser.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const READER = { name: 'Ottilie Brandywine', email: 'ottilie.brandywine@example.com' };
let ctx: TestContext;
let server: RunningServer;
let base: string;
let browser: Browser;
let host: HostSite;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.container.startWorkers();
  [server, browser] = await Promise.all([startHttpServer(ctx.app, { port: 0, host: '127.0.0.1' }), launchChromium()]);
  base = `http://127.0.0.1:${server.port}`;
  host = await startHostSite({ '/story': articlePage({ service: base, site: 'daily', article: 'story' }) });
  await ctx.container.sites.create({
    id: 'daily',
    name: 'The Daily',
    settings: { moderation: 'none', origins: [host.origin], floodIntervalSeconds: 0 },
  });
  for (const [body, who] of [
    ['Ottilie says one', READER],
    ['Ottilie says two', READER],
    ['Someone else stays', { name: 'Kept', email: 'kept@example.com' }],
  ] as const) {
    const res = await fetch(`${base}/api/v1/sites/daily/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.origin },
      body: JSON.stringify({ articleId: 'story', ...who, body }),
    });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.close(2_000);
  await ctx?.close();
});

async function mailedLink(): Promise<string> {
  const db = ctx.container.database.db;
  let text = '';
  await waitUntil(
    async () => {
      const [row] = await listMailMessages(db, { siteIds: ['daily'], kind: 'manage_comments', limit: 1 });
      text = row?.text_body ?? '';
      return text !== '';
    },
    20_000,
    'the manage mail',
  );
  const url = new URL(text.match(/https?:\/\/\S+\/mail\/manage\/comments\?token=[A-Za-z0-9_.-]+/)![0]);
  // The mail points at PUBLIC_URL's default (this server listens on a port of its own).
  return `${base}${url.pathname}${url.search}`;
}

describe('manage my comments in a browser', () => {
  it('goes from the widget to the mailed link, downloads, deletes one, then all', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${host.origin}/story`);
    await page.waitForFunction(`!!${SHADOW}?.querySelector('a[href*="/mail/manage"]')`);
    const [ask] = await Promise.all([
      context.waitForEvent('page'),
      page.locator('#comments a', { hasText: 'Manage my comments' }).click(),
    ]);
    await ask.waitForLoadState();
    expect(await ask.locator('h1').textContent()).toContain('The Daily');
    await ask.fill('input[name=email]', READER.email);
    await ask.click('button[type=submit]');
    await ask.waitForSelector('text=Check your mail');

    const list = await context.newPage();
    await list.goto(await mailedLink());
    expect(await list.locator('li[data-comment]').count()).toBe(2);
    expect(await list.content()).not.toContain('Someone else stays');

    const [download] = await Promise.all([list.waitForEvent('download'), list.click('text=Download all (JSON)')]);
    const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(data.comments.map((c: { body: string }) => c.body).sort()).toEqual(['Ottilie says one', 'Ottilie says two']);

    await list.locator('li[data-comment]').first().locator('button', { hasText: 'Delete this one' }).click();
    await list.waitForFunction("document.querySelectorAll('li[data-comment]').length === 1");
    await list.click('button:has-text("Delete all")');
    await list.waitForSelector('text=1 comment deleted');

    const left = await ctx.container.database.db
      .selectFrom('comments')
      .select(['body', 'email'])
      .where('site_id', '=', 'daily')
      .execute();
    expect(left.filter((c) => c.email === READER.email || c.body.includes('Ottilie'))).toEqual([]);
    expect(left.map((c) => c.body)).toContain('Someone else stays');
    await context.close();
  });
});
