// What the live queue costs PostgreSQL per POST on a big site with no dashboard open (issue 14): a
// database of its own seeded with 101,000 comments (bench/support/seed.ts), its statements logged
// (log_min_duration_statement = 0 on that database only), POSTs through the app in this process
// (PostgreSQL + Redis, no worker), then the server log read for this database's backends: statements,
// PostgreSQL time and count queries per POST. `LIVE_WATCH=1` keeps a queue stream of the site open
// during the run (the watched case). Run: `npx tsx bench/live-counts.ts`.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/env.ts';
import { createContainer } from '../src/container.ts';
import { createLogger } from '../src/shared/logger.ts';
import { ARTICLES, databaseUrl, seed } from './support/seed.ts';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LOG = process.env.BENCH_PG_LOG ?? '/var/log/postgresql/postgresql-15-main.log';
const POSTS = Number(process.env.BENCH_POSTS ?? 300);
const CONNECTIONS = 10;

const database = `probe_live_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create database ${database}`);
try {
  const config = loadConfig({
    DATABASE_URL: databaseUrl(PG_URL, database),
    REDIS_URL,
    REDIS_PREFIX: database,
    SECRET_KEY: 'bench-secret-key-that-is-at-least-32-characters',
    TRUST_PROXY: 'true',
    LOG_LEVEL: 'silent',
  });
  const migrated = await createContainer(config, { log: createLogger('silent') });
  await migrated.close();
  await seed(databaseUrl(PG_URL, database));
  await admin.query(`alter database ${database} set log_min_duration_statement = 0`);
  const container = await createContainer(config, { migrate: false, log: createLogger('silent') });
  const app = createApp(container);
  const post = (i: number) =>
    app.request('http://localhost/api/v1/sites/bench/comments', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      },
      body: JSON.stringify({
        articleId: 'large',
        name: `Probe ${i}`,
        email: `p${i}@example.com`,
        body: `Probe comment ${i} with words.`,
      }),
    });
  // Warm up (named statements, caches), outside the measured window.
  for (let i = 0; i < 20; i++) await post(1_000_000 + i);
  let stop = () => {};
  if (process.env.LIVE_WATCH === '1') {
    // A tab on the site's queue, as the dashboard holds it (an admin's session is not needed here).
    const start = await container.liveQueue.open({
      sessionId: 'probe',
      siteIds: ['bench'],
      send() {},
      resync() {},
      end() {},
    });
    stop = () => start?.remove();
  }
  await new Promise((r) => setTimeout(r, 3_000));
  const from = statSync(LOG).size;
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < POSTS) {
        const res = await post(next++);
        if (res.status !== 201) failed += 1;
        await res.arrayBuffer();
      }
    }),
  );
  const elapsed = performance.now() - started;
  // The last announcement goes out after its gap.
  await new Promise((r) => setTimeout(r, 3_000));
  stop();
  const lines = readFileSync(LOG).subarray(from).toString('utf8').split('\n');
  let statements = 0;
  let ms = 0;
  let counts = 0;
  let countMs = 0;
  const byStatement = new Map<string, number>();
  for (const [i, line] of lines.entries()) {
    if (!line.includes(`@${database} `)) continue;
    const m = /duration: ([\d.]+) ms {2}(statement|parse|bind|execute)[^:]*: (.*)$/.exec(line);
    if (!m) continue;
    const d = Number(m[1]);
    ms += d;
    // A statement of several lines starts on the next one.
    const text = m[3]!.trim() || (lines[i + 1] ?? '').trim();
    const shape = text.replace(/\s+/g, ' ').slice(0, 70);
    byStatement.set(shape, (byStatement.get(shape) ?? 0) + d);
    if (m[2] === 'statement' || m[2] === 'execute') statements += 1;
    const isCount =
      /count\(\*\) as "n" from "comments" where/.test(m[3]!) && /group by "comments"\."status"/.test(m[3]!);
    if (isCount) {
      countMs += d;
      if (m[2] === 'statement' || m[2] === 'execute') counts += 1;
    }
  }
  console.log(
    JSON.stringify({
      database,
      comments: Object.values(ARTICLES).reduce((a, b) => a + b, 0),
      watched: process.env.LIVE_WATCH === '1',
      posts: POSTS,
      failed,
      postsPerSecond: Math.round((POSTS / elapsed) * 1000),
      statementsPerPost: +(statements / POSTS).toFixed(2),
      pgMsPerPost: +(ms / POSTS).toFixed(3),
      countQueries: counts,
      countMsTotal: +countMs.toFixed(1),
      countMsPerPost: +(countMs / POSTS).toFixed(3),
      topMsPerPost: [...byStatement]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([text, t]) => `${(t / POSTS).toFixed(2)} ms: ${text}`),
    }),
  );
  await container.close();
} finally {
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
  // The run's Redis keys (its prefix is the database's name): queue jobs, the live feed, caches.
  const redis = new Redis(REDIS_URL);
  for await (const keys of redis.scanStream({ match: `${database}:*`, count: 500 }) as AsyncIterable<string[]>)
    if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
