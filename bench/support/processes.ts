// Processes of the HTTP benchmark: started under plain node with their output in a log file (a pipe read
// by the benchmark would cost the benchmark's CPU and stall a server whose reader falls behind), and
// their CPU time read from /proc.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export interface Proc {
  name: string;
  pid: number;
  log: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `node <args>` and resolves once its log matches `ready`. */
export async function startNode(
  name: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; ready: RegExp; logDir: string },
): Promise<Proc> {
  const log = path.join(opts.logDir, `${name}.log`);
  const fd = openSync(log, 'a');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exited: number | string | null = null;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const proc: Proc = {
    name,
    pid: child.pid!,
    log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    const out = readFileSync(log, 'utf8');
    if (opts.ready.test(out)) return proc;
    if (exited !== null) throw new Error(`${name} exited (${exited}) before it was ready:\n${out.slice(-2000)}`);
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`${name} was not ready in 180 s:\n${out.slice(-2000)}`);
    }
    await sleep(100);
  }
}

/** Runs `node <args>` to completion (migrations, a CLI command); throws with its output when it fails. */
export function runNode(args: string[], opts: { cwd: string; env: Record<string, string> }): void {
  const r = spawnSync(process.execPath, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`node ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
}

/** utime + stime of one process in clock ticks (its own, not its reaped children's); null once it is gone. */
export function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields 14 and 15 of proc(5); 12 and 13 after "pid (comm) " (comm may hold spaces: split after ')').
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

export const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
