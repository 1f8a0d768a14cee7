// The learned spam model's size is bounded per site: after every few decisions the rarest tokens
// are pruned back to the bound (src/spam/spam-counts.ts pruneVictims), and deleting a site's model
// (spam:reset) leaves no row of it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadModel } from '../../src/spam-learning/spam.repository.ts';
import { approve, createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({}, { spamTraining: { maxTokens: 40, pruneEvery: 3 } });
  await ctx.container.startWorkers();
});
afterAll(() => ctx.close());

it('prunes a site back to its bound, keeping the frequent tokens; reset removes every row', async () => {
  await createSite(ctx, 'bounded', { moderation: 'all' });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const body = `common words here plus unique${i}a unique${i}b unique${i}c unique${i}d unique${i}e`;
    ids.push((await submit(ctx, 'bounded', { articleId: 'a', body })).body.id);
  }
  for (const id of ids) await approve(ctx, id);
  const db = ctx.container.database.db;
  const model = await waitUntil(async () => {
    const m = await loadModel(db, 'bounded');
    return m.hamDecisions === 6 && m.sinceLastPrune === 0 && m;
  });
  const lessons = await db.selectFrom('spam_lessons').select('tokens').where('site_id', '=', 'bounded').execute();
  const learned = new Set(lessons.flatMap((l) => l.tokens));
  expect(learned.size).toBeGreaterThan(80);
  expect(model.tokens.length).toBeLessThanOrEqual(40);
  const kept = model.tokens.map((t) => t.token);
  expect(kept).toEqual(expect.arrayContaining(['common', 'words', 'here']));
  expect(model.tokens.find((t) => t.token === 'common')).toEqual({ token: 'common', spam: 0, ham: 6 });

  await ctx.container.spamAdmin.reset({ type: 'cli', id: 'test' }, 'bounded');
  for (const table of ['spam_tokens', 'spam_lessons', 'spam_models'] as const)
    expect(await db.selectFrom(table).select('site_id').where('site_id', '=', 'bounded').execute()).toEqual([]);
});
