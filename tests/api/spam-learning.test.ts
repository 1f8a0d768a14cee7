// The learned spam score through the public API (issue 16): a site in mode "all" receives labelled
// comments, a moderator approves or marks them spam in bulk, the worker learns from the lifecycle
// events, and unseen comments of the same kinds are then held or published by the score in mode
// "none". Undo untrains; replayed events and a restarted worker leave the counts exactly what a
// rebuild from the moderation log makes; an erased author leaves nothing of theirs in the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { createLearnFromEventJob } from '../../src/spam-learning/learn-from-event.job.ts';
import { loadModel } from '../../src/spam-learning/spam.repository.ts';
import { createSpamTraining } from '../../src/spam-learning/spam-training.service.ts';
import { api, bearer, createUser, dashboardGet, signIn, tokenFor } from '../support/accounts.ts';
import { createSite, expectProblem, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
let auth: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.container.startWorkers();
  const admin = await createUser(ctx, 'chief@example.com', 'admin');
  auth = bearer(await tokenFor(ctx, admin));
});
afterAll(() => ctx.close());

const get = (path: string) => api(ctx, 'GET', path, auth);
const post = (path: string, body?: unknown) => api(ctx, 'POST', path, auth, body);
const patch = (path: string, body: unknown) => api(ctx, 'PATCH', path, auth, body);

// Two kinds of comment, each made of a few words drawn from its own pool plus shared filler, so
// no two are the same and the ones scored later were never seen.
const SPAM_WORDS = [
  'cheap',
  'pills',
  'casino',
  'bonus',
  'viagra',
  'crypto',
  'profit',
  'guaranteed',
  'winner',
  'discount',
  'pharmacy',
  'jackpot',
  'loans',
  'investment',
  'forex',
  'replica',
  'watches',
  'click',
  'offer',
  'prize',
];
const HAM_WORDS = [
  'minister',
  'budget',
  'council',
  'article',
  'reporting',
  'election',
  'policy',
  'schools',
  'parliament',
  'housing',
  'transport',
  'farmers',
  'hospital',
  'interview',
  'analysis',
  'evidence',
  'committee',
  'climate',
  'history',
  'voters',
];
const FILLER = ['the', 'and', 'this', 'is', 'about', 'really', 'today', 'very', 'with', 'for'];

function text(pool: string[], seed: number): string {
  const words: string[] = [];
  for (let i = 0; i < 12; i++) {
    const n = (seed * 7 + i * 13 + ((seed * i) % 5)) % pool.length;
    words.push(i % 3 === 2 ? FILLER[(seed + i) % FILLER.length]! : pool[n]!);
  }
  return `${words.join(' ')} (${seed})`;
}
const spamComment = (seed: number) => ({
  articleId: 'learned',
  name: `Best Deals ${seed}`,
  email: `deals${seed}@promo-mail.example`,
  body: text(SPAM_WORDS, seed),
});
const hamComment = (seed: number) => ({
  articleId: 'learned',
  name: `Reader ${seed}`,
  email: `reader${seed}@example.com`,
  body: text(HAM_WORDS, seed),
});

async function postAll(siteId: string, inputs: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (const input of inputs) {
    const res = await submit(ctx, siteId, input);
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  return ids;
}

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const stats = async (siteId: string) => (await get(`/api/v1/admin/sites/${siteId}/spam`)).body.spam;
const decided = (siteId: string, spam: number, ham: number) =>
  waitUntil(
    async () => {
      const s = await stats(siteId);
      return s.spamDecisions === spam && s.hamDecisions === ham && s;
    },
    20_000,
    `${spam} spam and ${ham} ham decisions learned on ${siteId}`,
  );

describe('learning from moderators through the public API', () => {
  it('holds unseen spam and publishes unseen ham by the learned score once in mode "none"; undo untrains', async () => {
    await createSite(ctx, 'learn', { moderation: 'all', spamMinDecisions: 20 });
    const spamIds = await postAll(
      'learn',
      Array.from({ length: 15 }, (_, i) => spamComment(i)),
    );
    const hamIds = await postAll(
      'learn',
      Array.from({ length: 15 }, (_, i) => hamComment(i)),
    );
    expect((await stats('learn')).spamDecisions).toBe(0);

    expect((await post('/api/v1/moderation/comments/bulk', { action: 'spam', ids: spamIds })).status).toBe(200);
    expect((await post('/api/v1/moderation/comments/bulk', { action: 'approve', ids: hamIds })).status).toBe(200);
    await decided('learn', 15, 15);

    expect((await patch('/api/v1/admin/sites/learn', { settings: { moderation: 'none' } })).status).toBe(200);
    const freshSpam = await Promise.all([100, 101, 102].map((s) => submit(ctx, 'learn', spamComment(s))));
    const freshHam = await Promise.all([200, 201, 202].map((s) => submit(ctx, 'learn', hamComment(s))));
    expect(freshSpam.map((r) => r.body.status)).toEqual(['pending', 'pending', 'pending']);
    expect(freshHam.map((r) => r.body.status)).toEqual(['approved', 'approved', 'approved']);

    // The moderation API shows the score and the tokens that drove it.
    const held = (await get(`/api/v1/moderation/comments/${freshSpam[0]!.body.id}`)).body.comment;
    const reason = held.reasons.find((r: any) => r.code === 'learned_spam');
    expect(reason).toMatchObject({ action: 'hold', data: { score: expect.any(Number), hold: 0.9 } });
    expect(reason.data.score).toBeGreaterThanOrEqual(0.9);
    expect(reason.data.forSpam.length).toBeGreaterThan(0);
    expect(reason.data.forSpam.map((t: any) => t.text)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^(${SPAM_WORDS.join('|')})$`))]),
    );
    const published = (await get(`/api/v1/moderation/comments/${freshHam[0]!.body.id}`)).body.comment;
    const hamReason = published.reasons.find((r: any) => r.code === 'learned_spam');
    expect(hamReason).toMatchObject({ action: 'approve' });
    expect(hamReason.data.score).toBeLessThan(0.9);

    // The queue sorts by the score: least likely spam first pages through the scored ones in
    // order, then the unscored; most likely first puts the highest score on top.
    const scoreOf = (c: any) => c.reasons.find((r: any) => r.code === 'learned_spam')?.data.score ?? null;
    const first = await get('/api/v1/moderation/comments?siteId=learn&status=approved&sort=spam-last&limit=2');
    const second = await get(
      `/api/v1/moderation/comments?siteId=learn&status=approved&sort=spam-last&limit=2&cursor=${first.body.nextCursor}`,
    );
    const cleanest = [...first.body.items, ...second.body.items];
    expect(
      cleanest
        .slice(0, 3)
        .map((c: any) => c.id)
        .sort(),
    ).toEqual(freshHam.map((r) => r.body.id).sort());
    const scores = cleanest.slice(0, 3).map(scoreOf);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(scoreOf(cleanest[3])).toBeNull();
    const spammiest = await get('/api/v1/moderation/comments?siteId=learn&status=approved&sort=spam-first&limit=1');
    expect(scoreOf(spammiest.body.items[0])).toBe(Math.max(...scores));
    expect((await get('/api/v1/moderation/comments?sort=spam-first&cursor=garbage')).status).toBe(400);
    expect((await get('/api/v1/moderation/comments?sort=loudest')).status).toBe(400);

    // The dashboard's card and detail page show the score and the tokens for and against.
    await createUser(ctx, 'moderator@example.com', 'moderator', ['learn']);
    const session = await signIn(ctx, 'moderator@example.com');
    const detail = await dashboardGet(ctx, `/dashboard/comments/${freshSpam[0]!.body.id}`, session);
    expect(detail.text).toContain(`Spam score ${Math.round(reason.data.score * 100)}%`);
    expect(detail.text).toContain(`<bdi title="spam probability`);
    expect(detail.text).toContain(`${reason.data.forSpam[0].text}</bdi>`);
    const queue = await dashboardGet(ctx, '/dashboard/queue?site=learn&sort=spam-first', session);
    expect(queue.text).toContain('Spam score');
    expect(queue.text).toContain('<option value="spam-first" selected');

    // Undo: the spam marks restored (back to the queue, as they were never published) untrain them.
    expect((await post('/api/v1/moderation/comments/bulk', { action: 'restore', ids: spamIds })).status).toBe(200);
    await decided('learn', 0, 15);
    const after = await submit(ctx, 'learn', spamComment(103));
    expect(after.body.status).toBe('approved');

    // Precision and recall on recent decisions use the score each comment had when posted: the three
    // held spam, marked spam now, were all caught; one approved ham was not flagged.
    await post('/api/v1/moderation/comments/bulk', { action: 'spam', ids: freshSpam.map((r) => r.body.id) });
    await decided('learn', 3, 15);
    expect((await stats('learn')).recent).toMatchObject({ scored: 3, precision: 1, recall: 1 });
  });
});

describe('exact counts', () => {
  it('equal a rebuild from the moderation log after replayed events and a restarted worker', async () => {
    await createSite(ctx, 'exact', { moderation: 'all' });
    const ids = await postAll('exact', [
      ...Array.from({ length: 6 }, (_, i) => spamComment(300 + i)),
      ...Array.from({ length: 6 }, (_, i) => hamComment(300 + i)),
    ]);
    const bulk = (action: string, some: string[]) => post('/api/v1/moderation/comments/bulk', { action, ids: some });
    await bulk('spam', ids.slice(0, 6));
    await bulk('approve', ids.slice(6, 12));
    await bulk('reject', ids.slice(4, 6)); // spam → rejected: neither
    await bulk('spam', ids.slice(10, 12)); // approved → spam: ham untrained, spam trained
    await bulk('restore', ids.slice(0, 1)); // spam → pending: untrained
    const db = ctx.container.database.db;
    const rebuild = () => ctx.container.spamTraining.rebuilt('exact');
    const stored = async () => {
      const { version: _v, sinceLastPrune: _p, ...model } = await loadModel(db, 'exact');
      return model;
    };
    const expected = { spam: 3 + 2, ham: 4 };
    await decided('exact', expected.spam, expected.ham);
    const rebuilt = (await rebuild()).model;
    expect(rebuilt).toMatchObject({ spamDecisions: 5, hamDecisions: 4 });
    expect(rebuilt.tokens.length).toBeGreaterThan(50);
    expect(await stored()).toEqual(rebuilt);

    // A restarted worker (nothing in memory) gets every event of the site again, twice, in reverse
    // and at once: nothing is counted twice.
    const restarted = createLearnFromEventJob({
      training: createSpamTraining({ db, secret: ctx.container.secretKey }),
    });
    const events = await db.selectFrom('events').selectAll().where('site_id', '=', 'exact').orderBy('id').execute();
    expect(events.length).toBeGreaterThan(30);
    await Promise.all([...events].reverse().map((e) => restarted(e)));
    await Promise.all(events.map((e) => restarted(e)));
    expect(await stored()).toEqual(rebuilt);

    // spam:retrain (admin API and CLI) writes the same rows.
    expect((await post('/api/v1/admin/sites/exact/spam/retrain')).body.spam).toMatchObject({
      spamDecisions: 5,
      hamDecisions: 4,
    });
    expect(await stored()).toEqual(rebuilt);
    expect((await cli('spam:retrain', '--site', 'exact')).code).toBe(0);
    expect(await stored()).toEqual(rebuilt);
    const shown = await cli('spam:stats', '--site', 'exact');
    expect(shown.out).toContain('site exact: 9 decisions learned (5 spam, 4 approved)');
    expect(JSON.parse((await cli('spam:stats', '--site', 'exact', '--json')).out)).toMatchObject({
      spamDecisions: 5,
      hamDecisions: 4,
      recent: { decisions: 9 },
    });
    expect((await cli('spam:stats', '--site', 'nope')).err).toContain('No site');
    expectProblem(await get('/api/v1/admin/sites/nope/spam'), 404);
    expectProblem(await post('/api/v1/admin/sites/nope/spam/retrain'), 404);
  });

  it('forgets an erased author: their tokens leave the model, which still equals a rebuild', async () => {
    await createSite(ctx, 'erase', { moderation: 'all' });
    const victim = { ...spamComment(400), email: 'victim@unique-domain.example', body: 'zyzzyva quokkas ostrich' };
    const ids = await postAll('erase', [victim, spamComment(401), hamComment(402), hamComment(403)]);
    await post('/api/v1/moderation/comments/bulk', { action: 'spam', ids: ids.slice(0, 2) });
    await post('/api/v1/moderation/comments/bulk', { action: 'approve', ids: ids.slice(2) });
    await decided('erase', 2, 2);
    const db = ctx.container.database.db;
    const tokens = async () => (await loadModel(db, 'erase')).tokens.map((t) => t.token);
    expect(await tokens()).toEqual(expect.arrayContaining(['zyzzyva', 'e:unique-domain.example']));

    expect(await ctx.container.erasure.eraseAuthor({ type: 'cli', id: 'test' }, 'erase', victim.email)).toBe(1);
    const left = await tokens();
    expect(left).not.toContain('zyzzyva');
    expect(left).not.toContain('e:unique-domain.example');
    expect(left.filter((t) => /quokka|ostrich/.test(t))).toEqual([]);
    expect((await stats('erase')).spamDecisions).toBe(1);
    // The comment.deleted event reaches the worker afterwards and changes nothing.
    await waitUntil(
      async () =>
        (
          await db
            .selectFrom('events')
            .select('id')
            .where('site_id', '=', 'erase')
            .where('dispatched_at', 'is', null)
            .execute()
        ).length === 0,
    );
    const { version: _v, sinceLastPrune: _p, ...model } = await loadModel(db, 'erase');
    expect(model).toEqual((await ctx.container.spamTraining.rebuilt('erase')).model);
  });
});
