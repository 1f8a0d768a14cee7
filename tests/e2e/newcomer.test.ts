// The README's path, over real HTTP against the real process: start, post, approve with the CLI, read.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEnvironment, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';
import { testDb } from '../support/stores.ts';

let server: ServerProcess;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshEnvironment();
  cleanup = fresh.cleanup;
  server = await startServer('src/bin/server.ts', fresh.env);
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await cleanup?.();
});

const cli = (...args: string[]) => runTsx('src/bin/cli.ts', args, server.env);

describe(`a newcomer's first session (${testDb()})`, () => {
  it('says which mode it runs in', () => {
    if (testDb() === 'pglite') expect(server.output()).toContain('embedded mode');
    else expect(server.output()).not.toContain('embedded mode');
  });

  it('accepts a comment with curl-like JSON, approves it with the CLI, and shows it with a nested reply', async () => {
    const post = (body: object) =>
      fetch(`${server.url}/api/v1/sites/demo/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = await post({
      articleId: 'pk-kz-action-plan',
      name: 'Newcomer',
      email: 'new@example.com',
      body: 'Hello from curl',
    });
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: string; status: string };
    expect(created.status).toBe('pending'); // the demo site holds first comments

    const approved = await cli('comments:set-status', '--id', created.id, '--status', 'approved');
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);

    // The same author is now trusted, so the reply is published at once.
    const reply = await post({
      articleId: 'pk-kz-action-plan',
      name: 'Newcomer',
      email: 'NEW@example.com',
      body: 'A reply',
      parentId: created.id,
    });
    expect(((await reply.json()) as { status: string }).status).toBe('approved');

    const thread = (await (
      await fetch(`${server.url}/api/v1/sites/demo/articles/pk-kz-action-plan/comments`)
    ).json()) as any;
    expect(thread.comments).toHaveLength(1);
    expect(thread.comments[0].replies[0].html).toBe('<p>A reply</p>');

    const page = await (await fetch(`${server.url}/`)).text();
    expect(page).toContain('Hello from curl');
    expect(page).toContain('A reply');
  });

  it('takes a form post from the demo page without JavaScript and sends the reader back', async () => {
    const page = await (await fetch(`${server.url}/`)).text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';
    const res = await fetch(`${server.url}/api/v1/sites/demo/comments`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({
        articleId: field('articleId'),
        articleUrl: field('articleUrl'),
        renderedAt: field('renderedAt'),
        name: 'Form',
        email: 'form@example.com',
        body: 'Posted by a form',
      }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain(`${server.url}/?comment=`);
  });

  it('lists sites through the CLI while the server runs', async () => {
    const res = await cli('sites:list');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^demo\tDemo/m);
  });

  it('stops cleanly on SIGTERM', async () => {
    const code = await server.stop('SIGTERM');
    expect(code).toBe(0);
    if (testDb() === 'pglite') expect(existsSync(path.join(server.env.DATA_DIR!, 'server.lock'))).toBe(false);
  });
});
