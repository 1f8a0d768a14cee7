// PostgreSQL goes away: public calls answer 503 problem+json with Retry-After, quickly, never 500;
// when it returns, the service recovers by itself. Uses a PostgreSQL server of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { type Container, createContainer } from '../../src/container.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { commentInput, expectProblem } from '../support/http.ts';
import { type OwnPostgres, ownPostgres } from '../support/own-postgres.ts';
import { TEST_SECRET } from '../support/stores.ts';

let pg: OwnPostgres;
let container: Container;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  pg = await ownPostgres();
  await pg.start();
  const config = loadConfig({ DATABASE_URL: pg.url, SECRET_KEY: TEST_SECRET, LOG_LEVEL: 'silent' });
  container = await createContainer(config, { log: createLogger('silent') });
  app = createApp(container);
  await container.sites.create({ id: 'db', name: 'DB', settings: { moderation: 'none' } });
}, 60_000);
afterAll(async () => {
  await container?.close();
  await pg?.destroy();
});

async function request(path: string, init?: RequestInit) {
  const started = Date.now();
  const res = await app.request(path, init);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? JSON.parse(text) : null,
    text,
    ms: Date.now() - started,
  };
}
const post = (body: object) =>
  request('/api/v1/sites/db/comments', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('PostgreSQL down and back', () => {
  it('answers 503 with Retry-After within a bound, then recovers when the database returns', async () => {
    expect((await post(commentInput({ articleId: 'a' }))).status).toBe(201);
    await pg.stop();

    const failed = await post(commentInput({ articleId: 'a' }));
    expectProblem(failed as never, 503);
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(failed.ms).toBeLessThan(10_000);
    const read = await request('/api/v1/sites/db/articles/never-cached/comments');
    expectProblem(read as never, 503);
    const counts = await request('/api/v1/sites/db/counts?articleId=a');
    expect([200, 503]).toContain(counts.status); // the site may still be cached; never a 500
    expect((await request('/readyz')).status).toBe(503);
    expect((await request('/healthz')).status).toBe(200);

    await pg.start();
    let recovered = null;
    for (let i = 0; i < 50 && !recovered; i++) {
      const res = await post(commentInput({ articleId: 'a' }));
      if (res.status === 201) recovered = res;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(recovered?.status).toBe(201);
    const thread = await request('/api/v1/sites/db/articles/a/comments');
    expect(thread.body.comments).toHaveLength(2);
    expect((await request('/readyz')).status).toBe(200);
  }, 90_000);
});
