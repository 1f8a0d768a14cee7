// Two moderators on one site's queue in Chromium (issue 13, item 2): B rejects a comment, A's open card
// is marked within 2 s without a reload and the tab counts follow; A's stale approve, forced through
// the JSON API with the status A saw, answers 409 and the comment stays rejected. Then the latency from
// a decision (JSON API) to the other tab's DOM, 20 times: median and p90 printed, each under 2 s. And a
// tab whose event stream is blocked falls back to polling and still gets the mark.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../../src/runtime/http-server.ts';
import { createUser, PASSWORD, tokenFor } from '../support/accounts.ts';
import { launchChromium } from '../support/browser.ts';
import { createSite } from '../support/http.ts';
import { projectRoot } from '../support/server-process.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let server: RunningServer;
let base: string;
let browser: Browser;
let tokenB: string;
const contexts: BrowserContext[] = [];
const output = path.join(projectRoot, 'tests/output');

beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'desk', { moderation: 'all' });
  await createUser(ctx, 'a@example.com', 'moderator', ['desk']);
  tokenB = await tokenFor(ctx, await createUser(ctx, 'b@example.com', 'moderator', ['desk']));
  [server, browser] = await Promise.all([startHttpServer(ctx.app, { port: 0, host: '127.0.0.1' }), launchChromium()]);
  base = `http://127.0.0.1:${server.port}`;
  mkdirSync(output, { recursive: true });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  ctx?.container.liveQueue.stop();
  await server?.close(2_000);
  await ctx?.close();
});

let n = 0;
async function held(): Promise<string> {
  n += 1;
  const res = await fetch(`${base}/api/v1/sites/desk/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      articleId: 'budget',
      name: `Reader ${n}`,
      email: `reader${n}@example.com`,
      body: `Comment ${n} on the budget`,
    }),
  });
  const body = (await res.json()) as { id: string; status: string };
  expect(body.status).toBe('pending');
  return body.id;
}

const statusOf = async (id: string) => (await ctx.container.moderation.show(id)).comment.status;

/** A moderator's own browser (a context: cookies of its own), signed in, on the site's pending queue. */
async function moderator(email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${base}/dashboard/login?next=${encodeURIComponent('/dashboard/queue?site=desk')}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard\/queue\?site=desk/);
  return page;
}

/** Until the page's live script says its stream is open (its `ready` event arrived). */
// (globalThis as any): tests are type-checked without DOM types.
const liveMode = (page: Page, mode: 'streaming' | 'polling') =>
  page.waitForFunction(
    (wanted) => (globalThis as any).document.getElementById('queue')?.dataset.live === wanted,
    mode,
    { timeout: 5_000, polling: 'raf' },
  );
const streaming = (page: Page) => liveMode(page, 'streaming');

/**
 * Until the card of comment `id` carries the remote mark `status`. A function, not a string: the
 * dashboard's CSP (no unsafe-eval) refuses string predicates that must be evaluated again.
 */
function markedAs(page: Page, id: string, status: string, timeout: number) {
  return page.waitForFunction(
    ([cardId, wanted]) =>
      (globalThis as any).document.querySelector(`li.card[data-id="${cardId}"]`)?.dataset.remoteStatus === wanted,
    [id, status] as const,
    { timeout, polling: 'raf' },
  );
}

const remoteStatus = (page: Page, id: string) =>
  page.evaluate(`document.querySelector('li.card[data-id="${id}"]')?.dataset.remoteStatus ?? null`);

function decide(id: string, action: string) {
  return fetch(`${base}/api/v1/moderation/comments/${id}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenB}`, 'content-type': 'application/json' },
    body: JSON.stringify({ expectedStatus: 'pending' }),
  });
}

let pageA: Page;

describe('the live queue with two moderators', () => {
  it("marks A's open card within 2 s when B rejects it, and counts follow, without a reload", async () => {
    const id = await held();
    pageA = await moderator('a@example.com');
    const pageB = await moderator('b@example.com');
    await Promise.all([streaming(pageA), streaming(pageB)]);
    await pageA.evaluate('window.__sameDocument = true');
    const pendingBefore = Number(await pageA.locator('[data-count="pending"]').textContent());
    expect(await remoteStatus(pageA, id)).toBeNull();
    const remoteEvents = pageA.evaluate(
      `new Promise((resolve) => document.addEventListener('queue:remote-change', (e) => resolve(e.detail), { once: true }))`,
    );

    const card = pageB.locator(`li.card[data-id="${id}"]`);
    await card.getByRole('button', { name: 'Reject' }).click();
    // B's page sends the decision itself (dashboard.js), without navigating.
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('rejected');
    await markedAs(pageA, id, 'rejected', 2_000);
    const note = pageA.locator(`li.card[data-id="${id}"] .card-remote`);
    expect(await note.getAttribute('role')).toBe('status');
    expect(await note.textContent()).toMatch(/^Rejected by b@example\.com \d+ s ago$/);
    expect(await note.isVisible()).toBe(true);
    await expect.poll(() => pageA.locator('[data-count="pending"]').textContent()).toBe(String(pendingBefore - 1));
    expect(Number(await pageA.locator('[data-count="rejected"]').textContent())).toBeGreaterThanOrEqual(1);
    expect(await remoteEvents).toMatchObject({ commentId: id, status: 'rejected', actor: 'b@example.com' });
    expect(await pageA.evaluate('window.__sameDocument')).toBe(true);
    expect(await pageA.locator(`li.card[data-id="${id}"]`).count()).toBe(1);
    await pageA.screenshot({ path: path.join(output, 'live-queue-remote-mark.png') });

    // A acts on what A saw: forced through the JSON API with A's session, expecting "pending".
    const stale = (await pageA.evaluate(`fetch('/api/v1/moderation/comments/${id}/approve', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        'x-csrf-token': document.querySelector('meta[name="csrf-token"]').content,
      },
      body: JSON.stringify({ expectedStatus: 'pending' }),
    }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.json() }))`)) as {
      status: number;
      type: string;
      body: { code: string; conflicts: { current: string; changedBy: string }[] };
    };
    expect(stale.status).toBe(409);
    expect(stale.type).toMatch(/^application\/problem\+json/);
    expect(stale.body.code).toBe('status_changed');
    expect(stale.body.conflicts[0]).toMatchObject({ current: 'rejected', changedBy: 'b@example.com' });
    expect(await statusOf(id)).toBe('rejected');
    const log = (await ctx.container.moderation.show(id)).log.map((l) => l.to);
    expect(log).toEqual(['pending', 'rejected']);
  });

  it('takes less than 2 s from a decision to the other tab, measured 20 times (median and p90)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await held());
    await pageA.reload();
    await streaming(pageA);
    for (const id of ids) expect(await pageA.locator(`li.card[data-id="${id}"]`).count()).toBe(1);
    const actions = ['reject', 'approve', 'spam'] as const;
    const status = { reject: 'rejected', approve: 'approved', spam: 'spam' } as const;
    const latencies: number[] = [];
    for (const [i, id] of ids.entries()) {
      const action = actions[i % actions.length]!;
      const started = performance.now();
      const res = await decide(id, action);
      expect(res.status).toBe(200);
      await markedAs(pageA, id, status[action], 5_000);
      latencies.push(performance.now() - started);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const median = (sorted[9]! + sorted[10]!) / 2;
    const p90 = sorted[Math.ceil(0.9 * sorted.length) - 1]!;
    console.log(
      `live queue: decision (JSON API) to the other tab's DOM, 20 runs: median ${median.toFixed(0)} ms, p90 ${p90.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
    );
    expect(median).toBeLessThan(2_000);
    expect(p90).toBeLessThan(2_000);
    for (const ms of latencies) expect(ms).toBeLessThan(2_000);
  });

  it('reads the counts itself for a change announced while nobody watched its site (replayed without counts)', async () => {
    await createSite(ctx, 'quiet-desk', { moderation: 'all' });
    await createUser(ctx, 'c@example.com', 'moderator', ['quiet-desk']);
    const post = (i: number) =>
      fetch(`${base}/api/v1/sites/quiet-desk/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          articleId: 'quiet',
          name: `Quiet ${i}`,
          email: `q${i}@example.com`,
          body: `Quiet ${i}`,
        }),
      });
    expect((await post(1)).status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    // Between the page's render (one pending) and its stream, a comment is held on the site, which no
    // tab watches yet: it is announced without counts, and replayed to the stream from the page's cursor.
    let between = false;
    await context.route('**/dashboard/queue/live**', async (route) => {
      const after = new URL(route.request().url()).searchParams.get('after');
      if (!between && after) {
        between = true;
        expect((await post(2)).status).toBe(201);
        await expect.poll(() => ctx.container.liveQueue.cursor(), { timeout: 5_000 }).not.toBe(after);
      }
      await route.continue();
    });
    // The queue page's own refresh every 5 s (dashboard.js, `…/poll?…&after=`) is kept out, so what is
    // seen is live.js asking for the counts of a change that came without them.
    await context.route('**/dashboard/queue/poll**', (route) =>
      new URL(route.request().url()).searchParams.has('after') ? route.abort() : route.continue(),
    );
    const page = await context.newPage();
    await page.goto(`${base}/dashboard/login?next=${encodeURIComponent('/dashboard/queue?site=quiet-desk')}`);
    await page.getByLabel('Email').fill('c@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard\/queue\?site=quiet-desk/);
    await liveMode(page, 'streaming');
    expect(between).toBe(true);
    await expect.poll(() => page.locator('[data-count="pending"]').textContent(), { timeout: 5_000 }).toBe('2');
  });

  it('falls back to polling when the event stream cannot be opened, and still marks the card', async () => {
    const id = await held();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    // The stream is refused (as a proxy that buffers or blocks event streams would): the tab polls.
    await context.route('**/dashboard/queue/live**', (route) => route.fulfill({ status: 503, body: 'no streams' }));
    const page = await context.newPage();
    await page.goto(`${base}/dashboard/login?next=${encodeURIComponent('/dashboard/queue?site=desk')}`);
    await page.getByLabel('Email').fill('a@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard\/queue\?site=desk/);
    await liveMode(page, 'polling');
    // The first poll sets where the log starts; the decision comes after it.
    await page.waitForResponse((r) => r.url().includes('/api/v1/moderation/log'), { timeout: 10_000 });
    expect((await decide(id, 'reject')).status).toBe(200);
    await markedAs(page, id, 'rejected', 12_000);
    expect(await page.locator(`li.card[data-id="${id}"] .card-remote`).textContent()).toMatch(
      /^Rejected by b@example\.com/,
    );
  });
});
