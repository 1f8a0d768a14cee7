// Transparency of reader reports (issue 15): per site, reports by reason and outcome and the median
// time from a comment's first report to the decision, in the admin API and as Prometheus metrics.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem, postJson, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let adminToken: string;
let ipSeq = 0;
const nextIp = () => `198.18.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

beforeAll(async () => {
  ctx = await createTestContext({ TRUST_PROXY: 'true' });
  await createSite(ctx, 'tr', { moderation: 'none' });
  await createSite(ctx, 'tr-quiet', { moderation: 'none' });
  adminToken = await tokenFor(ctx, await createUser(ctx, 'tr-admin@example.com', 'admin'));
});
afterAll(() => ctx.close());

const db = () => ctx.container.database.db;

async function published(): Promise<string> {
  const res = await submit(ctx, 'tr', { articleId: `a-${randomUUID()}` });
  expect(res.body.status).toBe('approved');
  return res.body.id;
}

async function report(commentId: string, body: Record<string, unknown>) {
  const res = await postJson(
    ctx,
    `/api/v1/sites/tr/comments/${commentId}/reports`,
    { reporterToken: `tok-${randomUUID()}`, ...body },
    { 'x-forwarded-for': nextIp() },
  );
  expect(res.status).toBe(202);
}

async function decide(commentId: string, how: 'dismiss' | 'uphold', secondsAfterFirstReport: number) {
  const path = `/api/v1/moderation/comments/${commentId}/reports/${how}`;
  const res = await api(ctx, 'POST', path, bearer(adminToken), how === 'uphold' ? { action: 'reject' } : {});
  expect(res.status).toBe(200);
  // The decision came seconds after the reports; moved back so the figure is known exactly.
  await db()
    .updateTable('reports')
    .set({ created_at: sql`resolved_at - make_interval(secs => ${secondsAfterFirstReport})` })
    .where('comment_id', '=', commentId)
    .execute();
}

const transparency = (siteId: string, token = adminToken) =>
  api(ctx, 'GET', `/api/v1/admin/sites/${siteId}/reports/transparency`, bearer(token));

describe('report transparency', () => {
  it('counts reports by reason and outcome and the median time to a decision, in the admin API and the metrics', async () => {
    const before = await transparency('tr');
    expect(before.status).toBe(200);
    expect(before.body.transparency).toMatchObject({ total: 0, decisions: 0, medianSecondsToDecision: null });

    const dismissed = await published();
    await report(dismissed, { reason: 'spam' });
    await report(dismissed, { reason: 'spam' });
    await report(dismissed, { reason: 'abuse', detail: 'Rude' });
    await decide(dismissed, 'dismiss', 60);

    const illegal = await published();
    await report(illegal, {
      reason: 'illegal',
      law: 'StGB 130',
      explanation: 'Incites hatred.',
      reporterName: 'Ann Notifier',
      reporterEmail: 'ann@notify.example',
      goodFaith: true,
    });
    await report(illegal, { reason: 'spam' });
    await decide(illegal, 'uphold', 300);

    const slow = await published();
    await report(slow, { reason: 'spam' });
    await decide(slow, 'uphold', 1000);

    await report(await published(), { reason: 'other' });

    const res = await transparency('tr');
    expect(res.status).toBe(200);
    const t = res.body.transparency;
    expect(t).toMatchObject({
      siteId: 'tr',
      total: 7,
      byOutcome: { open: 1, upheld: 3, dismissed: 3 },
      decisions: 3,
      medianSecondsToDecision: 300,
    });
    expect(t.byReason).toEqual([
      { reason: 'spam', total: 4, open: 0, upheld: 2, dismissed: 2 },
      { reason: 'abuse', total: 1, open: 0, upheld: 0, dismissed: 1 },
      { reason: 'off_topic', total: 0, open: 0, upheld: 0, dismissed: 0 },
      { reason: 'other', total: 1, open: 1, upheld: 0, dismissed: 0 },
      { reason: 'illegal', total: 1, open: 0, upheld: 1, dismissed: 0 },
    ]);
    // Another site's reports are not counted here.
    expect((await transparency('tr-quiet')).body.transparency).toMatchObject({ total: 0, decisions: 0 });

    const metrics = await (await ctx.app.request('/metrics')).text();
    expect(metrics).toContain('comments_reports{site="tr",reason="spam",outcome="dismissed"} 2');
    expect(metrics).toContain('comments_reports{site="tr",reason="spam",outcome="upheld"} 2');
    expect(metrics).toContain('comments_reports{site="tr",reason="illegal",outcome="upheld"} 1');
    expect(metrics).toContain('comments_reports{site="tr",reason="other",outcome="open"} 1');
    expect(metrics).toContain('comments_report_decisions{site="tr"} 3');
    expect(metrics).toContain('comments_report_decision_median_seconds{site="tr"} 300');
    // A site without decisions has no median.
    expect(metrics).not.toContain('comments_report_decision_median_seconds{site="tr-quiet"}');
  });

  it('answers 404 problem+json for an unknown site and 403 to a moderator', async () => {
    expectProblem(await transparency('no-such-site'), 404);
    const mod = await tokenFor(ctx, await createUser(ctx, 'tr-mod@example.com', 'moderator', ['tr']));
    expectProblem(await transparency('tr', mod), 403);
  });
});
