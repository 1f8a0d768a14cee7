// npm run bench:http: our POST comment and thread page against bare Hono baselines, in one run, on
// loopback, with alternating rounds (baseline, ours, … each round) and medians. Everything runs compiled
// under plain node as in production: dist/ (npm run build) with the API and the worker in separate
// processes on PostgreSQL + a redis-server of the benchmark's own, the embedded mode as one process on a
// PGlite data directory, and the baseline server compiled by esbuild. CPU per request from /proc: the
// server processes, the PostgreSQL backends of the benchmark's database, our redis-server.
//
// BENCH_SECONDS (8) per window, BENCH_CONNECTIONS (10), BENCH_ROUNDS (3), BENCH_STORM_SECONDS (12) and
// BENCH_STORM_CONNECTIONS (50) for the POST storm, BENCH_SETTLE_SECONDS (20): the longest wait for the
// workers to drain between rounds. BENCH_JSON=<file> also writes the table as JSON.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort, ownRedis } from '../tests/support/own-redis.ts';
import { CpuMeter, cpuMs, measureIdle, settle } from './support/cpu.ts';
import { commentRequests, run } from './support/load.ts';
import { loadAverage, type Proc, runNode, startNode } from './support/processes.ts';
import { markdown, median, rows, type Sample, type Series } from './support/report.ts';
import { ARTICLES, databaseUrl, seed } from './support/seed.ts';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STORM_SECONDS = Number(process.env.BENCH_STORM_SECONDS ?? 12);
const STORM_CONNECTIONS = Number(process.env.BENCH_STORM_CONNECTIONS ?? 50);
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 20);
/** Meter groups that go on working after a POST window (the queued events). */
const DRAINING = new Set(['worker', 'pg-worker', 'redis', 'embedded']);
const drainNote = (d: { seconds: number; quiet: boolean }) =>
  d.quiet ? `drained in ${d.seconds.toFixed(1)} s` : `still busy after ${SETTLE_SECONDS} s (the cap)`;
const root = path.resolve(import.meta.dirname, '..');
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const loadAtStart = loadAverage();

console.log(
  `bench:http — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs, load average at start ${loadAtStart}`,
);
console.log(
  `${ROUNDS} alternating rounds of ${DURATION} s at ${CONNECTIONS} connections; storm ${STORM_SECONDS} s at ${STORM_CONNECTIONS}\n`,
);

runNode(['scripts/build.mjs', '--if-stale'], { cwd: root, env: {} });
console.log(`dist/ built or up to date at ${elapsed().toFixed(0)} s`);
// The baseline under plain node too (tsx's loader would be a handicap ours does not carry).
const baselineJs = path.join(root, 'dist', 'bench', 'baseline-server.mjs');
await build({
  entryPoints: [path.join(root, 'bench', 'baseline-server.ts')],
  outfile: baselineJs,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});

const database = `bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_URL, application_name: 'bench-admin' });
await admin.connect();
await admin.query(`create database ${database}`);
const logDir = mkdtempSync(path.join(tmpdir(), 'bench-http-'));
const dataDir = path.join(logDir, 'embedded-data');
const redis = await ownRedis();
const procs: Proc[] = [];
let ok = false;
try {
  await redis.start();
  const redisClient = new Redis(redis.url);
  const redisPid = Number(/process_id:(\d+)/.exec(await redisClient.info('server'))![1]);
  redisClient.disconnect();

  const common = {
    REDIS_URL: redis.url,
    SECRET_KEY: 'bench-secret-key-that-is-at-least-32-characters',
    TRUST_PROXY: 'true',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  };
  const dbEnv = (app: string) => ({ ...common, DATABASE_URL: databaseUrl(PG_URL, database, app) });
  runNode(['dist/src/bin/migrate.js'], { cwd: root, env: dbEnv('bench-migrate') });
  const seeding = performance.now();
  await seed(databaseUrl(PG_URL, database));
  console.log(
    `seeded ${Object.values(ARTICLES)
      .reduce((a, b) => a + b, 0)
      .toLocaleString('en-US')} comments in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
  );

  // Embedded: a data directory with the same site as on PostgreSQL, then the server (API + workers, one process).
  mkdirSync(dataDir);
  const embeddedEnv = {
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    REDIS_URL: '',
    TRUST_PROXY: 'true',
    NODE_ENV: 'production',
  };
  runNode(['dist/src/bin/cli.js', 'sites:create', '--id', 'bench', '--name', 'Bench', '--mode', 'none'], {
    cwd: root,
    env: embeddedEnv,
  });

  const ports = { baseline: await freePort(), api: await freePort(), embedded: await freePort() };
  const opts = { cwd: root, logDir };
  const [baseline, api, worker, embedded] = await Promise.all([
    startNode(
      'baseline',
      [baselineJs, databaseUrl(PG_URL, database, 'bench-baseline'), redis.url, 'baseline', String(ports.baseline)],
      { ...opts, env: { NODE_ENV: 'production' }, ready: /ready/ },
    ),
    startNode('api', ['dist/src/bin/api.js'], {
      ...opts,
      env: { ...dbEnv('bench-api'), PORT: String(ports.api) },
      ready: /listening on/,
    }),
    startNode('worker', ['dist/src/bin/worker.js'], { ...opts, env: dbEnv('bench-worker'), ready: /workers started/ }),
    startNode('embedded', ['dist/src/bin/server.js'], {
      ...opts,
      env: { ...embeddedEnv, PORT: String(ports.embedded) },
      ready: /listening on/,
    }),
  ]);
  procs.push(baseline, api, worker, embedded);
  const meter = new CpuMeter(admin, database);
  meter.process('baseline', baseline.pid);
  meter.process('api', api.pid);
  meter.process('worker', worker.pid);
  meter.process('embedded', embedded.pid);
  meter.process('redis', redisPid);
  meter.backend('pg-baseline', 'bench-baseline');
  meter.backend('pg-api', 'bench-api');
  meter.backend('pg-worker', 'bench-worker');

  const base = `http://127.0.0.1:${ports.baseline}`;
  const ours = `http://127.0.0.1:${ports.api}`;
  const emb = `http://127.0.0.1:${ports.embedded}`;
  const page = (origin: string, article: string) => `${origin}/api/v1/sites/bench/articles/${article}/comments`;
  const article = (n: number) => `post-${n % 50}`;
  const postBaseline = commentRequests(base, article, '/insert');
  const postOurs = commentRequests(ours, article);
  const postEmbedded = commentRequests(emb, article);

  const series = (key: string, name: string, cpu: Series['cpu'], baselineKey?: string): Series => ({
    key,
    name,
    cpu,
    samples: [],
    ...(baselineKey ? { baseline: baselineKey } : {}),
  });
  const S = {
    postBase: series('post-baseline', 'POST baseline: bare Hono INSERT + BullMQ add', {
      server: ['baseline'],
      postgres: ['pg-baseline'],
      redis: ['redis'],
    }),
    postOurs: series(
      'post-postgres',
      'POST comment, PostgreSQL + Redis (API + worker processes)',
      { server: ['api'], worker: ['worker'], postgres: ['pg-api', 'pg-worker'], redis: ['redis'] },
      'post-baseline',
    ),
    postEmbedded: series(
      'post-embedded',
      'POST comment, embedded (PGlite data dir, one process)',
      { server: ['embedded'] },
      'post-baseline',
    ),
    getBase: series('get-baseline', 'GET baseline: bare Hono constant JSON', { server: ['baseline'] }),
    page1k: series(
      'page-1k',
      'thread page, 1,000 comments (cached)',
      { server: ['api'], postgres: ['pg-api'], redis: ['redis'] },
      'get-baseline',
    ),
    page100k: series(
      'page-100k',
      'thread page, 100,000 comments (cached)',
      { server: ['api'], postgres: ['pg-api'], redis: ['redis'] },
      'get-baseline',
    ),
    stormPost: series('storm-post', `POST storm, ${STORM_CONNECTIONS} connections, one article`, {}),
    stormBase: series('storm-get-baseline', 'after the storm: GET baseline, at the same time', {
      server: ['baseline'],
    }),
    stormPage: series(
      'storm-page',
      'after the storm: thread page of the stormed article',
      { server: ['api'], postgres: ['pg-api'], redis: ['redis'] },
      'storm-get-baseline',
    ),
  };

  /**
   * One window: the load, then (for POST) the wait until the workers drained it. The processes doing the
   * queued work (worker, its backends, Redis, the embedded server) are counted over both; the API side
   * only over the window, so its idle ticking during a long drain does not count as cost per request.
   */
  const measure = async (s: Series, load: Parameters<typeof run>[0], drain = false): Promise<Sample> => {
    const before = await meter.snapshot();
    const r = await run({ connections: CONNECTIONS, duration: DURATION, ...load });
    const windowEnd = await meter.snapshot();
    const drainStart = performance.now();
    const drained = drain ? await settle(meter, SETTLE_SECONDS) : { seconds: 0, quiet: true };
    const ms = cpuMs(before, windowEnd);
    if (drain) {
      const drainSeconds = (performance.now() - drainStart) / 1000;
      for (const [g, v] of Object.entries(cpuMs(windowEnd, await meter.snapshot()))) {
        if (DRAINING.has(g)) ms[g] = (ms[g] ?? 0) + Math.max(0, v - (meter.idle[g] ?? 0) * drainSeconds);
      }
    }
    const cpu = perRequest(ms, r.requests);
    const sample = { ...r, cpu };
    s.samples.push(sample);
    console.log(
      `  ${s.name}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.bad ? `, ${r.bad} non-2xx` : ''}${drain ? `, ${drainNote(drained)}` : ''}`,
    );
    return sample;
  };

  console.log(`servers up at ${elapsed().toFixed(0)} s; warming up`);
  for (const load of [postBaseline, postOurs, postEmbedded]) await run({ ...load, connections: 2, amount: 100 });
  for (const url of [`${base}/constant`, page(ours, 'small'), page(ours, 'large'), page(ours, 'storm')]) {
    await run({ url, connections: 2, amount: 300 });
  }
  await settle(meter, SETTLE_SECONDS);
  // What our processes burn doing nothing (timers, polling): taken out of the drains below.
  const idle = await measureIdle(meter, 3);
  console.log(
    `idle CPU ms/s: ${Object.entries(idle)
      .map(([g, v]) => `${g} ${v.toFixed(0)}`)
      .join(', ')}`,
  );

  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`POST round ${round}/${ROUNDS} (at ${elapsed().toFixed(0)} s, load average ${loadAverage()})`);
    await measure(S.postBase, postBaseline);
    await measure(S.postOurs, postOurs, true);
    await measure(S.postEmbedded, postEmbedded, true);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`thread page round ${round}/${ROUNDS} (at ${elapsed().toFixed(0)} s, load average ${loadAverage()})`);
    await measure(S.getBase, { url: `${base}/constant` });
    await measure(S.page1k, { url: page(ours, 'small') });
    await measure(S.page100k, { url: page(ours, 'large') });
  }
  const drains: { seconds: number; quiet: boolean }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`storm round ${round}/${ROUNDS} (at ${elapsed().toFixed(0)} s, load average ${loadAverage()})`);
    const storm = await run({
      ...commentRequests(ours, () => 'storm'),
      connections: STORM_CONNECTIONS,
      duration: STORM_SECONDS,
    });
    S.stormPost.samples.push({ ...storm, cpu: {} });
    // Right away, while the worker drains the backlog: the page and the bare GET at the same time.
    const before = await meter.snapshot();
    const [p, b] = await Promise.all([
      run({ url: page(ours, 'storm'), connections: CONNECTIONS, duration: DURATION }),
      run({ url: `${base}/constant`, connections: CONNECTIONS, duration: DURATION }),
    ]);
    const cpu = cpuMs(before, await meter.snapshot());
    S.stormPage.samples.push({ ...p, cpu: perRequest(cpu, p.requests) });
    S.stormBase.samples.push({ ...b, cpu: perRequest(cpu, b.requests) });
    drains.push(await settle(meter, SETTLE_SECONDS));
    console.log(
      `  storm ${Math.round(storm.rps)} POST/s${storm.bad ? ` (${storm.bad} non-2xx)` : ''}; then page ${Math.round(p.rps)} vs bare GET ${Math.round(b.rps)} req/s (${(p.rps / b.rps).toFixed(2)}); workers ${drainNote(drains.at(-1)!)}`,
    );
  }

  const table = rows(Object.values(S));
  const row = (key: string) => table.find((r) => r.key === key)!;
  const perRound = (a: Series, b: Series) => median(a.samples.map((x, i) => x.rps / b.samples[i]!.rps));
  const derived = {
    postRatio: row('post-postgres').ratio!,
    postP99Ratio: row('post-postgres').p99Ratio!,
    page1kRatio: row('page-1k').ratio!,
    page100kRatio: row('page-100k').ratio!,
    /** Time per page of the 100k article over the 1k one's (req/s of 1k over 100k). */
    page100kTo1kCost: perRound(S.page1k, S.page100k),
    stormPageRatio: row('storm-page').ratio!,
    embeddedToPostgresPost: perRound(S.postEmbedded, S.postOurs),
  };
  const loadAtEnd = loadAverage();
  const total = elapsed();

  console.log(
    `\n${CONNECTIONS} connections, ${DURATION} s windows, medians of ${ROUNDS} alternating rounds; loopback; load average ${loadAtStart} at start, ${loadAtEnd} at end (${cpus().length} CPUs)\n`,
  );
  console.log(markdown(table));
  console.log(`
CPU ms/req: server = the process answering (API, baseline, or the embedded server with its workers); worker =
the worker process; PostgreSQL = the backends of this benchmark's database (shared processes such as the
walwriter not counted); Redis = the benchmark's own redis-server. POST rows: the worker, its backends,
Redis and the embedded server counted until the queued work drained (at most ${SETTLE_SECONDS} s; their
idle rate above taken out of that part), the rest over the window. "after the storm" rows: both measured
together, right after each storm, while the workers drain.

POST PostgreSQL / baseline       ${derived.postRatio.toFixed(2)}   goal >= 0.35 (0.7 with group commit)
POST p99 / baseline p99          ${derived.postP99Ratio.toFixed(2)}   goal <= 2
thread page / bare GET           ${derived.page1kRatio.toFixed(2)} (1k), ${derived.page100kRatio.toFixed(2)} (100k)   goal >= 0.5
thread page 100k / 1k (time)     ${derived.page100kTo1kCost.toFixed(2)}   goal <= 1.2
after the storm: page / bare GET ${derived.stormPageRatio.toFixed(2)}   goal >= 0.5 (workers busy ${drains.map((d) => `${d.seconds.toFixed(0)}${d.quiet ? '' : '+'}`).join(', ')} s after each page window)
embedded POST / PostgreSQL POST  ${derived.embeddedToPostgresPost.toFixed(2)}   (${Math.round(row('post-embedded').rps)} vs ${Math.round(row('post-postgres').rps)} req/s; every 201 fdatasynced)
total ${total.toFixed(0)} s`);

  if (process.env.BENCH_JSON) {
    const json = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      settings: {
        seconds: DURATION,
        connections: CONNECTIONS,
        rounds: ROUNDS,
        stormSeconds: STORM_SECONDS,
        stormConnections: STORM_CONNECTIONS,
      },
      totalSeconds: total,
      rows: table,
      derived,
      stormDrainSeconds: drains,
      idleCpuMsPerSecond: idle,
    };
    writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`wrote ${process.env.BENCH_JSON}`);
  }
  ok = true;
} finally {
  await Promise.all(procs.map((p) => p.stop()));
  await redis.kill();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
  if (ok) rmSync(logDir, { recursive: true, force: true });
  else console.error(`server logs kept in ${logDir}`);
}

function perRequest(ms: Record<string, number>, requests: number): Record<string, number> {
  // No response in the window (a server stalled): no per-request figure rather than a made-up one.
  if (requests === 0) return {};
  return Object.fromEntries(Object.entries(ms).map(([group, v]) => [group, v / requests]));
}
