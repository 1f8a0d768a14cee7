// npx tsx bench/thread-page.ts: the cached thread page against a bare constant Hono GET, in alternating rounds
// of one run, then again right after a POST storm on the same article (the API and worker in one
// process, as `npm start` runs them, so the worker drains the backlog on the API's event loop).
// A quicker, narrower companion of bench/http.ts; it prints ratios (the machine is shared and noisy).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../tests/support/own-redis.ts';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DURATION = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STORM_SECONDS = Number(process.env.BENCH_STORM_SECONDS ?? 8);
const CONNECTIONS = 10;
/** `server` (API and worker in one process, as `npm start`) or `api`. */
const ENTRY = process.env.BENCH_ENTRY ?? 'server';
const root = path.resolve(import.meta.dirname, '..');
/**
 * Another checkout's root (e.g. the commit before a change, extracted with `git archive`): its API runs
 * next to this one and the rounds alternate between the two, so both are measured under the same load.
 */
const BEFORE = process.env.BENCH_BEFORE ? path.resolve(process.env.BENCH_BEFORE) : null;

/**
 * `BENCH_DIST=1`: the API (and BENCH_BEFORE's) runs from dist/ (`npm run build` first in each checkout)
 * under plain node, as `npm start` and bench/http.ts run it; otherwise from the sources under tsx.
 */
const entryOf = (checkout: string) =>
  process.env.BENCH_DIST ? path.join(checkout, `dist/src/bin/${ENTRY}.js`) : path.join(checkout, `src/bin/${ENTRY}.ts`);

/** Extra node options for the API process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (it is stopped with SIGTERM). */
const API_NODE_ARGS = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);

function start(
  script: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Compiled JavaScript (dist/) runs under plain node, as in production; TypeScript under tsx.
    const loader = script.endsWith('.js') ? [] : ['--import', 'tsx'];
    const child = spawn(process.execPath, [...nodeArgs, ...loader, script, ...args], {
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
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out.slice(-2000)}`)));
  });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function rps(url: string, pid?: number): Promise<{ rps: number; cpuUs: number; non2xx: number }> {
  const before = pid ? cpuSeconds(pid) : 0;
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  const cpu = pid ? cpuSeconds(pid) - before : 0;
  return { rps: r.requests.average, cpuUs: r.requests.total ? (cpu / r.requests.total) * 1e6 : 0, non2xx: r.non2xx };
}

let n = 0;
const storm = (url: string): autocannon.Options => ({
  url,
  connections: 50,
  duration: STORM_SECONDS,
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
            articleId: 'small',
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
    await client.query(
      `insert into comments (id, site_id, article_id, root_id, depth, name, email, email_hash, body, status, created_at, published_at)
       select g.id, 'bench', $1, g.id, 0, 'Reader ' || g.i, 'r' || g.i || '@example.com', md5(g.i::text), 'Comment body number ' || g.i || ' with a few words of text.', 'approved', g.t, g.t
       from (select i, gen_random_uuid() as id, now() - ((${count} - i) * interval '1 second') as t from generate_series(1, ${count}) i) g`,
      [rows[0].id],
    );
  }
  await client.query('analyze');
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
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
  const migrate = spawn(process.execPath, ['--import', 'tsx', 'src/bin/migrate.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  await new Promise((r) => migrate.on('exit', r));
  await seed(admin, schema);

  const baselinePort = await freePort();
  const apiPort = await freePort();
  const baseline = await start(
    'bench/baseline-server.ts',
    [dbUrl.toString(), REDIS_URL, schema, String(baselinePort)],
    {},
    /ready/,
  );
  procs.push(baseline);
  const api = await start(entryOf(root), [], { ...env, PORT: String(apiPort) }, /listening on/, API_NODE_ARGS);
  procs.push(api);
  const beforePort = await freePort();
  const before = BEFORE ? await start(entryOf(BEFORE), [], { ...env, PORT: String(beforePort) }, /listening on/) : null;
  if (before) procs.push(before);
  const page = (article: string) => `http://127.0.0.1:${apiPort}/api/v1/sites/bench/articles/${article}/comments`;
  const beforePage = (article: string) =>
    `http://127.0.0.1:${beforePort}/api/v1/sites/bench/articles/${article}/comments`;
  const constant = `http://127.0.0.1:${baselinePort}/constant`;

  for (const url of [
    page('small'),
    page('large'),
    constant,
    ...(before ? [beforePage('small'), beforePage('large')] : []),
  ])
    await autocannon({ url, connections: 2, amount: 500 });

  const base: number[] = [];
  const small: number[] = [];
  const large: number[] = [];
  const cpu: { base: number[]; small: number[]; before: number[] } = { base: [], small: [], before: [] };
  const beforeRatios: { small: number[]; large: number[] } = { small: [], large: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const b = await rps(constant, baseline.pid);
    const s = await rps(page('small'), api.pid);
    const l = await rps(page('large'), api.pid);
    base.push(b.rps);
    small.push(s.rps);
    large.push(l.rps);
    cpu.base.push(b.cpuUs);
    cpu.small.push(s.cpuUs);
    if (before) {
      const bs = await rps(beforePage('small'), before.pid);
      const bl = await rps(beforePage('large'), before.pid);
      beforeRatios.small.push(bs.rps / b.rps);
      beforeRatios.large.push(bl.rps / b.rps);
      cpu.before.push(bs.cpuUs);
      console.log(
        `round ${i + 1} before: 1k page ${bs.rps.toFixed(0)} (${(bs.rps / b.rps).toFixed(2)}), 100k page ${bl.rps.toFixed(0)} (${(bl.rps / b.rps).toFixed(2)})`,
      );
    }
    console.log(
      `round ${i + 1}: constant ${b.rps.toFixed(0)}, 1k page ${s.rps.toFixed(0)} (${(s.rps / b.rps).toFixed(2)}), 100k page ${l.rps.toFixed(0)} (${(l.rps / b.rps).toFixed(2)})`,
    );
  }

  console.log(
    `\n${CONNECTIONS} connections, ${DURATION} s per measurement, entry ${ENTRY}, load ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
  );
  console.log(`1k page / constant   = ${(mean(small) / mean(base)).toFixed(2)}   target >= 0.5`);
  console.log(`100k page / constant = ${(mean(large) / mean(base)).toFixed(2)}`);
  console.log(`1k / 100k cost       = ${(mean(small) / mean(large)).toFixed(2)}   target <= 1.2`);
  if (before)
    console.log(
      `before: 1k page / constant = ${mean(beforeRatios.small).toFixed(2)}, 100k = ${mean(beforeRatios.large).toFixed(2)}, CPU per page ${mean(cpu.before).toFixed(0)} µs`,
    );
  console.log(`CPU per request: page ${mean(cpu.small).toFixed(0)} µs, constant ${mean(cpu.base).toFixed(0)} µs`);
  if (STORM_SECONDS > 0) {
    const posted = await autocannon(storm(`http://127.0.0.1:${apiPort}/api/v1/sites/bench/comments`));
    if (process.env.BENCH_TRACE) {
      // One reader at a time right after the storm: how long each answer takes while the backlog drains.
      const times: string[] = [];
      const traceStart = performance.now();
      while (performance.now() - traceStart < 3000) {
        const t = performance.now();
        const res = await fetch(page('small'));
        await res.arrayBuffer();
        times.push(`${(performance.now() - traceStart).toFixed(0)}:${(performance.now() - t).toFixed(1)}`);
      }
      console.log(
        `trace (at ms: took ms), ${times.length} requests: ${times.slice(0, 40).join(' ')} … ${times.slice(-5).join(' ')}`,
      );
    }
    const afterStorm = await rps(page('small'), api.pid);
    const baseAfter = await rps(constant, baseline.pid);
    const again = await rps(page('small'), api.pid);

    console.log(
      `storm: ${posted.requests.total} POSTs in ${STORM_SECONDS} s (${posted.non2xx} non-2xx); right after: page ${afterStorm.rps.toFixed(0)} req/s (${afterStorm.non2xx} non-2xx), constant ${baseAfter.rps.toFixed(0)}, page again ${again.rps.toFixed(0)}`,
    );
    console.log(
      `after storm / constant = ${(afterStorm.rps / baseAfter.rps).toFixed(2)} (right after), ${(again.rps / baseAfter.rps).toFixed(2)} (next)   target >= 0.5`,
    );
  }
} finally {
  const [baselineProc, apiProc, beforeProc] = procs;
  baselineProc?.kill('SIGKILL');
  beforeProc?.kill('SIGKILL');
  if (apiProc) {
    // A clean stop, so a --cpu-prof profile is written.
    const exited = new Promise((r) => apiProc.once('exit', r));
    apiProc.kill('SIGTERM');
    await exited;
  }
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
