// The widget on a publisher's page served from another origin (http://localhost:P2 embedding
// http://127.0.0.1:P1/embed.js): CORS for allowed origins only, posting and replying, XSS payloads,
// hostile page CSS, retries and double clicks, count.js, themes, and the time to render 50 comments.
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlePage, type HostSite, launchChromium, SHADOW, startHostSite, watchDialogs } from '../support/browser.ts';
import { freshEnvironment, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';

let server: ServerProcess;
let host: HostSite;
let browser: Browser;
let cleanup: () => Promise<void>;
const pages: Record<string, string> = {};

beforeAll(async () => {
  const fresh = await freshEnvironment();
  cleanup = fresh.cleanup;
  [server, browser] = await Promise.all([startServer('src/bin/server.ts', fresh.env), launchChromium()]);
  host = await startHostSite(pages);
  const service = server.url;
  const page = (article: string, extra: Partial<Parameters<typeof articlePage>[0]> = {}) =>
    articlePage({ service, site: 'partner', article, ...extra });
  Object.assign(pages, {
    '/article': page('xo-1'),
    '/xss': page('xss'),
    '/bidi': page('bidi'),
    '/retry': page('retry'),
    '/hostile': page('hostile', {
      head: '<style>* { color: red !important; font-size: 40px !important } button, textarea { display: none !important }</style>',
    }),
    '/styled': page('xo-1', {
      htmlAttrs: 'dir="rtl"',
      head: '<style>#comments { --comments-accent: rgb(200, 0, 100); }</style>',
    }),
    '/fifty': page('fifty', { attrs: 'data-page-size="50"' }),
    '/paged': page('fifty', { attrs: 'data-page-size="20"' }),
    '/shallow': articlePage({ service, site: 'shallow', article: 'depth' }),
    '/not-allowed': articlePage({ service, site: 'demo', article: 'pk-kz-action-plan' }),
    '/index': `<!doctype html><html><body><ul>
      <li>One <span data-comment-count="xo-1" data-site="partner">…</span></li>
      <li>Fifty <span data-comment-count="fifty" data-site="partner">…</span> (<b data-comment-count="fifty" data-site="partner" data-count-format="number">?</b>)</li>
      <li>None <span data-comment-count="nothing-yet" data-site="partner">…</span></li>
      </ul><script src="${service}/count.js" async></script></body></html>`,
  });
  // A scripted browser posts within milliseconds of loading, many times from one address: the time
  // trap and flood control (tested in tests/api/filters*.test.ts) would hold or refuse it.
  const pacing = ['--flood-interval', '0', '--set', 'minSubmitSeconds=0'];
  const created = await runTsx(
    'src/bin/cli.ts',
    ['sites:create', '--id', 'partner', '--name', 'Partner', '--origin', host.origin, '--mode', 'none', ...pacing],
    server.env,
  );
  if (created.code !== 0) throw new Error(created.stderr);
  const shallow = await runTsx(
    'src/bin/cli.ts',
    [
      'sites:create',
      '--id',
      'shallow',
      '--name',
      'Shallow',
      '--origin',
      host.origin,
      '--mode',
      'none',
      '--max-depth',
      '2',
      ...pacing,
    ],
    server.env,
  );
  if (shallow.code !== 0) throw new Error(shallow.stderr);
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.stop('SIGKILL');
  await cleanup?.();
});

const textbox = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });

async function open(path: string, page?: Page): Promise<Page> {
  page ??= await browser.newPage();
  await page.goto(`${host.origin}${path}`);
  await expect.poll(() => page.locator('#comments').getByRole('status').first().textContent()).toBe('');
  return page;
}

async function post(page: Page, f: { body: string; name?: string; email?: string }) {
  await textbox(page, 'Comment').fill(f.body);
  await textbox(page, 'Name').fill(f.name ?? 'Cross Origin');
  await textbox(page, 'Email').fill(f.email ?? 'cross@example.com');
  await page.getByRole('button', { name: 'Post Comment' }).click();
}

async function seed(article: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${server.url}/api/v1/sites/partner/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        articleId: article,
        name: `Seeder ${i}`,
        email: `seed${i}@example.com`,
        body: `Seeded comment ${i}`,
      }),
    });
    if (res.status !== 201) throw new Error(`seeding: ${res.status} ${await res.text()}`);
  }
}

async function threadBodies(article: string): Promise<string[]> {
  const res = await fetch(`${server.url}/api/v1/sites/partner/articles/${article}/comments?limit=100`);
  const flat = (cs: { html: string; replies: any[] }[]): string[] => cs.flatMap((c) => [c.html, ...flat(c.replies)]);
  return flat(((await res.json()) as { comments: any[] }).comments);
}

describe('the widget on another origin', () => {
  it('posts a comment and a reply through CORS; a published comment appears in place at once', async () => {
    const page = await open('/article');
    const grants: (string | null)[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/api/v1/')) grants.push(res.headers()['access-control-allow-origin'] ?? null);
    });
    expect(await page.getByRole('heading', { name: 'No comments yet' }).isVisible()).toBe(true);
    await post(page, { body: 'Hello from another origin. See https://example.com/report.' });
    const first = page.locator('li').filter({ hasText: 'Hello from another origin' });
    await first.waitFor();
    expect(await page.getByRole('heading', { name: '1 comment' }).isVisible()).toBe(true);
    expect(await first.locator('.msg').count()).toBe(0); // published, not held
    const link = first.getByRole('link', { name: 'https://example.com/report' });
    expect(await link.getAttribute('rel')).toBe('nofollow ugc noopener');

    await first.getByRole('button', { name: 'Reply to Cross Origin' }).click();
    await post(page, { body: 'A reply from the same page.', name: 'Second Reader', email: 'second@example.com' });
    await first.locator('ol > li').filter({ hasText: 'A reply from the same page.' }).waitFor();
    expect(await page.getByRole('heading', { name: '2 comments' }).isVisible()).toBe(true);
    expect(grants.length).toBeGreaterThanOrEqual(2);
    expect(new Set(grants)).toEqual(new Set([host.origin]));

    await page.reload();
    await page.locator('li li').filter({ hasText: 'A reply from the same page.' }).waitFor();
    await page.close();
  });

  it("places a reply beyond the site's depth next to its parent, where a reload shows it too", async () => {
    const page = await open('/shallow');
    await post(page, { body: 'Level zero' });
    const top = page.locator('li').filter({ hasText: 'Level zero' }).first();
    await top.waitFor();
    await top.getByRole('button', { name: 'Reply to Cross Origin' }).click();
    await post(page, { body: 'Level one', name: 'Second' });
    const levelOne = top.locator('ol > li').filter({ hasText: 'Level one' });
    await levelOne.waitFor();
    await levelOne.getByRole('button', { name: 'Reply to Second' }).click();
    await post(page, { body: 'Would be level two', name: 'Third' });
    const shape = async () => {
      await top.locator('ol > li').filter({ hasText: 'Would be level two' }).waitFor();
      // maxDepth 2: levels 0 and 1 only, so the answer to "Level one" sits beside it.
      expect(await top.locator(':scope > ol > li').allTextContents()).toEqual([
        expect.stringContaining('Level one'),
        expect.stringContaining('Would be level two'),
      ]);
      expect(await page.locator('li li li').count()).toBe(0);
    };
    await shape();
    await page.reload();
    await shape();
    await page.close();
  });

  it('on an origin the site does not allow, names the origin and the setting in the console and shows no form', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${host.origin}/not-allowed`);
    await expect
      .poll(() => page.locator('#comments').getByRole('status').first().textContent())
      .toBe('Comments are not available on this page.');
    const diagnosis = errors.find((e) => e.startsWith('Comments: '));
    expect(diagnosis).toContain(`Origin ${host.origin} is not allowed for site "demo"`);
    expect(diagnosis).toContain(`sites:update --id demo --origin ${host.origin}`);
    // No form that could never post.
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Post Comment' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Leave a reply' }).count()).toBe(0);
    await page.close();
  });

  it('shows XSS payloads in name and body as text, and no dialog opens', async () => {
    const page = await open('/xss');
    const dialogs = watchDialogs(page);
    const name = '<img src=x onerror=alert(1)>';
    const body =
      '<script>alert(2)</script> <img src=x onerror=alert(3)> <a href="javascript:alert(4)">click</a> javascript:alert(5) [x](javascript:alert(6)) <svg onload=alert(7)>';
    await post(page, { body, name, email: 'xss@example.com' });
    const check = async () => {
      const item = page.locator('li').filter({ hasText: 'javascript:alert(5)' });
      await item.waitFor();
      expect(await item.locator('.au').textContent()).toBe(name);
      expect(await item.locator('article > div').textContent()).toBe(body);
      expect(
        await page.evaluate(`${SHADOW}.querySelectorAll('img, script, svg, iframe, [onerror], [onload]').length`),
      ).toBe(0);
      expect(
        await page.evaluate(
          `${SHADOW}.querySelectorAll('a[href^="javascript" i]').length + document.querySelectorAll('img, svg').length`,
        ),
      ).toBe(0);
    };
    await check();
    await page.reload();
    await check();
    await page.waitForTimeout(300); // an injected onerror would fire by now
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('isolates a name with a right-to-left override: it cannot reorder the time or the reply heading', async () => {
    const page = await open('/bidi');
    const name = 'Mallory\u202E';
    await post(page, { body: 'A comment with a tricky name.', name, email: 'bidi@example.com' });
    const item = page.locator('li').filter({ hasText: 'A comment with a tricky name.' });
    await item.waitFor();
    expect(await item.locator('.au').textContent()).toBe(name);
    // The name element is its own bidi paragraph, whatever the layout around it.
    expect(await item.locator('.au').evaluate((el) => (globalThis as any).getComputedStyle(el).unicodeBidi)).toBe(
      'plaintext',
    );
    // Left to right, a text's first letter is left of its last; a leaking override would flip that.
    const inOrder = (selector: string) =>
      item.locator(selector).evaluate((el: any) => {
        const n = [...el.childNodes].find((c: any) => c.nodeType === 3 && c.data.trim().length > 1);
        const x = (i: number) => {
          const r = (globalThis as any).document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          return r.getBoundingClientRect().left;
        };
        return x(n.data.search(/\S/)) < x(n.data.trimEnd().length - 1);
      });
    expect(await inOrder('time')).toBe(true);
    await item.getByRole('button', { name: `Reply to ${name}` }).click();
    const heading = page.locator('form h2, h2').filter({ hasText: 'Reply to' }).first();
    expect(await heading.locator('bdi').textContent()).toBe(name);
    expect(await heading.evaluate((el: any) => el.childNodes[0].data)).toBe('Reply to ');
    await page.close();
  });

  it('keeps working on a page whose CSS styles every element aggressively', async () => {
    const page = await open('/hostile');
    const textarea = textbox(page, 'Comment');
    const submit = page.getByRole('button', { name: 'Post Comment' });
    expect(await textarea.isVisible()).toBe(true);
    expect(await submit.isVisible()).toBe(true);
    const style = (selector: string) =>
      page.evaluate(
        `(() => { const s = getComputedStyle(${SHADOW}.querySelector('${selector}')); return [s.fontSize, s.color]; })()`,
      ) as Promise<[string, string]>;
    // The page's `*` rule reaches the container itself; the widget's own 16px and colours win inside.
    expect((await style('textarea'))[0]).toBe('16px');
    const [headingSize, headingColor] = await style('h2');
    expect(headingColor).not.toBe('rgb(255, 0, 0)');
    expect(headingSize).not.toBe('40px');
    await post(page, { body: 'Posted through hostile CSS.' });
    await page.locator('li').filter({ hasText: 'Posted through hostile CSS.' }).waitFor();
    await page.close();
  });

  it('keeps the text and shows when to retry on 429, and reuses the Idempotency-Key when an answer was lost', async () => {
    const page = await open('/retry');
    const keys: string[] = [];
    page.on('request', (req: Request) => {
      if (req.method() === 'POST') keys.push(req.headers()['idempotency-key'] ?? '');
    });
    const endpoint = `${server.url}/api/v1/sites/partner/comments`;

    await page.route(endpoint, (route) =>
      route.fulfill({
        status: 429,
        headers: {
          'content-type': 'application/problem+json',
          'retry-after': '7',
          'access-control-allow-origin': host.origin,
          'access-control-expose-headers': 'Retry-After',
        },
        body: JSON.stringify({
          type: '/problems/too_many_requests',
          title: 'Too many requests',
          status: 429,
          detail: 'You are commenting too fast.',
        }),
      }),
    );
    await post(page, { body: 'Retried comment' });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('try again in 7 seconds');
    expect(await page.getByRole('alert').textContent()).toContain('You are commenting too fast.');
    expect(await textbox(page, 'Comment').inputValue()).toBe('Retried comment');
    await page.unroute(endpoint);

    // The comment reaches the server but the answer is lost on the way back.
    await page.route(endpoint, async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByRole('button', { name: 'Post Comment' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('could not be reached');
    expect(await textbox(page, 'Comment').inputValue()).toBe('Retried comment');
    await page.unroute(endpoint);

    const replayed: (string | undefined)[] = [];
    page.on(
      'response',
      (res) => res.request().method() === 'POST' && replayed.push(res.headers()['idempotent-replayed']),
    );
    await page.getByRole('button', { name: 'Post Comment' }).click();
    await page.locator('li').filter({ hasText: 'Retried comment' }).waitFor();
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(replayed).toEqual(['true']);
    expect((await threadBodies('retry')).filter((h) => h.includes('Retried comment'))).toHaveLength(1);

    // A double click posts once, with a new key for the new comment.
    await textbox(page, 'Comment').fill('Double-clicked comment');
    await page.getByRole('button', { name: 'Post Comment' }).dblclick();
    await page.locator('li').filter({ hasText: 'Double-clicked comment' }).waitFor();
    expect(keys).toHaveLength(4);
    expect(keys[3]).not.toBe(keys[0]);
    expect((await threadBodies('retry')).filter((h) => h.includes('Double-clicked'))).toHaveLength(1);
    // Focus moves to the new comment, so keyboard and screen reader users continue from there.
    expect(await page.evaluate(`${SHADOW}.activeElement.closest('li').textContent`)).toContain(
      'Double-clicked comment',
    );
    await page.close();
  });

  it('follows the page direction, the dark colour scheme and the CSS custom properties', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await open('/styled', page);
    const root = await page.evaluate(
      `(() => { const r = ${SHADOW}.querySelector('.root'); const s = getComputedStyle(r); return [r.dir, s.direction, s.backgroundColor]; })()`,
    );
    expect(root).toEqual(['rtl', 'rtl', 'rgb(13, 17, 23)']);
    expect(await page.evaluate(`getComputedStyle(${SHADOW}.querySelector('.submit')).backgroundColor`)).toBe(
      'rgb(200, 0, 100)',
    );
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await page.evaluate(`getComputedStyle(${SHADOW}.querySelector('.root')).backgroundColor`)).toBe(
      'rgb(255, 255, 255)',
    );
    await page.close();
  });

  it('renders a thread of 50 comments (timed), and pages a long thread with "Load more"', async () => {
    await seed('fifty', 50);
    const page = await browser.newPage();
    const timings: number[] = [];
    for (let run = 0; run < 2; run++) {
      // First run: nothing cached; second run: embed bundle cached, as for a returning reader.
      await page.goto(`${host.origin}/fifty`, { waitUntil: 'commit' });
      const ms = await page.waitForFunction(
        `(() => { const r = document.querySelector('#comments')?.shadowRoot; return r && r.querySelectorAll('li article').length >= 50 ? performance.now() : 0; })()`,
        null,
        { polling: 'raf' },
      );
      timings.push(Math.round((await ms.jsonValue()) as number));
    }
    console.log(
      `widget: page load to a rendered thread of 50 comments in Chromium: ${timings[0]} ms cold, ${timings[1]} ms with the bundle cached`,
    );
    expect(await page.getByRole('heading', { name: '50 comments' }).isVisible()).toBe(true);

    await open('/paged', page);
    const items = page.locator('#comments li');
    expect(await items.count()).toBe(20);
    await page.getByRole('button', { name: 'Newest first' }).click();
    await expect.poll(() => items.first().textContent()).toContain('Seeded comment 49');
    expect(await page.getByRole('button', { name: 'Newest first' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Load more comments' }).click();
    await expect.poll(() => items.count()).toBe(40);
    await page.getByRole('button', { name: 'Load more comments' }).click();
    await expect.poll(() => items.count()).toBe(50);
    expect(await items.last().textContent()).toContain('Seeded comment 0');
    expect(await page.getByRole('button', { name: 'Load more comments' }).isVisible()).toBe(false);
    await page.close();
  });

  it('fills comment counts on an index page with one request (count.js)', async () => {
    const page = await browser.newPage();
    const countRequests: string[] = [];
    page.on('request', (req) => req.url().includes('/counts?') && countRequests.push(req.url()));
    await page.goto(`${host.origin}/index`);
    const fifty = page.locator('span[data-comment-count="fifty"]');
    await expect.poll(() => fifty.textContent()).toBe('50 comments');
    expect(await page.locator('b[data-comment-count="fifty"]').textContent()).toBe('50');
    expect(await page.locator('[data-comment-count="xo-1"]').textContent()).toBe('2 comments');
    expect(await page.locator('[data-comment-count="nothing-yet"]').textContent()).toBe('0 comments');
    expect(countRequests).toHaveLength(1);
    expect(new URL(countRequests[0]!).searchParams.getAll('articleId').sort()).toEqual([
      'fifty',
      'nothing-yet',
      'xo-1',
    ]);
    await page.close();
  });
});
