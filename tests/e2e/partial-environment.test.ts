// The real processes of a PostgreSQL + Redis deployment: a CLI run with DATABASE_URL but without
// REDIS_URL refuses (its events would wait in a jobs table no worker reads) and changes nothing; with
// the deployment's environment, its comment.approved reaches the server's workers and the webhook.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { commentInput } from '../support/http.ts';
import { freshEnvironment, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';
import { TEST_REDIS_URL, testDb } from '../support/stores.ts';
import { createOtherProcess } from '../support/test-app.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';

describe.skipIf(testDb() !== 'postgres')('a CLI run with part of the environment', () => {
  let server: ServerProcess;
  let receiver: Receiver;
  let cleanup: () => Promise<void>;
  let deployment: Record<string, string>;
  beforeAll(async () => {
    const fresh = await freshEnvironment();
    cleanup = fresh.cleanup;
    receiver = await startReceiver();
    deployment = {
      ...fresh.env,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `partial-${randomBytes(4).toString('hex')}`,
      WEBHOOK_ALLOW_PRIVATE: 'true',
    };
    server = await startServer('src/bin/server.ts', deployment);
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await receiver?.close();
    await cleanup?.();
  });

  const cli = (env: Record<string, string>, ...argv: string[]) => runTsx('src/bin/cli.ts', argv, env);

  it('refuses without REDIS_URL, naming it, and works with the deployment environment', async () => {
    // The site and its endpoint, set up by another process of the deployment (faster than two more CLI runs).
    const admin = await createOtherProcess(loadConfig({ ...deployment, LOG_LEVEL: 'silent' }));
    try {
      await admin.sites.create({
        id: 'p',
        name: 'P',
        settings: { origins: ['https://news.example'], moderation: 'all' },
      });
      await admin.webhooks.create('p', { url: `${receiver.url}/p`, events: ['comment.approved'] });
    } finally {
      await admin.close();
    }
    const posted = await fetch(`${server.url}/api/v1/sites/p/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://news.example' },
      body: JSON.stringify(commentInput()),
    });
    expect(posted.status).toBe(201);
    const { id } = (await posted.json()) as { id: string };

    const partial = await cli(
      { ...deployment, REDIS_URL: '' },
      'comments:set-status',
      '--id',
      id,
      '--status',
      'approved',
    );
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/take jobs from Redis .*REDIS_URL is not set here/);
    // Nothing changed: the comment is still held.
    const thread = await fetch(`${server.url}/api/v1/sites/p/articles/article-1/comments`, {
      headers: { origin: 'https://news.example' },
    });
    expect(JSON.stringify(await thread.json())).not.toContain(id);

    const full = await cli(deployment, 'comments:set-status', '--id', id, '--status', 'approved');
    expect(full, full.stderr).toMatchObject({ code: 0 });
    const [got] = await receiver.waitFor((all) => all.some((r) => r.path === '/p'));
    expect(got!.json).toMatchObject({ type: 'comment.approved', data: { comment: { id } } });
  }, 90_000); // two CLI processes, each starting tsx
});
