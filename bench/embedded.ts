// npm run bench:embedded: POST comment on the embedded default (PGlite in a data directory, the in-process
// queue and workers in the same process), every 201 durable (the WAL flushed before it is sent). Runs the
// compiled server (dist/, `npm run build` first) under plain node, as the image does. Prints req/s, p50/p99
// and the CPU per POST of the process and of its busiest threads (from /proc: the main thread, PGlite's
// thread, GC helpers) per round. BENCH_SECONDS and BENCH_CONNECTIONS as in bench:http.
//
// BENCH_BASELINE=<directory>: another checkout with its own dist/ (an older commit: `git archive <commit> |
// tar -x -C <dir>`, node_modules linked, `node scripts/build.mjs`), run in alternating rounds against this
// one, so a before/after on a shared machine is measured in the same run; the ratio is printed per round.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../tests/support/server-process.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BASELINE = process.env.BENCH_BASELINE;
const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU ms per thread of a process, by thread id, with the thread's name. */
function threadCpu(pid: number): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = tid === String(pid) ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(tid, { name, ms: (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

async function start(root: string): Promise<{ child: ChildProcess; url: string; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-embedded-'));
  const child = spawn(process.execPath, ['dist/src/bin/server.js'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', TRUST_PROXY: 'true', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${root}: the server exited with ${code}:\n${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, dataDir };
}

let n = 0;
async function round(root: string): Promise<number> {
  const server = await start(root);
  try {
    const pid = server.child.pid!;
    const before = threadCpu(pid);
    const r = await autocannon({
      url: `${server.url}/api/v1/sites/demo/comments`,
      connections: CONNECTIONS,
      duration: DURATION,
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
                articleId: 'pk-kz-action-plan',
                name: `Reader ${n}`,
                email: `reader${n}@example.com`,
                body: `A thoughtful remark about the article, number ${n}. Nothing to see here.`,
              }),
            };
          },
        },
      ],
    });
    const threads = [...threadCpu(pid)]
      .map(([tid, t]) => ({ name: t.name, ms: t.ms - (before.get(tid)?.ms ?? 0) }))
      .sort((a, b) => b.ms - a.ms);
    const perPost = (ms: number) => (ms / Math.max(1, r.requests.total)).toFixed(2);
    const total = threads.reduce((s, t) => s + t.ms, 0);
    console.log(
      `${root === projectRoot ? 'this build' : 'baseline  '}: embedded POST ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx + r.errors}; CPU ms/POST ${perPost(total)} (${threads
        .slice(0, 3)
        .map((t) => `${t.name} ${perPost(t.ms)}`)
        .join(', ')})`,
    );
    return r.requests.average;
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load average at start: ${load()}`);
for (let i = 1; i <= ROUNDS; i++) {
  const base = BASELINE ? await round(path.resolve(BASELINE)) : null;
  const ours = await round(projectRoot);
  if (base !== null) console.log(`round ${i}: this build / baseline ${(ours / base).toFixed(2)}`);
}
console.log(`load average at end: ${load()}`);
