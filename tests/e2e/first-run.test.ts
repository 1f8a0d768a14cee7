// The operator's first screen, from the real process: the banner with the URLs (the demo article only
// where it is served) and, while no admin exists, how to create one; readable lines with
// LOG_FORMAT=pretty (JSON otherwise); and on Redis, a warning about a setup BullMQ cannot live with.
import { afterEach, describe, expect, it } from 'vitest';
import { type OwnRedis, ownRedis } from '../support/own-redis.ts';
import { freshEnvironment, type ServerProcess, startServer } from '../support/server-process.ts';
import { TEST_REDIS_URL, testDb } from '../support/stores.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let server: ServerProcess | undefined;
let cleanup: (() => Promise<void>) | undefined;
let redis: OwnRedis | undefined;
afterEach(async () => {
  await server?.stop('SIGKILL');
  await cleanup?.();
  await redis?.kill();
  server = cleanup = redis = undefined;
});

const production = testDb() === 'postgres';

async function start(extra: Record<string, string> = {}): Promise<ServerProcess> {
  const fresh = await freshEnvironment({ demo: false });
  cleanup = fresh.cleanup;
  server = await startServer('src/bin/server.ts', { ...fresh.env, ...extra });
  return server;
}

type LogLine = { level: number; msg: string; urls?: Record<string, string | null>; adminMissing?: boolean };
const jsonLines = (s: ServerProcess): LogLine[] =>
  s
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

async function banner(s: ServerProcess): Promise<LogLine> {
  return waitUntil(async () => jsonLines(s).find((l) => l.msg.startsWith('comment service ready')), 20_000, 'banner');
}

describe(`the first start (${testDb()})`, () => {
  it('logs a banner with the dashboard and docs URLs, the demo article where served, and how to create an admin', async () => {
    const s = await start();
    const line = await banner(s);
    const base = `http://localhost:${s.port}`;
    expect(line.urls).toEqual({
      dashboard: `${base}/dashboard`,
      mail: `${base}/dashboard/mail`,
      docs: `${base}/docs`,
      demo: production ? null : `${base}/`,
    });
    expect(line.msg).toContain(`dashboard     ${base}/dashboard`);
    expect(line.msg).toContain(`API docs      ${base}/docs`);
    expect(line.msg).toContain(
      `mail          no SMTP_URL set: mail is kept for the dashboard at ${base}/dashboard/mail`,
    );
    if (production) expect(line.msg).not.toContain('demo article');
    else expect(line.msg).toContain(`demo article  ${base}/`);
    expect(line.adminMissing).toBe(true);
    expect(line.msg).toContain('no admin account yet');
    expect(line.msg).toContain('users:create --email you@example.com --role admin');
    expect(line.msg).toContain('ADMIN_EMAIL=');
    // The URLs it names answer.
    expect((await fetch(`${s.url}/docs`)).status).toBe(200);
    expect((await fetch(`${s.url}/dashboard/login`)).status).toBe(200);
  });

  it('says nothing about creating an admin once one exists, and writes readable lines with LOG_FORMAT=pretty', async () => {
    const s = await start({
      ADMIN_EMAIL: 'first@example.com',
      ADMIN_PASSWORD: 'first admin password',
      LOG_FORMAT: 'pretty',
    });
    await waitUntil(async () => s.output().includes('comment service ready'), 20_000, 'banner');
    const out = s.output();
    expect(out).not.toContain('no admin account yet');
    expect(out).toMatch(
      /INFO.*: comment service ready\n( {2}.*\n)* {2}dashboard {5}http:\/\/localhost:\d+\/dashboard\n/,
    );
    expect(out).toMatch(/INFO.*: listening on http:\/\/localhost:\d+/);
    expect(out.split('\n').filter((l) => l.startsWith('{'))).toEqual([]);
  });

  it.runIf(production)(
    'warns when Redis may evict jobs or runs without appendonly, and not about a policy BullMQ accepts',
    async () => {
      redis = await ownRedis(['--maxmemory-policy', 'allkeys-lru']);
      await redis.start();
      const s = await start({ REDIS_URL: redis.url, REDIS_PREFIX: `first-run-${process.pid}` });
      await banner(s);
      const warnings = await waitUntil(
        async () => {
          const w = jsonLines(s).filter((l) => l.level === 40 && l.msg.startsWith('Redis '));
          return w.length >= 2 ? w : null;
        },
        20_000,
        'Redis warnings',
      );
      expect(warnings.map((w) => w.msg)).toEqual([
        expect.stringContaining('maxmemory-policy is allkeys-lru: BullMQ needs noeviction'),
        expect.stringContaining('without appendonly'),
      ]);
      await s.stop('SIGKILL');
      await cleanup?.();
      // The shared test Redis keeps noeviction: no eviction warning there.
      const shared = await start({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `first-run-${process.pid}` });
      await banner(shared);
      // Its appendonly is off (the warning comes after the policy's, from the same check).
      await waitUntil(async () => shared.output().includes('without appendonly'), 20_000, 'the appendonly warning');
      expect(shared.output()).not.toContain('maxmemory-policy');
    },
  );
});
