// npm run bench:http: our POST and thread page against bare Hono baselines, in one run, on loopback,
// on PostgreSQL + Redis. Prints req/s, p50/p99 latency and the ratios the issue sets targets for.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../tests/support/own-redis.ts';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const root = path.resolve(import.meta.dirname, '..');

function start(script: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (ready.test(out)) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
  });
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(name: string, opts: autocannon.Options): Promise<Row> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
}

let n = 0;
/** Every request a different reader (address, email) and text, so no filter sees a repeat. */
const commentRequest = (url: string): autocannon.Options => ({
  url,
  requests: [
    {
      method: 'POST',
      setupRequest(req) {
        n++;
        return {
          ...req,
          headers: {
            'content-type': 'application/json',
            'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
          },
          body: JSON.stringify({
            articleId: `post-${n % 50}`,
            name: `Reader ${n}`,
            email: `reader${n}@example.com`,
            body: `A thoughtful remark about the article, number ${n}. Nothing to see here.`,
          }),
        };
      },
    },
  ],
});

async function seed(client: pg.Client, schema: string) {
  await client.query(`set search_path to ${schema}`);
  await client.query(
    `insert into sites (id, name, settings) values ('bench', 'Bench', '{"moderation":"none","origins":[]}')`,
  );
  for (const [article, count] of [
    ['small', 1_000],
    ['large', 100_000],
  ] as const) {
    const { rows } = await client.query(
      `insert into articles (site_id, external_id, title, published_count) values ('bench', $1, $1, $2) returning id`,
      [article, count],
    );
    // Top-level comments an hour apart in time order; a reply under every tenth.
    await client.query(
      `insert into comments (id, site_id, article_id, root_id, depth, name, email, email_hash, body, status, created_at, published_at)
       select g.id, 'bench', $1, g.id, 0, 'Reader ' || g.i, 'r' || g.i || '@example.com', md5(g.i::text), 'Comment body number ' || g.i || ' with a few words of text.', 'approved', g.t, g.t
       from (select i, gen_random_uuid() as id, now() - ((${count} - i) * interval '1 second') as t from generate_series(1, ${count}) i) g`,
      [rows[0].id],
    );
  }
  await client.query('analyze');
}

const schema = `bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create schema ${schema}`);
const dbUrl = new URL(PG_URL);
dbUrl.searchParams.set('options', `-c search_path=${schema}`);
const procs: ChildProcess[] = [];
try {
  const env = {
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL,
    REDIS_PREFIX: schema,
    SECRET_KEY: 'bench-secret-key-that-is-at-least-32-characters',
    TRUST_PROXY: 'true',
    LOG_LEVEL: 'info',
  };
  // Migrate, then seed the two articles.
  const migrate = spawn(process.execPath, ['--import', 'tsx', 'src/bin/migrate.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  await new Promise((r) => migrate.on('exit', r));
  const seeding = performance.now();
  await seed(admin, schema);
  console.log(`seeded 101,000 comments in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const baselinePort = await freePort();
  const apiPort = await freePort();
  procs.push(
    await start('bench/baseline-server.ts', [dbUrl.toString(), REDIS_URL, schema, String(baselinePort)], {}, /ready/),
  );
  const api = await start('src/bin/api.ts', [], { ...env, PORT: String(apiPort) }, /listening on/);
  procs.push(api);
  const ours = `http://127.0.0.1:${apiPort}`;
  const base = `http://127.0.0.1:${baselinePort}`;

  const rss: number[] = [rssMb(api.pid!)];
  const sampler = setInterval(() => rss.push(rssMb(api.pid!)), 1000);

  // Warm up both, and the thread cache.
  await autocannon({ url: `${ours}/api/v1/sites/bench/articles/small/comments`, connections: 2, amount: 200 });
  await autocannon({ url: `${ours}/api/v1/sites/bench/articles/large/comments`, connections: 2, amount: 200 });
  await autocannon({ url: `${base}/constant`, connections: 2, amount: 200 });

  const rows: Row[] = [];
  rows.push(await measure('(a) baseline POST: INSERT + queue add', commentRequest(`${base}/insert`)));
  rows.push(
    await measure('(b) our POST comment, full pipeline', commentRequest(`${ours}/api/v1/sites/bench/comments`)),
  );
  rows.push(await measure('(c) baseline GET constant', { url: `${base}/constant` }));
  rows.push(
    await measure('(d) our thread page, 1,000 comments', { url: `${ours}/api/v1/sites/bench/articles/small/comments` }),
  );
  rows.push(
    await measure('(d) our thread page, 100,000 comments', {
      url: `${ours}/api/v1/sites/bench/articles/large/comments`,
    }),
  );
  clearInterval(sampler);

  console.log(`\n${CONNECTIONS} connections, ${DURATION} s each, loopback, PostgreSQL + Redis\n`);
  console.log('| measurement | req/s | p50 ms | p99 ms | non-2xx/errors |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
  const [a, b, c, d1, d100] = rows as [Row, Row, Row, Row, Row];
  console.log('');
  console.log(`(b)/(a) = ${(b.rps / a.rps).toFixed(2)}   target >= 0.7`);
  console.log(`(d)/(c) = ${(d1.rps / c.rps).toFixed(2)} (1k), ${(d100.rps / c.rps).toFixed(2)} (100k)   target >= 0.4`);
  console.log(`100k/1k cost = ${(d1.rps / d100.rps).toFixed(2)}   target <= 1.2`);
  console.log(
    `API RSS: start ${rss[0]!.toFixed(0)} MB, end ${rss.at(-1)!.toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB`,
  );
} finally {
  for (const p of procs) p.kill('SIGKILL');
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
