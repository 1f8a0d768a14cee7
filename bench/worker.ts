// npm run bench:worker: what the worker costs per comment, this checkout against another build of the
// service (BENCH_BASE=<a checkout with its dist/ built, e.g. the commit before a change>), in one run
// with alternating rounds. PostgreSQL + a redis-server of the benchmark's own; one API process (of the
// same build as the worker, which reads the jobs it queues) takes a fixed number of POSTs (BENCH_POSTS, 2000, at BENCH_CONNECTIONS, 10) while one
// worker process (either build's, compiled, under plain node) drains them. Per POST, from the POSTs'
// start until the queues are empty: the worker's CPU (/proc/<pid>/stat, less its idle rate), its
// PostgreSQL backends' CPU, the jobs each queue was given (BullMQ's counts in Redis), the Redis commands
// run (INFO commandstats: API and worker together), and the index and sequential scans of the events
// table (pg_stat_user_tables: how often the event is read). BENCH_ROUNDS (3). BENCH_CPU_PROF=<dir>
// profiles this checkout's worker (node --cpu-prof).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort, ownRedis } from '../tests/support/own-redis.ts';
import { CpuMeter, cpuMs } from './support/cpu.ts';
import { commentRequests, run } from './support/load.ts';
import { loadAverage, type Proc, runNode, startNode } from './support/processes.ts';
import { median } from './support/report.ts';
import { databaseUrl, seed } from './support/seed.ts';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const POSTS = Number(process.env.BENCH_POSTS ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BASE = process.env.BENCH_BASE;
const PROF = process.env.BENCH_CPU_PROF;
const QUEUES = ['events', 'mail', 'webhooks'] as const;
const root = path.resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

console.log(
  `bench:worker — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs, load average ${loadAverage()}`,
);
runNode(['scripts/build.mjs', '--if-stale'], { cwd: root, env: {} });
const variants = [...(BASE ? [{ name: 'base', dir: path.resolve(BASE) }] : []), { name: 'ours', dir: root }];

const database = `bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_URL, application_name: 'bench-admin' });
await admin.connect();
await admin.query(`create database ${database}`);
const logDir = mkdtempSync(path.join(tmpdir(), 'bench-worker-'));
const redis = await ownRedis();
const procs: Proc[] = [];
try {
  await redis.start();
  const client = new Redis(redis.url);
  const prefix = 'bench';
  const common = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    SECRET_KEY: 'bench-secret-key-that-is-at-least-32-characters',
    TRUST_PROXY: 'true',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  };
  const dbEnv = (app: string) => ({ ...common, DATABASE_URL: databaseUrl(PG_URL, database, app) });
  runNode(['dist/src/bin/migrate.js'], { cwd: root, env: dbEnv('bench-migrate') });
  await seed(databaseUrl(PG_URL, database));
  const db = new pg.Client({ connectionString: databaseUrl(PG_URL, database, 'bench-stats') });
  await db.connect();

  const redisCalls = async () => {
    const info = await client.info('commandstats');
    return [...info.matchAll(/calls=(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
  };
  const jobs = async () => {
    const out: Record<string, number> = {};
    for (const q of QUEUES) {
      const [completed, failed] = await Promise.all([
        client.zcard(`${prefix}:${q}:completed`),
        client.zcard(`${prefix}:${q}:failed`),
      ]);
      out[q] = completed + failed;
    }
    return out;
  };
  const pending = async () => {
    let n = 0;
    for (const q of QUEUES)
      n +=
        (await client.llen(`${prefix}:${q}:wait`)) +
        (await client.llen(`${prefix}:${q}:active`)) +
        (await client.zcard(`${prefix}:${q}:delayed`)) +
        (await client.zcard(`${prefix}:${q}:prioritized`));
    return n;
  };
  const eventScans = async () => {
    // Statistics reach the view within a second of the statements (stats_fetch_consistency aside).
    await db.query('select pg_stat_clear_snapshot()');
    const { rows } = await db.query<{ n: string }>(
      "select coalesce(idx_scan, 0) + coalesce(seq_scan, 0) as n from pg_stat_user_tables where relname = 'events'",
    );
    return Number(rows[0]?.n ?? 0);
  };
  const undispatched = async () =>
    Number((await db.query('select count(*) from events where dispatched_at is null')).rows[0].count);

  const results: Record<string, { cpu: number[]; pgCpu: number[]; redis: number[]; scans: number[]; jobs: string[] }> =
    Object.fromEntries(variants.map((v) => [v.name, { cpu: [], pgCpu: [], redis: [], scans: [], jobs: [] }]));
  let article = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const v of round % 2 ? variants : [...variants].reverse()) {
      const app = `bench-worker-${v.name}`;
      // Each build's own API too: the jobs it queues are the ones its worker reads (the two may differ).
      const port = await freePort();
      const api = await startNode(`api-${v.name}-${round}`, ['dist/src/bin/api.js'], {
        cwd: v.dir,
        logDir,
        env: { ...dbEnv(`bench-api-${v.name}`), PORT: String(port) },
        ready: /listening on/,
      });
      procs.push(api);
      const profArgs = PROF && v.name === 'ours' ? ['--cpu-prof', `--cpu-prof-dir=${PROF}`] : [];
      const worker = await startNode(`worker-${v.name}-${round}`, [...profArgs, 'dist/src/bin/worker.js'], {
        cwd: v.dir,
        logDir,
        env: dbEnv(app),
        ready: /workers started/,
      });
      procs.push(worker);
      const meter = new CpuMeter(admin, database);
      meter.process('worker', worker.pid);
      meter.backend('pg-worker', app);
      await sleep(2_000);
      const idleFrom = await meter.snapshot();
      await sleep(2_000);
      const idlePerMs = (cpuMs(idleFrom, await meter.snapshot()).worker ?? 0) / 2_000;
      // A fresh article each window: the same thread length for every round.
      const articleId = `w${++article}`;
      await sleep(1_100);
      const before = {
        cpu: await meter.snapshot(),
        redis: await redisCalls(),
        jobs: await jobs(),
        scans: await eventScans(),
      };
      const started = performance.now();
      const load = await run({
        ...commentRequests(`http://127.0.0.1:${port}`, () => articleId),
        connections: CONNECTIONS,
        amount: POSTS,
      });
      while ((await pending()) > 0 || (await undispatched()) > 0) await sleep(100);
      const ms = performance.now() - started;
      const cpu = cpuMs(before.cpu, await meter.snapshot());
      await sleep(1_100);
      const after = { redis: await redisCalls(), jobs: await jobs(), scans: await eventScans() };
      const n = load.requests;
      const r = results[v.name]!;
      r.cpu.push(((cpu.worker ?? 0) - idlePerMs * ms) / n);
      r.pgCpu.push((cpu['pg-worker'] ?? 0) / n);
      r.redis.push((after.redis - before.redis) / n);
      r.scans.push((after.scans - before.scans) / n);
      r.jobs.push(QUEUES.map((q) => `${q} ${((after.jobs[q]! - before.jobs[q]!) / n).toFixed(2)}`).join(', '));
      console.log(
        `round ${round} ${v.name}: ${n} POSTs (${load.bad} bad) drained in ${(ms / 1000).toFixed(1)} s; worker ${r.cpu.at(-1)!.toFixed(2)} ms/POST, its PostgreSQL ${r.pgCpu.at(-1)!.toFixed(2)}; Redis commands ${r.redis.at(-1)!.toFixed(1)}/POST; events scans ${r.scans.at(-1)!.toFixed(2)}/POST; jobs/POST ${r.jobs.at(-1)}`,
      );
      await worker.stop();
      await api.stop();
      procs.splice(procs.indexOf(worker), 1);
      procs.splice(procs.indexOf(api), 1);
    }
  }
  console.log('\nmedians per POST:');
  for (const v of variants) {
    const r = results[v.name]!;
    console.log(
      `  ${v.name.padEnd(5)} worker CPU ${median(r.cpu).toFixed(2)} ms, worker's PostgreSQL ${median(r.pgCpu).toFixed(2)} ms, Redis commands ${median(r.redis).toFixed(1)}, events scans ${median(r.scans).toFixed(2)}, jobs: ${r.jobs.at(-1)}`,
    );
  }
  if (BASE) {
    const ratio = median(results.ours!.cpu) / median(results.base!.cpu);
    console.log(`  worker CPU per POST, ours / base: ${ratio.toFixed(2)}`);
  }
  client.disconnect();
  await db.end();
} finally {
  for (const p of procs) await p.stop().catch(() => {});
  await redis.kill();
  await admin.query(`drop database if exists ${database} with (force)`).catch(() => {});
  await admin.end();
  rmSync(logDir, { recursive: true, force: true });
}
