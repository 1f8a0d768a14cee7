// npm run bench:startup: what a start costs, from spawn to the first 200 on /healthz: CPU time (user +
// system) and resident memory of the whole process tree at that moment, and the wall time. Two modes,
// each on a fresh store every time: embedded (an empty DATA_DIR: PGlite creates its cluster, then
// migrates) and PostgreSQL + Redis (an empty database: migrates). Rounds alternate between the ways of
// starting, medians are reported, with ratios to the compiled start measured in the same run.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../tests/support/own-redis.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MODES = ['embedded', 'postgres'] as const;
type Mode = (typeof MODES)[number];
const root = path.resolve(import.meta.dirname, '..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const VARIANTS = {
  /** What `npm start` ran before this build existed (`tsx src/bin/server.ts`; tsx starts a second node). */
  'tsx on the sources': [process.execPath, tsxCli, 'src/bin/server.ts'],
  /** The image's CMD. */
  'node on dist/': [process.execPath, 'dist/src/bin/server.js'],
  /** `npm start` now, without npm itself: the stale check over the sources, then the compiled entry. */
  'scripts/start.mjs': [process.execPath, 'scripts/start.mjs', 'server'],
  /** The same under npm, as a newcomer types it: npm's own process is part of the tree. */
  'npm start': ['npm', 'start'],
} as const;
type Variant = keyof typeof VARIANTS;
const BASELINE: Variant = 'node on dist/';

interface Sample {
  cpuSeconds: number;
  rssMb: number;
  wallSeconds: number;
}

/** Every process's parent, from /proc (the tree changes while it starts, so read it at the moment). */
function children(): Map<number, number[]> {
  const tree = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      tree.set(ppid, [...(tree.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited while we looked
    }
  }
  return tree;
}

function descendants(pid: number): number[] {
  const tree = children();
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(tree.get(all[i]!) ?? []));
  return all;
}

/** CPU (own plus reaped children's) and RSS summed over the tree. */
function treeUsage(pid: number): { cpuSeconds: number; rssMb: number } {
  let ticks = 0;
  let rssKb = 0;
  for (const p of descendants(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime, stime, cutime, cstime: fields 14–17 of proc(5), 12–15 after "pid (comm) ".
      ticks += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited while we looked
    }
  }
  return { cpuSeconds: ticks / CLK_TCK, rssMb: rssKb / 1024 };
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
};

async function stop(child: ChildProcess, tree: number[]): Promise<void> {
  const commands = new Map(tree.map((p) => [p, cmdline(p)]));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  // Anything left of this tree (tsx's own child, if it outlived it); same command line, so not a reused pid.
  for (const [p, command] of commands) if (command && cmdline(p) === command) process.kill(p, 'SIGKILL');
}

/** A fresh store for one start: an empty data directory, or an empty database (dropped afterwards). */
async function freshStore(mode: Mode): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'comments-startup-'));
  const removeDir = async () => rmSync(dataDir, { recursive: true, force: true });
  if (mode === 'embedded') return { env: { DATA_DIR: dataDir }, drop: removeDir };
  const name = `startup_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      REDIS_URL,
      REDIS_PREFIX: name,
      SECRET_KEY: 'bench-secret-key-that-is-at-least-32-characters',
    },
    async drop() {
      await removeDir();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function startOnce(mode: Mode, variant: Variant): Promise<Sample> {
  const store = await freshStore(mode);
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port) };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'NODE_OPTIONS']) delete env[name];
  Object.assign(env, store.env);
  const [cmd, ...args] = VARIANTS[variant];
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: root, env, stdio: 'ignore' });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${variant} exited with ${code}`))),
  );
  const deadline = Date.now() + 120_000;
  while (!(await Promise.race([healthy(port), exited]))) {
    if (Date.now() > deadline) throw new Error(`${variant}: no 200 on /healthz in 120 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const tree = descendants(child.pid!);
  const usage = treeUsage(child.pid!);
  exited.catch(() => {});
  await stop(child, tree);
  await store.drop();
  return { ...usage, wallSeconds };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

for (const mode of MODES) {
  const samples = new Map<Variant, Sample[]>(Object.keys(VARIANTS).map((v) => [v as Variant, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const variant of samples.keys()) {
      const s = await startOnce(mode, variant);
      samples.get(variant)!.push(s);
      console.log(
        `${mode} round ${round} ${variant.padEnd(20)} cpu ${s.cpuSeconds.toFixed(2)} s  rss ${s.rssMb.toFixed(0)} MB  wall ${s.wallSeconds.toFixed(2)} s`,
      );
    }
  }
  const medians = new Map(
    [...samples].map(([v, xs]) => [
      v,
      {
        cpu: median(xs.map((x) => x.cpuSeconds)),
        rss: median(xs.map((x) => x.rssMb)),
        wall: median(xs.map((x) => x.wallSeconds)),
      },
    ]),
  );
  const base = medians.get(BASELINE)!;
  console.log(`\n${mode}: medians of ${ROUNDS} (process tree at the first 200 on /healthz; ratios to ${BASELINE})`);
  for (const [variant, m] of medians) {
    console.log(
      `  ${variant.padEnd(20)} cpu ${m.cpu.toFixed(2)} s (${(m.cpu / base.cpu).toFixed(2)}×)  ` +
        `rss ${m.rss.toFixed(0)} MB (${(m.rss / base.rss).toFixed(2)}×)  wall ${m.wall.toFixed(2)} s (${(m.wall / base.wall).toFixed(2)}×)`,
    );
  }
  console.log();
}
