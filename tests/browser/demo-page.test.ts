// The demo article at / in real Chromium: the widget replaces the server-rendered fallback, holds the
// first comment (the demo site's `first` mode), shows it after approval, takes replies, field errors,
// a keyboard-only reader, and still works without JavaScript.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focusedInWidget, launchChromium, SHADOW, watchDialogs } from '../support/browser.ts';
import { freshEnvironment, projectRoot, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';

let server: ServerProcess;
let browser: Browser;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshEnvironment();
  cleanup = fresh.cleanup;
  [server, browser] = await Promise.all([startServer('src/bin/server.ts', fresh.env), launchChromium()]);
  // A scripted browser submits within milliseconds of loading the page: the time trap (tested in
  // tests/api/filters.test.ts) would take it for a bot.
  const paced = await runTsx(
    'src/bin/cli.ts',
    ['sites:update', '--id', 'demo', '--set', 'minSubmitSeconds=0'],
    server.env,
  );
  if (paced.code !== 0) throw new Error(paced.stderr);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGKILL');
  await cleanup?.();
});

const textbox = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });

async function openDemo(page: Page): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.locator('#comments h2').first().waitFor(); // the widget's heading, inside its shadow root
  await expect.poll(() => page.locator('#comments').getByRole('status').first().textContent()).toBe('');
}

async function fillForm(page: Page, f: { body: string; name: string; email: string }) {
  await textbox(page, 'Comment').fill(f.body);
  await textbox(page, 'Name').fill(f.name);
  await textbox(page, 'Email').fill(f.email);
}

let firstId = '';

describe('the demo article with the widget', () => {
  it('replaces the no-JavaScript fallback and holds a first comment, shown in place to its author only, after a reload too', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs = watchDialogs(page);
    await openDemo(page);
    expect(await page.evaluate(`${SHADOW} !== null && document.querySelector('#comments').children.length === 0`)).toBe(
      true,
    );
    await expect.poll(() => page.getByRole('heading', { name: 'No comments yet' }).isVisible()).toBe(true);

    await fillForm(page, {
      body: 'First thoughts on the Action Plan.',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    await page.getByRole('checkbox', { name: /Save my name and email/ }).check();
    await page.getByRole('button', { name: 'Post Comment' }).click();

    const own = page.locator('li.own');
    await own.waitFor();
    expect(await own.textContent()).toContain('Your comment is awaiting moderation.');
    expect(await own.textContent()).toContain('First thoughts on the Action Plan.');
    expect(await page.getByRole('status').filter({ hasText: 'awaiting moderation' }).count()).toBe(1);
    expect(await textbox(page, 'Comment').inputValue()).toBe('');
    firstId = (await own.getAttribute('id'))!.replace('comment-', '');

    await page.reload();
    await page.locator('li.own').waitFor();
    // Remembered (opt-in) for next time.
    expect(await textbox(page, 'Name').inputValue()).toBe('Ada Lovelace');
    expect(await textbox(page, 'Email').inputValue()).toBe('ada@example.com');

    const stranger = await browser.newPage();
    await openDemo(stranger);
    expect(await stranger.locator('li.own').count()).toBe(0);
    expect(await stranger.getByText('First thoughts').count()).toBe(0);
    expect(await textbox(stranger, 'Name').inputValue()).toBe('');
    await stranger.close();
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('shows the comment to everyone once approved (CLI), and posts a reply under it that appears at once', async () => {
    const approved = await runTsx(
      'src/bin/cli.ts',
      ['comments:set-status', '--id', firstId, '--status', 'approved'],
      server.env,
    );
    expect(approved.code, approved.stderr).toBe(0);

    const page = await browser.newPage();
    await openDemo(page);
    expect(await page.getByRole('heading', { name: '1 comment' }).isVisible()).toBe(true);
    const first = page.locator(`#comment-${firstId}`);
    expect(await first.locator('.au').textContent()).toBe('Ada Lovelace');
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await first.locator('time').getAttribute('title')).toMatch(/\d{4}/);
    expect(await first.locator('time').textContent()).toMatch(/now|minute/);

    await page.getByRole('button', { name: 'Reply to Ada Lovelace' }).click();
    expect(await page.getByRole('heading', { name: 'Reply to Ada Lovelace' }).isVisible()).toBe(true);
    expect(await focusedInWidget(page)).toBe('body');
    // The form now sits under the comment being answered.
    expect(await first.locator('form').count()).toBe(1);
    // Same author (trusted after one approved comment): published at once.
    await fillForm(page, {
      body: 'Replying to myself with a correction.',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    await page.getByRole('button', { name: 'Post Comment' }).click();
    const reply = first.locator('ol > li').filter({ hasText: 'Replying to myself' });
    await reply.waitFor();
    expect(await reply.locator('.msg').count()).toBe(0);
    expect(await page.getByRole('heading', { name: '2 comments' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Leave a reply' }).isVisible()).toBe(true);
    expect(await first.locator('form').count()).toBe(0);

    await page.reload();
    await first.locator('ol > li').filter({ hasText: 'Replying to myself' }).waitFor();
    await page.close();
  });

  it('cancels a reply and moves the form back', async () => {
    const page = await browser.newPage();
    await openDemo(page);
    await page.getByRole('button', { name: 'Reply to Ada Lovelace' }).first().click();
    await page.getByRole('button', { name: 'Cancel reply' }).click();
    expect(await page.getByRole('heading', { name: 'Leave a reply' }).isVisible()).toBe(true);
    expect(await page.locator(`#comment-${firstId} form`).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel reply' }).isVisible()).toBe(false);
    await page.close();
  });

  it('shows a field error from the API next to its field, announced and linked to it', async () => {
    const page = await browser.newPage();
    await openDemo(page);
    // Several errors: listed and focused in the form's order, whatever order the API gives them in.
    await textbox(page, 'Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Post Comment' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Please correct: Comment is required. Name is required. Email must be a valid email address.');
    expect(await focusedInWidget(page)).toBe('body');

    await fillForm(page, { body: 'Keep this text', name: 'Bob', email: 'not-an-email' });
    await page.getByRole('button', { name: 'Post Comment' }).click();
    const email = textbox(page, 'Email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const error = page.locator('#email-error');
    expect(await error.textContent()).toBe('Email must be a valid email address.');
    expect(await error.isVisible()).toBe(true);
    expect((await email.getAttribute('aria-describedby'))?.split(' ')).toContain('email-error');
    expect(await page.getByRole('alert').textContent()).toContain('Email must be a valid email address.');
    expect(await focusedInWidget(page)).toBe('email');
    expect(await textbox(page, 'Comment').inputValue()).toBe('Keep this text');
    expect(await textbox(page, 'Name').getAttribute('aria-invalid')).toBeNull();

    await email.fill('bob@example.com');
    await page.getByRole('button', { name: 'Post Comment' }).click();
    await page.locator('li.own').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBeNull();
    expect(await error.isVisible()).toBe(false);
    await page.close();
  });

  it('can be used with the keyboard only, with a visible focus', async () => {
    const page = await browser.newPage();
    await openDemo(page);
    let focused: string | null = null;
    for (let i = 0; i < 30 && focused !== 'body'; i++) {
      await page.keyboard.press('Tab');
      focused = await focusedInWidget(page);
    }
    expect(focused).toBe('body');
    await page.keyboard.type('Typed without a mouse.');
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('name');
    await page.keyboard.type('Keyboard Kim');
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('email');
    await page.keyboard.type('kim@example.com');
    await page.keyboard.press('Tab'); // the honeypot has tabindex -1: straight to the checkboxes
    expect(await focusedInWidget(page)).toBe('notify');
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('remember');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(
      `(() => { const el = ${SHADOW}.activeElement; const s = getComputedStyle(el); return [el.textContent, s.outlineStyle, s.outlineWidth]; })()`,
    );
    expect(outline).toEqual(['Post Comment', 'solid', '3px']);
    await page.keyboard.press('Enter');
    await page.locator('li.own').filter({ hasText: 'Typed without a mouse.' }).waitFor();

    // Reply and cancel from the keyboard too: Enter on "Reply", Escape returns focus to it.
    await page.getByRole('button', { name: 'Reply to Ada Lovelace' }).first().focus();
    await page.keyboard.press('Enter');
    expect(await focusedInWidget(page)).toBe('body');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('heading', { name: 'Leave a reply' }).isVisible()).toBe(true);
    expect(await page.evaluate(`${SHADOW}.activeElement.getAttribute('aria-label')`)).toBe('Reply to Ada Lovelace');
    await page.close();
  });

  it('still works without JavaScript: the server-rendered form posts and comes back to the article', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(
      await page
        .getByRole('heading', { name: /comment/ })
        .first()
        .textContent(),
    ).toMatch(/2 comments/);
    await fillForm(page, { body: 'Posted without JavaScript.', name: 'Noscript Nora', email: 'nora@example.com' });
    await page.getByRole('button', { name: 'Post Comment' }).click();
    await page.waitForURL(/status=pending/);
    expect(await page.getByText('Your comment is awaiting moderation.').isVisible()).toBe(true);
    await context.close();
  });

  it('saves a screenshot of the demo article with its thread (CI artifact)', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await openDemo(page);
    await page.locator(`#comment-${firstId}`).waitFor();
    const dir = path.join(projectRoot, 'tests/output');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'demo-article.png');
    await page.screenshot({ path: file, fullPage: true });
    await page.close();
  });
});
