// The review queue's keyboard loop in real Chromium, as a moderator works it: 30 held comments with 25
// per page cleared with the keyboard alone, the next ones loading in place, and "All done" shown only
// once the server counts none pending; undo with z (and the toast's button) as a logged transition of
// its own; a decision refused because a colleague changed the comment behind the page's back (409),
// with the card back and saying so, and "Apply anyway" as the second step; oldest first kept in the URL;
// and how many one-line cards fit at 1280×800 (screenshots in tests/output/).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../../src/runtime/http-server.ts';
import { createUser, PASSWORD, tokenFor } from '../support/accounts.ts';
import { launchChromium } from '../support/browser.ts';
import { createSite, submit } from '../support/http.ts';
import { projectRoot } from '../support/server-process.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const SITES = ['loop', 'undo', 'clash', 'remote', 'order', 'dense'];
let ctx: TestContext;
let server: RunningServer;
let aId: string;
let base: string;
let browser: Browser;
let bToken: string;
const output = path.join(projectRoot, 'tests/output');

beforeAll(async () => {
  ctx = await createTestContext();
  for (const id of SITES) await createSite(ctx, id, { moderation: 'all' });
  aId = (await createUser(ctx, 'a@example.com', 'moderator', SITES)).id;
  bToken = await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', SITES));
  [server, browser] = await Promise.all([startHttpServer(ctx.app, { port: 0, host: '127.0.0.1' }), launchChromium()]);
  base = `http://127.0.0.1:${server.port}`;
  mkdirSync(output, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close(2_000);
  await ctx?.close();
});

/** Held comments (the sites hold every one), oldest first; one line each unless told. */
async function held(siteId: string, n: number, body = (i: number) => `One-line comment ${i + 1} on ${siteId}.`) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await submit(ctx, siteId, { articleId: `${siteId}-story`, articleTitle: 'A story', body: body(i) });
    expect(res.body.status).toBe('pending');
    ids.push(res.body.id);
  }
  return ids;
}

const db = () => ctx.container.database.db;
const statusOf = async (id: string) => (await ctx.container.moderation.show(id)).comment.status;
async function pendingOn(siteId: string): Promise<number> {
  const row = await db()
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', siteId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
const logOf = async (id: string) =>
  (await ctx.container.moderation.show(id)).log.map((l) => ({ from: l.from, to: l.to, note: l.note }));
const actorsOf = async (id: string) => (await ctx.container.moderation.show(id)).log.map((l) => l.actorId);

async function signIn(page: Page) {
  await page.goto(`${base}/dashboard/login`);
  await page.getByLabel('Email').fill('a@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard\/queue/);
}

let page: Page;
const card = (id: string) => page.locator(`#c-${id}`);
const allDone = () => page.locator('#queue-empty[data-empty="true"]');
const currentId = () => page.locator('#queue .card.is-current:not([hidden])').getAttribute('data-id', { timeout: 50 });

describe('the review queue keyboard loop in Chromium', () => {
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page);
  });

  it('clears 30 held comments (25 per page) with the keyboard; "All done" only when none is pending', async () => {
    const ids = await held('loop', 30);
    await page.goto(`${base}/dashboard/queue?site=loop`);
    await expect.poll(() => page.locator('#queue .card').count()).toBe(25);
    expect(await allDone().count()).toBe(0);
    // Every moment the page shows "All done", with the pending count the page had then (watched between steps too).
    await page.evaluate(`(() => {
      window.__allDone = [];
      const seen = () => {
        const empty = document.querySelector('#queue-empty[data-empty="true"]');
        if (empty && !empty.__seen) {
          empty.__seen = true;
          window.__allDone.push(document.querySelector('[data-count="pending"]').textContent);
        }
      };
      new MutationObserver(seen).observe(document.body, { childList: true, subtree: true, attributes: true });
    })()`);
    let presses = 0;
    let pending = 30;
    while (pending > 0) {
      // The loop never stalls: a highlighted card is there whenever something is pending.
      const id = await waitUntil(
        async () => (await currentId().catch(() => null)) ?? null,
        10_000,
        `a highlighted card with ${pending} pending`,
      );
      expect(ids).toContain(id);
      await page.keyboard.press('a');
      presses += 1;
      await waitUntil(async () => (await statusOf(id)) === 'approved', 10_000, `approval of ${id}`);
      pending = await pendingOn('loop');
      // Checked after every action: "All done" never shows while the database still holds pending comments.
      if (pending > 0) expect(await allDone().count(), `All done with ${pending} pending`).toBe(0);
    }
    expect(presses).toBe(30);
    await expect.poll(() => allDone().isVisible()).toBe(true);
    expect(await page.evaluate('window.__allDone')).toEqual(['0']);
    expect(await allDone().textContent()).toContain('All done');
    await expect.poll(() => page.locator('[data-count="pending"]').textContent()).toBe('0');
    for (const id of ids) expect(await statusOf(id)).toBe('approved');
    await page.screenshot({ path: path.join(output, 'queue-all-done.png') });
  });

  it('undoes the last action with z (and with the toast button) as a logged, conditional transition', async () => {
    const [older, newer] = await held('undo', 2);
    await page.goto(`${base}/dashboard/queue?site=undo`);
    await expect.poll(() => card(newer!).getAttribute('class')).toContain('is-current');
    await page.keyboard.press('a');
    await waitUntil(async () => (await statusOf(newer!)) === 'approved', 10_000, 'approval');
    await expect.poll(() => page.locator('#toast').isVisible()).toBe(true);
    expect(await page.locator('#toast-text').textContent()).toBe('Approved 1 comment.');
    await page.screenshot({ path: path.join(output, 'queue-undo-toast.png') });
    await page.keyboard.press('z');
    await waitUntil(async () => (await statusOf(newer!)) === 'pending', 10_000, 'undo');
    await expect.poll(() => card(newer!).isVisible()).toBe(true);
    await expect.poll(() => card(newer!).getAttribute('class')).toContain('is-current');
    expect(await page.locator('#toast').isVisible()).toBe(false);
    expect(await logOf(newer!)).toEqual([
      { from: null, to: 'pending', note: null },
      { from: 'pending', to: 'approved', note: null },
      { from: 'approved', to: 'pending', note: 'Undo' },
    ]);
    // Both the decision and its undo are the moderator's own rows.
    expect((await actorsOf(newer!)).slice(1)).toEqual([aId, aId]);
    const events = await db()
      .selectFrom('events')
      .select('type')
      .where('comment_id', '=', newer!)
      .orderBy('created_at')
      .execute();
    expect(events.map((e) => e.type).slice(-2)).toEqual(['comment.approved', 'comment.pending']);

    // Reject the older one, then undo with the toast's button.
    await card(older!).click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('r');
    await waitUntil(async () => (await statusOf(older!)) === 'rejected', 10_000, 'rejection');
    await page.getByRole('button', { name: /^Undo/ }).click();
    await waitUntil(async () => (await statusOf(older!)) === 'pending', 10_000, 'undo by button');
    await expect.poll(() => card(older!).isVisible()).toBe(true);
    expect((await logOf(older!)).at(-1)).toEqual({ from: 'rejected', to: 'pending', note: 'Undo' });

    // Nothing is undone twice: z after the toast is gone changes nothing.
    const rows = (await logOf(older!)).length;
    await page.keyboard.press('z');
    await expect.poll(() => page.locator('#live').textContent()).toBe('Nothing to undo.');
    expect((await logOf(older!)).length).toBe(rows);
  });

  it('brings a refused card back with the conflict on it, and applies it only on "Apply anyway"', async () => {
    const [id] = await held('clash', 1);
    // The live updates would mark the card before the key is pressed (tests/browser/live-queue.test.ts);
    // without them this page is the stale screen the server's 409 guards against.
    const noLive = (route: Route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
    await page.route('**/dashboard/assets/live.js*', noLive);
    await page.goto(`${base}/dashboard/queue?site=clash`);
    await expect.poll(() => card(id!).getAttribute('class')).toContain('is-current');
    // A colleague rejects it through the API behind this page's back.
    const res = await fetch(`${base}/api/v1/moderation/comments/${id}/reject`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ expectedStatus: 'pending' }),
    });
    expect(res.status).toBe(200);
    await page.keyboard.press('a');
    const note = card(id!).locator('.card-conflict');
    await expect.poll(() => note.isVisible()).toBe(true);
    expect(await card(id!).isVisible()).toBe(true);
    expect(await note.locator('.conflict-text').textContent()).toMatch(/^Rejected by b@example\.com \d+ s ago\.$/);
    expect(await statusOf(id!)).toBe('rejected');
    expect((await logOf(id!)).map((l) => l.to)).toEqual(['pending', 'rejected']);
    await page.screenshot({ path: path.join(output, 'queue-conflict.png') });
    // A second key press does not apply it: only the explicit button does.
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('#live').textContent()).toContain('Apply anyway');
    expect(await statusOf(id!)).toBe('rejected');
    await note.getByRole('button', { name: 'Apply anyway: approve' }).click();
    await waitUntil(async () => (await statusOf(id!)) === 'approved', 10_000, 'the approval applied anyway');
    expect((await logOf(id!)).map((l) => l.to)).toEqual(['pending', 'rejected', 'approved']);
    await expect.poll(() => card(id!).count()).toBe(0);

    // A selection with one changed comment: refused whole, both cards back, the conflict on that one.
    const [x, y] = (await held('clash', 2)) as [string, string];
    await page.goto(`${base}/dashboard/queue?site=clash`);
    await expect.poll(() => currentId()).toBe(y);
    for (const key of ['x', 'j', 'x']) await page.keyboard.press(key);
    await fetch(`${base}/api/v1/moderation/comments/${x}/spam`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ expectedStatus: 'pending' }),
    });
    await page.keyboard.press('a');
    await expect.poll(() => card(x).locator('.conflict-text').textContent()).toMatch(/^Marked as spam by b@example/);
    expect(await card(y).isVisible()).toBe(true);
    expect(await card(y).locator('.card-conflict').count()).toBe(0);
    expect(await statusOf(y)).toBe('pending');
    expect(await statusOf(x)).toBe('spam');
    await page.unroute('**/dashboard/assets/live.js*', noLive);
  });

  it('skips cards that live.js marked as changed elsewhere, and moves the highlight off one', async () => {
    const [oldest, middle, newest] = (await held('remote', 3)) as [string, string, string];
    await page.goto(`${base}/dashboard/queue?site=remote`);
    await expect.poll(() => card(newest).getAttribute('class')).toContain('is-current');
    const decide = (id: string, action: string) =>
      fetch(`${base}/api/v1/moderation/comments/${id}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ expectedStatus: 'pending' }),
      });
    // What live.js does on a server-sent event (the contract): mark the card, add a note, tell the page.
    const markRemote = (id: string, status: string) =>
      page.evaluate(`(() => {
        const c = document.getElementById('c-${id}');
        c.dataset.remoteStatus = '${status}';
        const note = document.createElement('p');
        note.className = 'card-remote';
        note.textContent = '${status} elsewhere';
        c.append(note);
        document.dispatchEvent(new CustomEvent('queue:remote-change', { detail: { id: '${id}', status: '${status}' } }));
      })()`);
    expect((await decide(middle, 'reject')).status).toBe(200);
    await markRemote(middle, 'rejected');
    await page.keyboard.press('j');
    expect(await currentId()).toBe(oldest);
    await page.keyboard.press('k');
    expect(await currentId()).toBe(newest);
    // The highlighted card itself changes elsewhere: the highlight moves to one still to decide.
    expect((await decide(newest, 'spam')).status).toBe(200);
    await markRemote(newest, 'spam');
    await expect.poll(() => currentId()).toBe(oldest);
    await page.keyboard.press('a');
    await waitUntil(async () => (await statusOf(oldest)) === 'approved', 10_000, 'the approval');
    expect(await statusOf(middle)).toBe('rejected');
    expect(await statusOf(newest)).toBe('spam');
    // A changed card's own button asks the server, which refuses and says who changed it.
    await card(middle).getByRole('button', { name: 'Approve', exact: true }).click();
    await expect
      .poll(() => card(middle).locator('.conflict-text').textContent())
      .toMatch(/^Rejected by b@example\.com \d+ s ago\.$/);
    expect(await statusOf(middle)).toBe('rejected');
  });

  it('offers oldest first, kept in the URL, and pages on in that order', async () => {
    const ids = await held('order', 28);
    await page.goto(`${base}/dashboard/queue?site=order`);
    await page.getByLabel('Order').selectOption('oldest');
    await page.waitForURL(/sort=oldest/);
    await expect.poll(() => page.locator('#queue .card').first().getAttribute('data-id')).toBe(ids[0]);
    expect(await page.locator('#queue .card').count()).toBe(25);
    // Moving down to the end of the page loads the rest in place, still oldest first.
    for (let i = 0; i < 25; i++) await page.keyboard.press('j');
    await expect.poll(() => page.locator('#queue .card').count()).toBe(28);
    expect(await page.locator('#queue .card').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual(
      ids,
    );
    await page.reload();
    expect(await page.getByLabel('Order').inputValue()).toBe('oldest');
  });

  it('fits at least 6 one-line comments at 1280×800, keeps the current card clear of the sticky bar, hides acted cards', async () => {
    await held('dense', 14);
    await page.goto(`${base}/dashboard/queue?site=dense`);
    await expect.poll(() => page.locator('#queue .card').count()).toBe(14);
    /** Cards wholly inside the viewport and not under the sticky bulk bar. */
    const fullyVisible = () =>
      page.evaluate(`(() => {
        const bar = document.querySelector('.bulkbar').getBoundingClientRect();
        const top = bar.top <= 0 ? bar.bottom : 0;
        return Array.from(document.querySelectorAll('#queue .card:not([hidden])')).filter((c) => {
          const r = c.getBoundingClientRect();
          return r.top >= top && r.bottom <= window.innerHeight;
        }).length;
      })()`) as Promise<number>;
    const atTop = await fullyVisible();
    await page.screenshot({ path: path.join(output, 'queue-1280x800.png') });
    // Working down the queue: the highlighted card is always fully visible, below the sticky bar.
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('j');
      const clear = await page.evaluate(`(() => {
        const bar = document.querySelector('.bulkbar').getBoundingClientRect();
        const r = document.querySelector('#queue .card.is-current').getBoundingClientRect();
        return r.top >= bar.bottom - 1 && r.bottom <= window.innerHeight;
      })()`);
      expect(clear, `current card after ${i + 1} × j`).toBe(true);
    }
    const scrolled = await fullyVisible();
    await page.screenshot({ path: path.join(output, 'queue-1280x800-scrolled.png') });
    console.log(
      `one-line cards fully visible at 1280×800: ${atTop} at the top of the page, ${scrolled} while working down`,
    );
    expect(atTop).toBeGreaterThanOrEqual(6);
    expect(scrolled).toBeGreaterThanOrEqual(6);
    // The author's record once per card.
    const first = page.locator('#queue .card').first();
    expect(await first.getByText(/First comment/).count()).toBe(1);
    // The hidden attribute wins over the card's display: grid.
    const display = await page.evaluate(`(() => {
      const c = document.querySelector('#queue .card');
      c.hidden = true;
      const d = getComputedStyle(c).display;
      c.hidden = false;
      return d;
    })()`);
    expect(display).toBe('none');
  });
});
