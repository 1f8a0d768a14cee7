// The queue page's refills (issue 13, item 3): GET /dashboard/queue/more answers the next held comments
// after the last card (keyset cursor), newest or oldest first, as cards with fresh counts, so the page
// can refill itself in place; the session and the site are checked, bad cursors are 400 problem+json.
// And the queue page itself: the order kept in the URL, and "All done" only when nothing is pending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, dashboardGet, type Session, signIn } from '../support/accounts.ts';
import { createSite, expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let desk: Session;
let other: Session;
const ids: string[] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'paged', { moderation: 'all' });
  await createSite(ctx, 'elsewhere', { moderation: 'all' });
  await createUser(ctx, 'desk@example.com', 'moderator', ['paged']);
  await createUser(ctx, 'other@example.com', 'moderator', ['elsewhere']);
  desk = await signIn(ctx, 'desk@example.com');
  other = await signIn(ctx, 'other@example.com');
  for (let i = 0; i < 30; i++)
    ids.push((await submit(ctx, 'paged', { articleId: 'paged-story', body: `held ${i}` })).body.id as string);
});
afterAll(() => ctx.close());

interface More {
  counts: Record<string, number>;
  html: string;
  ids: string[];
  nextCursor: string | null;
  endCursor: string | null;
}

async function more(query: string, session: Session | null = desk) {
  const res = await ctx.app.request(`http://localhost/dashboard/queue/more?${query}`, {
    headers: { accept: 'application/json', ...(session ? { cookie: session.cookie } : {}) },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as More & Record<string, any> };
}

const attr = (html: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(html)?.[1];

describe('GET /dashboard/queue/more', () => {
  it('pages newest first by keyset from the cursor the page handed out, with cards and counts', async () => {
    const page = await dashboardGet(ctx, '/dashboard/queue?site=paged', desk);
    expect(page.status).toBe(200);
    expect(page.text.match(/class="card"/g)).toHaveLength(25);
    const cursor = attr(page.text, 'data-cursor')!;
    expect(cursor).not.toBe('');
    const next = await more(`status=pending&site=paged&cursor=${cursor}`);
    expect(next.status).toBe(200);
    expect(next.headers.get('cache-control')).toBe('no-store');
    // Newest first: the five oldest are left for the second page, newest of them first.
    expect(next.body.ids).toEqual(ids.slice(0, 5).reverse());
    expect(next.body.html.match(/class="card"/g)).toHaveLength(5);
    expect(next.body.html).toContain(`data-id="${ids[0]}"`);
    expect(next.body.counts).toMatchObject({ pending: 30, approved: 0 });
    expect(next.body.nextCursor).toBeNull();
    expect(next.body.endCursor).toBeNull();
  });

  it('pages oldest first too, and its end cursor brings what arrives later', async () => {
    const first = await more('status=pending&site=paged&sort=oldest');
    expect(first.body.ids).toEqual(ids.slice(0, 25));
    const second = await more(`status=pending&site=paged&sort=oldest&cursor=${first.body.nextCursor}`);
    expect(second.body.ids).toEqual(ids.slice(25));
    expect(second.body.nextCursor).toBeNull();
    expect(second.body.endCursor).not.toBeNull();
    const late = (await submit(ctx, 'paged', { articleId: 'paged-story', body: 'late' })).body.id as string;
    const again = await more(`status=pending&site=paged&sort=oldest&cursor=${second.body.endCursor}`);
    expect(again.body.ids).toEqual([late]);
    expect(again.body.counts.pending).toBe(31);
    await ctx.container.moderation.setStatus(late, 'rejected', { type: 'cli', id: 'test' });
  });

  it('leaves out what was decided meanwhile: the next page is what is still held', async () => {
    const first = await more('status=pending&site=paged&sort=oldest');
    for (const id of first.body.ids.slice(0, 25))
      await ctx.container.moderation.setStatus(id, 'approved', { type: 'cli', id: 'test' });
    const next = await more(`status=pending&site=paged&sort=oldest&cursor=${first.body.nextCursor}`);
    expect(next.body.ids).toEqual(ids.slice(25));
    expect(next.body.counts).toMatchObject({ pending: 5, approved: 25 });
    // From the start again (no cursor): the same five, nothing decided comes back.
    expect((await more('status=pending&site=paged')).body.ids).toEqual(ids.slice(25).reverse());
  });

  it('checks the session and the site, and refuses cursors it did not hand out, as problem+json', async () => {
    const signedOut = await more('status=pending&site=paged', null);
    expectProblem({ ...signedOut, body: signedOut.body }, 401);
    const theirs = await more('status=pending&site=paged', other);
    expectProblem({ ...theirs, body: theirs.body }, 403);
    expect(theirs.text).not.toContain('held ');
    // Without a site filter, another site's moderator sees only their own sites: nothing of "paged".
    const own = await more('status=pending', other);
    expect(own.status).toBe(200);
    expect(own.body.ids).toEqual([]);
    for (const cursor of ['not-a-cursor', Buffer.from('123.not-a-uuid').toString('base64url')]) {
      const bad = await more(`status=pending&site=paged&cursor=${cursor}`);
      expectProblem({ ...bad, body: bad.body }, 400);
    }
  });
});

describe('the queue page', () => {
  it('keeps the order in the URL and the links, and says "All done" only when none is pending', async () => {
    await createSite(ctx, 'quiet', { moderation: 'all' });
    const admin = await signIn(ctx, (await createUser(ctx, 'chief@example.com', 'admin')).email);
    const [older, newer] = [
      (await submit(ctx, 'quiet', { body: 'the older' })).body.id as string,
      (await submit(ctx, 'quiet', { body: 'the newer' })).body.id as string,
    ];
    const oldest = await dashboardGet(ctx, '/dashboard/queue?site=quiet&sort=oldest', admin);
    expect(oldest.text.indexOf(older)).toBeLessThan(oldest.text.indexOf(newer));
    expect(oldest.text).toMatch(/<option value="oldest" selected/);
    expect(attr(oldest.text, 'data-sort')).toBe('oldest');
    expect(oldest.text).toContain('href="/dashboard/queue?status=approved&amp;site=quiet&amp;sort=oldest"');
    const newest = await dashboardGet(ctx, '/dashboard/queue?site=quiet', admin);
    expect(newest.text.indexOf(newer)).toBeLessThan(newest.text.indexOf(older));
    expect(newest.text).not.toContain('All done');

    // A page past the end while comments are still held says how many, not "All done".
    const cursor = Buffer.from(`1.${older}`).toString('base64url');
    const past = await dashboardGet(ctx, `/dashboard/queue?site=quiet&cursor=${cursor}`, admin);
    expect(past.text).not.toContain('All done');
    expect(past.text).toContain('2 pending comments');

    for (const id of [older, newer]) await ctx.container.moderation.setStatus(id, 'approved', { type: 'cli', id: 't' });
    const done = await dashboardGet(ctx, '/dashboard/queue?site=quiet', admin);
    expect(done.text).toContain('data-empty="true"');
    expect(done.text).toContain('All done');
  });
});
