// The dashboard's Reported tab without JavaScript (issue 15): the queue by weighted score with reasons,
// weights and the notifiers' details, the transparency figures, and decisions as plain form posts
// that move the reporters' reliability.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, dashboardGet, dashboardPost, type Session, signIn } from '../support/accounts.ts';
import { createSite, postJson, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let moderator: Session;
let ipSeq = 0;
const nextIp = () => `198.19.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

beforeAll(async () => {
  ctx = await createTestContext({ TRUST_PROXY: 'true' });
  await createSite(ctx, 'dr', { moderation: 'none' });
  await createSite(ctx, 'dr-other', { moderation: 'none' });
  await createUser(ctx, 'dr-mod@example.com', 'moderator', ['dr']);
  moderator = await signIn(ctx, 'dr-mod@example.com');
});
afterAll(() => ctx.close());

const db = () => ctx.container.database.db;

async function published(siteId: string, body: string): Promise<string> {
  const res = await submit(ctx, siteId, { articleId: `a-${randomUUID()}`, body });
  expect(res.body.status).toBe('approved');
  return res.body.id;
}

async function report(siteId: string, commentId: string, body: Record<string, unknown>, reporterToken: string) {
  const res = await postJson(
    ctx,
    `/api/v1/sites/${siteId}/comments/${commentId}/reports`,
    { reporterToken, ...body },
    { 'x-forwarded-for': nextIp() },
  );
  expect(res.status).toBe(202);
}

const reporters = (siteId: string) =>
  db().selectFrom('reporters').select(['upheld', 'dismissed']).where('site_id', '=', siteId).execute();
const statusOf = async (id: string) =>
  (await db().selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe('the Reported tab', () => {
  it('lists reported comments by weighted score with reasons, weights and notices; decisions are form posts', async () => {
    const spammy = await published('dr', 'Buy cheap watches here');
    const hateful = await published('dr', 'A comment someone finds illegal');
    const elsewhere = await published('dr-other', 'Reported on another site');
    const [t1, t2, t3] = [`tok-${randomUUID()}`, `tok-${randomUUID()}`, `tok-${randomUUID()}`];
    await report('dr', spammy, { reason: 'spam', detail: 'Advertising only' }, t1);
    await report('dr', spammy, { reason: 'spam' }, t2);
    await report(
      'dr',
      hateful,
      {
        reason: 'illegal',
        law: 'NetzDG 1(3)',
        explanation: 'Insults a group of people.',
        reporterName: 'Nora Notifier',
        reporterEmail: 'nora@notify.example',
        goodFaith: true,
      },
      t3,
    );
    await report('dr-other', elsewhere, { reason: 'spam' }, t1);
    await report('dr-other', elsewhere, { reason: 'spam' }, t2);

    const page = await dashboardGet(ctx, '/dashboard/reported', moderator);
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/dashboard/reported" aria-current="page"');
    expect(page.text).toMatch(/<script src="\/dashboard\/assets\/reported\.js\?v=[\w-]+" defer/);
    // Two fresh reporters weigh 0.5 each: score 1.00, above the illegal notice's 0.50.
    expect(page.text.indexOf('Buy cheap watches here')).toBeGreaterThan(-1);
    expect(page.text.indexOf('Buy cheap watches here')).toBeLessThan(page.text.indexOf('A comment someone finds'));
    expect(page.text).toContain('Score 1.00');
    expect(page.text).toMatch(/Spam ×2 <span class="muted">\(weight 1\.00\)/);
    expect(page.text).toContain('Advertising only');
    expect(page.text).toContain('NetzDG 1(3)');
    expect(page.text).toContain('Nora Notifier');
    expect(page.text).toContain('nora@notify.example');
    expect(page.text).toMatch(/first reported <time datetime=/);
    // Only the moderator's own site.
    expect(page.text).not.toContain('Reported on another site');
    expect(page.text).not.toContain('dr-other');
    // Transparency: three reports on dr, all open.
    expect(page.text).toMatch(/3 reports · 0 decisions · median[\s\S]*no decision yet/);

    const dismissed = await dashboardPost(ctx, `/dashboard/reported/${spammy}/dismiss`, moderator, {
      return: '/dashboard/reported?site=dr',
    });
    expect(dismissed.status).toBe(303);
    expect(dismissed.headers.get('location')).toBe('/dashboard/reported?site=dr&done=dismiss');
    expect(await statusOf(spammy)).toBe('approved');

    const rejected = await dashboardPost(ctx, `/dashboard/reported/${hateful}/reject`, moderator, {
      return: '/dashboard/reported',
    });
    expect(rejected.status).toBe(303);
    expect(await statusOf(hateful)).toBe('rejected');
    // Each decision counted for its reporters: two dismissed, one upheld.
    expect((await reporters('dr')).sort((a, b) => a.upheld - b.upheld)).toEqual([
      { upheld: 0, dismissed: 1 },
      { upheld: 0, dismissed: 1 },
      { upheld: 1, dismissed: 0 },
    ]);

    const after = await dashboardGet(ctx, '/dashboard/reported?site=dr&done=dismiss', moderator);
    expect(after.text).toContain('Reports dismissed: the comment stays published.');
    expect(after.text).toContain('No reported comments waiting.');
    expect(after.text).toMatch(/3 reports · 2 decisions/);

    // A decision on reports that are no longer open, or an unknown decision, changes nothing.
    expect((await dashboardPost(ctx, `/dashboard/reported/${spammy}/dismiss`, moderator, {})).status).toBe(404);
    expect((await dashboardPost(ctx, `/dashboard/reported/${elsewhere}/approve`, moderator, {})).status).toBe(404);
    expect((await dashboardPost(ctx, `/dashboard/reported/${elsewhere}/spam`, moderator, {})).status).toBe(403);
    expect(await statusOf(elsewhere)).toBe('approved');
  });
});
