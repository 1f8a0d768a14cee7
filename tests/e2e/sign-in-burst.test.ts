// The sign-in limit holds against parallel guesses in the real process: each attempt reserves its
// point before the password is checked, so a burst of 40 at once checks at most 5 passwords. With
// PostgreSQL + Redis the burst is split between two server processes sharing the Redis counters.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEnvironment, type ServerProcess, startServer } from '../support/server-process.ts';
import { TEST_REDIS_URL, testDb } from '../support/stores.ts';

const EMAIL = 'burst-admin@example.com';
const PASSWORD = 'the right burst password';
const LIMIT = 5;
const production = testDb() === 'postgres';
const prefix = `burst-${randomBytes(4).toString('hex')}`;

const servers: ServerProcess[] = [];
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshEnvironment();
  cleanup = fresh.cleanup;
  const env = {
    ...fresh.env,
    ADMIN_EMAIL: EMAIL,
    ADMIN_PASSWORD: PASSWORD,
    ...(production ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix } : {}),
  };
  servers.push(await startServer('src/bin/server.ts', env));
  if (production) servers.push(await startServer('src/bin/server.ts', env));
}, 120_000);
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL');
  await cleanup?.();
  if (production) {
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

async function login(server: ServerProcess, password: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password }),
  });
  const body = (await res.json()) as { code?: string };
  return { status: res.status, code: body.code };
}

describe('a parallel burst of sign-ins on one account', () => {
  it('checks at most five passwords of 40 sent at once, and the right one does not sign in once the limit is reached', async () => {
    const passwords = [...Array.from({ length: 39 }, (_, i) => `wrong guess ${i}`), PASSWORD];
    const answers = await Promise.all(passwords.map((p, i) => login(servers[i % servers.length]!, p)));
    const wrong = answers.filter((a) => a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.every((a) => a.code === 'login_locked')).toBe(true);
    const right = answers.at(-1)!;
    if (right.status === 429) {
      // The five reservations went to wrong guesses: exactly five passwords checked, none of them right.
      expect(right.code).toBe('login_locked');
      expect(wrong).toHaveLength(LIMIT);
    } else {
      // The right one was among the first five: it signed in and gave its point back (no more than
      // one further guess can take it); the wrong guesses checked still stay within the limit.
      expect(right.status).toBe(200);
      expect(wrong.length).toBeLessThanOrEqual(LIMIT);
    }
    expect(wrong.length + refused.length + (right.status === 200 ? 1 : 0)).toBe(40);
    // And the limit is reached now: the right password from a browser without a device cookie waits.
    for (const server of servers) expect(await login(server, PASSWORD)).toEqual({ status: 429, code: 'login_locked' });
    if (production) {
      const redis = new Redis(TEST_REDIS_URL);
      try {
        expect(await redis.keys(`${prefix}:login:account:*`)).toHaveLength(1);
      } finally {
        redis.disconnect();
      }
    }
  });
});
