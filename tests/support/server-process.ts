// Starts the real service (by default its TypeScript entry point under tsx, as the suites do) and waits until it listens.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL, TEST_SECRET, testDb } from './stores.ts';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  port: number;
  env: Record<string, string>;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function runTsx(
  script: string,
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface SpawnOptions {
  cwd?: string;
  /** Replaces this process's environment instead of adding to it (a production start inherits nothing). */
  cleanEnv?: boolean;
  /** The output that says the process is up; `listening on …:<port>` (the port is read from it) by default. */
  ready?: RegExp;
  /** How long to wait for `ready`; a start that builds dist/ first needs longer on a loaded machine. */
  startTimeoutMs?: number;
}

export function startServer(script: string, env: Record<string, string>): Promise<ServerProcess> {
  return startProcess([process.execPath, '--import', 'tsx', script], env);
}

/** Starts any command (the compiled entry point, tini, npm) and waits until its output says it is up. */
export async function startProcess(
  argv: string[],
  env: Record<string, string>,
  opts: SpawnOptions = {},
): Promise<ServerProcess> {
  const ready = opts.ready ?? /listening on http:\/\/[^:]+:(\d+)/;
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: opts.cwd ?? projectRoot,
    env: { ...(opts.cleanEnv ? {} : process.env), PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const limit = opts.startTimeoutMs ?? 180_000;
    const timer = setTimeout(
      () => reject(new Error(`${argv.join(' ')} did not start in ${limit / 1000} s:\n${output}`)),
      limit,
    );
    const onData = (d: Buffer) => {
      output += d;
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1] ?? 0));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${argv.join(' ')} exited with ${code}:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    env,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        // A child killed by a signal (the SIGKILL tests) has exited with exitCode null and signalCode
        // set: waiting for another 'exit' then would hang the suite's afterAll.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/**
 * The environment for a fresh installation: an empty data directory, or an empty PostgreSQL database.
 * The suites walk the README's demo path in both modes, so on PostgreSQL they opt in with DEMO=true
 * (a production deployment has no demo site unless it asks); `demo: false` leaves that out.
 */
export async function freshEnvironment(
  opts: { demo?: boolean } = {},
): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'comments-e2e-'));
  if (testDb() === 'pglite') {
    return { env: { DATA_DIR: dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `e2e_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      SECRET_KEY: TEST_SECRET,
      ...(opts.demo === false ? {} : { DEMO: 'true' }),
    },
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
