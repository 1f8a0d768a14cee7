// Filter settings through the operator CLI: convenient flags, clear refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await cli('sites:create', '--id', 'news', '--name', 'News', '--origin', 'https://news.example', '--mode', 'none');
});
afterAll(() => ctx.close());

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('filter settings in the CLI', () => {
  it('sets word lists, block lists and limits with flags; list flags add to the current list', async () => {
    const first = await cli(
      'sites:update',
      '--id',
      'news',
      '--block-word',
      'casino',
      '--block-word',
      'viagra',
      '--hold-word',
      'crypto',
      '--block-email',
      'Troll@Example.com',
      '--block-domain',
      'spam.example',
      '--block-ip',
      '203.0.113.0/24',
      '--profanity',
      'reject',
      '--profanity-word',
      'frak',
      '--allow-word',
      'crap',
      '--link-limit',
      '3',
      '--flood-interval',
      'off',
    );
    expect(first.err).toBe('');
    expect(JSON.parse(first.out).settings).toMatchObject({
      blockedWords: ['casino', 'viagra'],
      holdWords: ['crypto'],
      blockedEmails: ['troll@example.com'],
      blockedDomains: ['spam.example'],
      blockedIps: ['203.0.113.0/24'],
      profanityAction: 'reject',
      profanityWords: ['frak'],
      profanityExceptions: ['crap'],
      linkLimit: 3,
      floodIntervalSeconds: 0,
    });
    const second = await cli(
      'sites:update',
      '--id',
      'news',
      '--block-word',
      'poker',
      '--block-ip',
      '2001:db8::/32',
      '--link-limit',
      'none',
    );
    expect(JSON.parse(second.out).settings).toMatchObject({
      blockedWords: ['casino', 'viagra', 'poker'],
      blockedIps: ['203.0.113.0/24', '2001:db8::/32'],
      linkLimit: null,
    });
    const replaced = await cli(
      'sites:update',
      '--id',
      'news',
      '--set',
      'blockedWords=["bingo"]',
      '--set',
      'shoutingMinLetters=40',
    );
    expect(JSON.parse(replaced.out).settings).toMatchObject({ blockedWords: ['bingo'], shoutingMinLetters: 40 });
  });

  it('applies the settings to the next comment', async () => {
    const res = await submit(ctx, 'news', { body: 'Play BINGO tonight' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('pending');
    const shown = JSON.parse((await cli('comments:show', '--id', res.body.id)).out);
    expect(shown.comment.status).toBe('rejected');
    expect(shown.comment.reasons[0].data.matches).toEqual([
      { field: 'body', word: 'bingo', start: 5, end: 10, text: 'BINGO' },
    ]);
  });

  it('refuses malformed settings with a message naming the setting, and changes nothing', async () => {
    const before = (await ctx.container.sites.get('news')).settings;
    const badIp = await cli('sites:update', '--id', 'news', '--block-ip', '10.0.0.0/99');
    expect(badIp.code).toBe(1);
    expect(badIp.err).toContain('settings.blockedIps.2: "10.0.0.0/99" is not an IP address or CIDR range');
    const regex = await cli('sites:update', '--id', 'news', '--hold-word', '/(a+)+$/');
    expect(regex.err).toContain('settings.holdWords.1');
    expect(regex.err).toContain('plain text, matched literally');
    const action = await cli('sites:update', '--id', 'news', '--profanity', 'maybe');
    expect(action.err).toContain('settings.profanityAction');
    const typo = await cli('sites:update', '--id', 'news', '--set', 'linkLimt=3');
    expect(typo.err).toContain('settings.linkLimt: is not a site setting');
    const interval = await cli('sites:update', '--id', 'news', '--flood-interval', 'soon');
    expect(interval.err).toContain('--flood-interval: "soon" is not a whole number');
    expect((await ctx.container.sites.get('news')).settings).toEqual(before);
  });

  it('documents the flags in its help', async () => {
    const help = (await cli('sites:update', '--help')).out;
    for (const flag of [
      '--block-word',
      '--hold-word',
      '--block-email',
      '--block-domain',
      '--block-ip',
      '--profanity <action>',
      '--profanity-word',
      '--allow-word',
      '--link-limit',
      '--flood-interval',
    ]) {
      expect(help).toContain(flag);
    }
  });
});
