// npm run bench:reports: what a reader's report costs next to posting a comment, on one API server
// (PostgreSQL + Redis, loopback), in alternating rounds so both see the same machine load. Prints
// req/s and p50/p99 per round and the medians of the rounds.
//
// Every report is a new reporter (its own token and address, so the rate limits and the one-report-
// per-reporter rule let it through and it is stored) on one of 2,000 published comments: the comments
// pass the queue threshold along the way, so some reports also write a `comment.reported` event.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../tests/support/own-redis.ts';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DURATION = Number(process.env.BENCH_SECONDS ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COMMENTS = 2_000;
const root = path.resolve(import.meta.dirname, '..');

function start(script: string, env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
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

interface Row {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

async function measure(opts: autocannon.Options): Promise<Row> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors };
}

let n = 0;
/** A different address per request (the API trusts X-Forwarded-For here). */
const address = () => {
  n++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

const commentRequest = (base: string): autocannon.Options => ({
  url: `${base}/api/v1/sites/bench/comments`,
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => {
        const ip = address();
        return {
          ...req,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
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

const reportRequest = (base: string, ids: string[]): autocannon.Options => ({
  url: base,
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => {
        const ip = address();
        const id = ids[n % ids.length];
        return {
          ...req,
          path: `/api/v1/sites/bench/comments/${id}/reports`,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: JSON.stringify({ reason: n % 3 ? 'spam' : 'abuse', reporterToken: `bench-reporter-${n}-${ip}` }),
        };
      },
    },
  ],
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const schema = `bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create schema ${schema}`);
const dbUrl = new URL(PG_URL);
dbUrl.searchParams.set('options', `-c search_path=${schema}`);
let api: ChildProcess | null = null;
try {
  const env = {
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL,
    REDIS_PREFIX: schema,
    SECRET_KEY: 'bench-secret-key-that-is-at-least-32-characters',
    TRUST_PROXY: 'true',
    // info: the API says "listening on" at this level (its access log is read and dropped).
    LOG_LEVEL: 'info',
  };
  const migrate = spawn(process.execPath, ['--import', 'tsx', 'src/bin/migrate.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  await new Promise((r) => migrate.on('exit', r));
  await admin.query(`set search_path to ${schema}`);
  await admin.query(
    `insert into sites (id, name, settings) values ('bench', 'Bench', '{"moderation":"none","origins":[]}')`,
  );
  const { rows: articles } = await admin.query(
    `insert into articles (site_id, external_id, title, published_count) values ('bench', 'reported', 'Reported', $1) returning id`,
    [COMMENTS],
  );
  const { rows } = await admin.query<{ id: string }>(
    `insert into comments (id, site_id, article_id, root_id, depth, name, email, email_hash, body, status, created_at, published_at)
     select g.id, 'bench', $1, g.id, 0, 'Reader ' || g.i, 'r' || g.i || '@example.com', md5(g.i::text), 'Comment number ' || g.i, 'approved', now(), now()
     from (select i, gen_random_uuid() as id from generate_series(1, ${COMMENTS}) i) g returning id`,
    [articles[0].id],
  );
  const ids = rows.map((r) => r.id);
  await admin.query('analyze');

  const port = await freePort();
  api = await start('src/bin/api.ts', { ...env, PORT: String(port) }, /listening on/);
  const base = `http://127.0.0.1:${port}`;
  // Warm up both routes.
  await autocannon({ ...commentRequest(base), connections: 2, amount: 200 });
  await autocannon({ ...reportRequest(base, ids), connections: 2, amount: 200 });

  const comments: Row[] = [];
  const reports: Row[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    comments.push(await measure(commentRequest(base)));
    reports.push(await measure(reportRequest(base, ids)));
  }
  const { rows: stored } = await admin.query<{ n: number }>('select count(*)::int as n from reports');

  console.log(`\n${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION} s, PostgreSQL + Redis\n`);
  console.log('| round | POST comment req/s | p50 ms | p99 ms | POST report req/s | p50 ms | p99 ms |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  comments.forEach((c, i) => {
    const r = reports[i]!;
    console.log(`| ${i + 1} | ${c.rps.toFixed(0)} | ${c.p50} | ${c.p99} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} |`);
  });
  const m = (rs: Row[], k: keyof Row) => median(rs.map((r) => r[k]));
  console.log(
    `| median | ${m(comments, 'rps').toFixed(0)} | ${m(comments, 'p50')} | ${m(comments, 'p99')} | ${m(reports, 'rps').toFixed(0)} | ${m(reports, 'p50')} | ${m(reports, 'p99')} |`,
  );
  console.log(
    `\nnon-2xx or errors: comments ${comments.reduce((s, r) => s + r.bad, 0)}, reports ${reports.reduce((s, r) => s + r.bad, 0)}; reports stored: ${stored[0]!.n}`,
  );
  console.log(`report / comment throughput: ${(m(reports, 'rps') / m(comments, 'rps')).toFixed(2)}`);
} finally {
  api?.kill('SIGKILL');
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
