import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { call, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('operator CLI', () => {
  it('list flags add on update, --remove-* flags remove, --set sets the whole list', async () => {
    await cli(
      'sites:create',
      '--id',
      'lists',
      '--name',
      'Lists',
      '--origin',
      'https://a.example',
      '--block-word',
      'casino',
    );
    const settings = async (...flags: string[]) => {
      const res = await cli('sites:update', '--id', 'lists', ...flags);
      expect(res.err).toBe('');
      return JSON.parse(res.out).settings;
    };
    // Adding a second origin keeps the first (it used to replace the list).
    expect((await settings('--origin', 'https://b.example')).origins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(
      await settings('--block-word', 'lottery', '--block-ip', '203.0.113.0/24', '--allow-word', 'Scunthorpe'),
    ).toMatchObject({
      blockedWords: ['casino', 'lottery'],
      blockedIps: ['203.0.113.0/24'],
      profanityExceptions: ['Scunthorpe'],
    });
    // Removing compares as the setting does: an origin by its origin, words ignoring case.
    expect(
      await settings(
        '--remove-origin',
        'https://A.example/some/page',
        '--remove-block-word',
        'CASINO',
        '--remove-allow-word',
        'scunthorpe',
      ),
    ).toMatchObject({ origins: ['https://b.example'], blockedWords: ['lottery'], profanityExceptions: [] });
    expect((await settings('--set', 'origins=["https://c.example","https://d.example"]')).origins).toEqual([
      'https://c.example',
      'https://d.example',
    ]);
    expect((await settings('--set', 'origins=[]', '--origin', 'https://e.example')).origins).toEqual([
      'https://e.example',
    ]);
    // Removing what is not there is refused and changes nothing.
    const missing = await cli(
      'sites:update',
      '--id',
      'lists',
      '--remove-origin',
      'https://zzz.example',
      '--origin',
      'https://f.example',
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('"https://zzz.example" is not in the list');
    expect((await ctx.container.sites.get('lists')).settings.origins).toEqual(['https://e.example']);
    // sites:create has nothing to remove from.
    expect(
      (await cli('sites:create', '--id', 'lists2', '--name', 'L', '--remove-origin', 'https://a.example')).code,
    ).toBe(1);
  });

  it('creates, updates and lists sites with the documented options', async () => {
    const created = await cli(
      'sites:create',
      '--id',
      'demo2',
      '--name',
      'Demo 2',
      '--origin',
      'http://localhost:3000',
      '--origin',
      'https://b.example/path',
      '--mode',
      'first',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out).settings).toMatchObject({
      origins: ['http://localhost:3000', 'https://b.example'],
      moderation: 'first',
      maxDepth: 5,
    });

    const updated = await cli(
      'sites:update',
      '--id',
      'demo2',
      '--mode',
      'none',
      '--max-depth',
      '3',
      '--close-after-days',
      '14',
      '--reveal-rejections',
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.out).settings).toMatchObject({
      moderation: 'none',
      maxDepth: 3,
      closeAfterDays: 14,
      revealRejections: true,
      origins: ['http://localhost:3000', 'https://b.example'],
    });

    const list = await cli('sites:list');
    expect(list.out).toMatch(/^demo2\tDemo 2\tmode=none/m);
  });

  it('refuses bad settings with a clear message and changes nothing', async () => {
    await cli('sites:create', '--id', 'strict', '--name', 'Strict', '--mode', 'all');
    const bad = await cli('sites:update', '--id', 'strict', '--mode', 'sometimes', '--max-depth', '99');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('settings.moderation');
    expect(bad.err).toContain('settings.maxDepth');
    expect((await ctx.container.sites.get('strict')).settings.moderation).toBe('all');
    expect((await cli('sites:create', '--id', 'Bad Id!', '--name', 'x')).err).toContain('id:');
    expect((await cli('sites:create', '--id', 'strict', '--name', 'again')).err).toContain('already exists');
    expect((await cli('sites:update', '--id', 'strict', '--origin', 'ftp://x')).code).toBe(1);
  });

  it('sets a comment status and shows it with its log, so approval works before the dashboard', async () => {
    await cli('sites:create', '--id', 'moderated', '--name', 'M', '--mode', 'all');
    const res = await submit(ctx, 'moderated', { articleId: 'x' });
    expect(res.body.status).toBe('pending');
    const set = await cli('comments:set-status', '--id', res.body.id, '--status', 'approved', '--reason', 'looks fine');
    expect(set.code).toBe(0);
    const thread = await call(ctx, '/api/v1/sites/moderated/articles/x/comments');
    expect(thread.body.comments.map((c: any) => c.id)).toEqual([res.body.id]);
    const shown = JSON.parse((await cli('comments:show', '--id', res.body.id)).out);
    expect(shown.comment.status).toBe('approved');
    expect(shown.log.at(-1)).toMatchObject({ from: 'pending', to: 'approved', actorType: 'cli', note: 'looks fine' });
    const invalid = await cli('comments:set-status', '--id', res.body.id, '--status', 'published');
    expect(invalid.code).toBe(1);
    expect((await cli('comments:show', '--id', 'nope')).err).toContain('No comment');
  });

  it('manages webhook endpoints: secret shown once, listed without it, validated', async () => {
    await cli('sites:create', '--id', 'hooks', '--name', 'Hooks');
    const created = await cli(
      'webhooks:create',
      '--site',
      'hooks',
      '--url',
      'https://hooks.example.com/in',
      '--events',
      'comment.approved,comment.deleted',
    );
    expect(created.code).toBe(0);
    const endpoint = JSON.parse(created.out);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(endpoint.events).toEqual(['comment.approved', 'comment.deleted']);
    const list = await cli('webhooks:list', '--site', 'hooks');
    expect(list.out).toContain(endpoint.id);
    expect(list.out).not.toContain(endpoint.secret);
    expect(list.out).not.toContain('ciphertext');
    const bad = await cli(
      'webhooks:create',
      '--site',
      'hooks',
      '--url',
      'http://127.0.0.1/x',
      '--events',
      'comment.exploded',
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('url');
    expect(bad.err).toContain('events');
    const disabled = await cli('webhooks:update', '--id', endpoint.id, '--disable');
    expect(JSON.parse(disabled.out)).toMatchObject({ enabled: false });
    const rotated = await cli('webhooks:rotate-secret', '--id', endpoint.id);
    expect(JSON.parse(rotated.out).secret).not.toBe(endpoint.secret);
    expect(JSON.parse((await cli('webhooks:deliveries', '--id', endpoint.id)).out)).toEqual([]);
  });

  it("deletes a comment at the author's request", async () => {
    await cli('sites:create', '--id', 'erasing', '--name', 'E', '--mode', 'none');
    const res = await submit(ctx, 'erasing', { articleId: 'x' });
    const del = await cli('comments:delete', '--id', res.body.id, '--reason', 'author request');
    expect(JSON.parse(del.out)).toEqual({ id: res.body.id, status: 'deleted' });
    expect((await cli('authors:erase', '--site', 'erasing', '--email', 'nobody@example.com')).out).toBe(
      'Erased 0 comments.\n',
    );
  });

  it('prints help for the program and each command', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('sites:create');
    const sub = await cli('sites:create', '--help');
    expect(sub.out).toContain('--origin <url>');
  });
});
