// Comments through the filter pipeline over HTTP: first status, reasons on the comment and in the
// moderation log, what the submitter is told, duplicates, length limits, and settings validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { compilations } from '../../src/filters/compile-cache.ts';
import { commentInput, createSite, expectProblem, postJson, submit, tableCounts } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'open', { moderation: 'none' });
  await createSite(ctx, 'strict', {
    moderation: 'none',
    blockedWords: ['casino'],
    holdWords: ['crypto'],
    blockedDomains: ['spam.example'],
    revealRejections: true,
  });
});
afterAll(() => ctx.close());

const show = (id: string) => ctx.container.moderation.show(id);

describe('filters on submission', () => {
  it('publishes a clean comment with no reasons', async () => {
    const res = await submit(ctx, 'open', {
      body: 'A calm and thoughtful remark about the cocktail party in Scunthorpe.',
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('approved');
    expect((await show(res.body.id)).comment.reasons).toEqual([]);
  });

  it('holds profanity and stores each matched word with its place, on the comment and in the log', async () => {
    const body = 'What the f.u.c.k is this minister doing';
    const res = await submit(ctx, 'open', { body });
    expect(res.body.status).toBe('pending');
    const { comment, log } = await show(res.body.id);
    expect(comment.status).toBe('pending');
    const match = { field: 'body', word: 'fuck', start: 9, end: 16, text: 'f.u.c.k' };
    expect(comment.reasons).toEqual([
      expect.objectContaining({ action: 'hold', code: 'profanity', data: { matches: [match] } }),
    ]);
    expect(body.slice(match.start, match.end)).toBe('f.u.c.k');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ from: null, to: 'pending', actorType: 'filter', reasons: comment.reasons });
  });

  it('shows the reasons with matched words through the CLI', async () => {
    const res = await submit(ctx, 'open', { body: 'Total bullsh1t.' });
    let out = '';
    const code = await runCli(['comments:show', '--id', res.body.id], ctx.container, {
      out: (s) => (out += s),
      err: () => {},
    });
    expect(code).toBe(0);
    const shown = JSON.parse(out);
    expect(shown.comment.reasons[0].data.matches).toEqual([
      { field: 'body', word: 'bullshit', start: 6, end: 14, text: 'bullsh1t' },
    ]);
    expect(shown.log[0].reasons[0].code).toBe('profanity');
  });

  it('answers spam as pending and keeps it for the audit trail', async () => {
    const before = await tableCounts(ctx);
    const res = await submit(ctx, 'open', { website: 'https://cheap-pills.example', body: 'Nice post' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('pending');
    const { comment } = await show(res.body.id);
    expect(comment.status).toBe('spam');
    expect(comment.reasons).toEqual([expect.objectContaining({ code: 'honeypot' })]);
    expect((await tableCounts(ctx)).comments).toBe(before.comments + 1);
  });

  it('marks a form posted faster than the time trap as spam', async () => {
    const res = await submit(ctx, 'open', { renderedAt: Date.now() - 500 });
    expect(res.body.status).toBe('pending');
    expect((await show(res.body.id)).comment.status).toBe('spam');
    const slow = await submit(ctx, 'open', { renderedAt: Date.now() - 60_000 });
    expect(slow.body.status).toBe('approved');
    const future = await submit(ctx, 'open', { renderedAt: Date.now() + 3_600_000 });
    expect(future.body.status).toBe('approved');
  });

  it('holds on hold words and on links, and applies the moderation mode last', async () => {
    expect((await submit(ctx, 'strict', { body: 'Buy CRYPTO now' })).body.status).toBe('pending');
    const links = await submit(ctx, 'open', { body: 'See https://a.example and https://b.example' });
    expect(links.body.status).toBe('pending');
    expect((await show(links.body.id)).comment.reasons).toEqual([
      expect.objectContaining({ code: 'too_many_links', data: expect.objectContaining({ count: 2 }) }),
    ]);
  });

  it('answers 422 with the reasons when the site reveals rejections, and still stores the comment', async () => {
    const before = await tableCounts(ctx);
    const res = await submit(ctx, 'strict', { body: 'Best casino bonus here' });
    const problem = expectProblem(res, 422);
    expect(problem.code).toBe('blocked_word');
    expect(problem.errors).toEqual([
      { path: 'body', message: expect.stringContaining('blocked_word: Contains blocked words: "casino" in body') },
    ]);
    const after = await tableCounts(ctx);
    expect(after.comments).toBe(before.comments + 1);
    const rejected = await ctx.container.database.db
      .selectFrom('comments')
      .select(['status', 'reasons'])
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(rejected.status).toBe('rejected');
  });

  it('reveals block-list rejections too, naming the field', async () => {
    const problem = expectProblem(await submit(ctx, 'strict', { email: 'x@mail.spam.example' }), 422);
    expect(problem).toMatchObject({ code: 'blocked_domain', errors: [{ path: 'email' }] });
  });

  it('replays a revealed rejection for the same Idempotency-Key', async () => {
    const input = commentInput({ body: 'casino casino' });
    const headers = { 'idempotency-key': 'reject-once' };
    expectProblem(await postJson(ctx, '/api/v1/sites/strict/comments', input, headers), 422);
    const before = await tableCounts(ctx);
    const again = await postJson(ctx, '/api/v1/sites/strict/comments', input, headers);
    expect(expectProblem(again, 422).code).toBe('blocked_word');
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('keeps rejected comments quiet when the site does not reveal rejections', async () => {
    await ctx.container.sites.update('open', { settings: { blockedWords: ['casino'] } });
    const res = await submit(ctx, 'open', { body: 'casino' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('pending');
    expect((await show(res.body.id)).comment.status).toBe('rejected');
  });
});

describe('duplicates', () => {
  it('refuses the same author posting the same text at the same place with 409 and stores nothing', async () => {
    const input = commentInput({ articleId: 'dup', body: 'Exactly this.' });
    expect((await postJson(ctx, '/api/v1/sites/open/comments', input)).status).toBe(201);
    const before = await tableCounts(ctx);
    const again = await postJson(ctx, '/api/v1/sites/open/comments', {
      ...input,
      email: String(input.email).toUpperCase(),
    });
    expect(expectProblem(again, 409).code).toBe('duplicate');
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('allows the same text from someone else, elsewhere, or as a reply', async () => {
    const input = commentInput({ articleId: 'dup2', body: 'Agreed.' });
    const first = await postJson(ctx, '/api/v1/sites/open/comments', input);
    expect(
      (await postJson(ctx, '/api/v1/sites/open/comments', { ...input, email: 'someone-else@example.com' })).status,
    ).toBe(201);
    expect((await postJson(ctx, '/api/v1/sites/open/comments', { ...input, articleId: 'dup3' })).status).toBe(201);
    expect((await postJson(ctx, '/api/v1/sites/open/comments', { ...input, parentId: first.body.id })).status).toBe(
      201,
    );
  });

  it('stores one of several identical comments sent at the same moment', async () => {
    // On an existing article: creating the article would serialise the requests by itself.
    await submit(ctx, 'open', { articleId: 'race' });
    const input = commentInput({ articleId: 'race', body: 'Sent twice by a double click' });
    const before = await tableCounts(ctx);
    const answers = await Promise.all([1, 2, 3].map(() => postJson(ctx, '/api/v1/sites/open/comments', input)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect((await tableCounts(ctx)).comments).toBe(before.comments + 1);
  });
});

describe('site length limits', () => {
  it('answers 400 naming the body when a comment is shorter or longer than the site allows', async () => {
    await createSite(ctx, 'limits', { moderation: 'none', minBodyLength: 10, maxBodyLength: 40 });
    const before = await tableCounts(ctx);
    const short = expectProblem(await submit(ctx, 'limits', { body: 'first!' }), 400);
    expect(short.errors).toEqual([{ path: 'body', message: 'must be at least 10 characters (it has 6)' }]);
    const long = expectProblem(await submit(ctx, 'limits', { body: 'x'.repeat(41) }), 400);
    expect(long.errors).toEqual([{ path: 'body', message: 'must be at most 40 characters (it has 41)' }]);
    expect(await tableCounts(ctx)).toEqual(before);
    expect((await submit(ctx, 'limits', { body: 'Just right, this one.' })).status).toBe(201);
  });
});

describe('filter settings through the site service', () => {
  it('refuses malformed settings with a message naming the setting, and changes nothing', async () => {
    await createSite(ctx, 'settings', { blockedIps: ['203.0.113.0/24'] });
    const attempt = (settings: Record<string, unknown>) =>
      ctx.container.sites.update('settings', { settings }).then(
        () => null,
        (e: { extra?: { errors?: unknown } }) => e.extra?.errors,
      );
    expect(await attempt({ blockedIps: ['203.0.113.0/24', '10.0.0.0/40'] })).toEqual([
      { path: 'settings.blockedIps.1', message: expect.stringContaining('not an IP address or CIDR range') },
    ]);
    expect(await attempt({ holdWords: Array.from({ length: 5_001 }, (_, i) => `w${i}`) })).toEqual([
      { path: 'settings.holdWords', message: 'must have at most 5,000 entries' },
    ]);
    expect(await attempt({ blockedWords: ['/(a+)+$/'] })).toEqual([
      { path: 'settings.blockedWords.0', message: expect.stringContaining('regular expression') },
    ]);
    expect(await attempt({ linkLimt: 3 })).toEqual([{ path: 'settings.linkLimt', message: 'is not a site setting' }]);
    expect((await ctx.container.sites.get('settings')).settings.blockedIps).toEqual(['203.0.113.0/24']);
  });

  it('applies updated settings to the next comment', async () => {
    await createSite(ctx, 'live', { moderation: 'none' });
    expect((await submit(ctx, 'live', { body: 'frak this' })).body.status).toBe('approved');
    await ctx.container.sites.update('live', { settings: { profanityWords: ['frak'], profanityAction: 'reject' } });
    const res = await submit(ctx, 'live', { body: 'FR4K this' });
    expect(res.body.status).toBe('pending');
    expect((await show(res.body.id)).comment).toMatchObject({
      status: 'rejected',
      reasons: [
        expect.objectContaining({ data: { matches: [expect.objectContaining({ word: 'frak', text: 'FR4K' })] } }),
      ],
    });
  });

  it('compiles saved word lists when they are saved, not on the next comment', async () => {
    await createSite(ctx, 'warm', { moderation: 'none' });
    const before = compilations();
    // Lists no other test uses, so nothing is compiled already.
    const words = Array.from({ length: 500 }, (_, i) => `warmword${i}x`);
    await ctx.container.sites.update('warm', { settings: { holdWords: words, profanityWords: ['gorramwarm'] } });
    const compiled = compilations() - before;
    expect(compiled).toBeGreaterThanOrEqual(2);
    const res = await submit(ctx, 'warm', { body: 'warmword42x and gorramwarm' });
    expect(res.body.status).toBe('pending');
    expect(compilations() - before).toBe(compiled);
  });
});
