// The live queue across real API processes on PostgreSQL and Redis: a tab's stream on one process hears
// a decision made through another (Redis pub/sub), and SIGTERM ends the open stream at once, so the
// graceful stop is not held up by it (the server's close would otherwise wait out its 10 s bound).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEnvironment, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';
import { openStream } from '../support/sse.ts';
import { TEST_REDIS_URL } from '../support/stores.ts';

const ADMIN = { email: 'ops@example.com', password: 'a long enough admin password' };
let env: Record<string, string>;
let cleanup: () => Promise<void>;
let first: ServerProcess;
let second: ServerProcess;
beforeAll(async () => {
  const fresh = await freshEnvironment({ demo: false });
  cleanup = fresh.cleanup;
  env = {
    ...fresh.env,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `live-${randomBytes(4).toString('hex')}`,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
  expect(
    (await runTsx('src/bin/cli.ts', ['sites:create', '--id', 'desk', '--name', 'Desk', '--mode', 'all'], env)).code,
  ).toBe(0);
  [first, second] = await Promise.all([startServer('src/bin/api.ts', env), startServer('src/bin/api.ts', env)]);
});
afterAll(async () => {
  await first?.stop('SIGKILL');
  await second?.stop('SIGKILL');
  await cleanup?.();
});

async function signIn(base: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('cms_session='))!
    .split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

describe('the live queue across API processes', () => {
  it('hears a decision made on another process, and SIGTERM ends the stream at once', async () => {
    const session = await signIn(first.url);
    const stream = await openStream(first.url, '/dashboard/queue/live?site=desk', session.cookie);
    expect(stream.status).toBe(200);
    await stream.next((e) => e.event === 'ready');

    const posted = await fetch(`${second.url}/api/v1/sites/desk/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ articleId: 'a', name: 'Reader', email: 'reader@example.com', body: 'Held for review' }),
    });
    const { id } = (await posted.json()) as { id: string };
    const decided = await fetch(`${second.url}/api/v1/moderation/comments/${id}/reject`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
      body: JSON.stringify({ expectedStatus: 'pending' }),
    });
    expect(decided.status).toBe(200);
    const change = JSON.parse(
      (await stream.next((e) => e.event === 'change' && JSON.parse(e.data).status === 'rejected', 2_000)).data,
    );
    expect(change).toMatchObject({ commentId: id, siteId: 'desk', previousStatus: 'pending', actor: ADMIN.email });

    const started = Date.now();
    const exited = first.stop('SIGTERM');
    await stream.ended(5_000);
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(first.output()).toContain('stopped');
  }, 60_000);
});
