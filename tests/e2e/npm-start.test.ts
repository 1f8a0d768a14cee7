// The README's first command on a fresh clone: `npm start` builds dist/ (there is none), serves the
// compiled code, and stops gracefully when npm gets SIGTERM; after a source edit the next command
// rebuilds; with nothing changed nothing is rebuilt. (The embedded default: runs once, in pglite.)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerEnv } from '../support/production-image.ts';
import { projectRoot, type ServerProcess, startProcess } from '../support/server-process.ts';
import { testDb } from '../support/stores.ts';

let clone: string;
let env: Record<string, string>;
beforeAll(() => {
  // What a clone holds that the build reads, with this checkout's installed dependencies.
  clone = mkdtempSync(path.join(tmpdir(), 'comments-clone-'));
  for (const p of [
    'src',
    'migrations',
    'scripts',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
  ]) {
    cpSync(path.join(projectRoot, p), path.join(clone, p), { recursive: true });
  }
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(clone, 'node_modules'));
  env = containerEnv({ DATA_DIR: path.join(clone, 'data') });
});
const started: number[] = [];
afterAll(() => {
  // A failed assertion must not leave a server running (checked by command line: pids get reused).
  for (const pid of started) {
    const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
    if (/npm|start\.mjs/.test(cmdline)) process.kill(pid, 'SIGKILL');
  }
  if (clone) rmSync(clone, { recursive: true, force: true });
});

/** `npm start` in the clone until it listens; the server's pid is in the data directory's lock. */
async function npmStart(): Promise<ServerProcess & { serverPid: number }> {
  const npm = await startProcess(['npm', 'start'], env, {
    cwd: clone,
    cleanEnv: true,
    // The first start compiles dist/ (about 10 s alone, several times that on a loaded machine).
    startTimeoutMs: 240_000,
  });
  const lock = JSON.parse(readFileSync(path.join(clone, 'data', 'server.lock'), 'utf8')) as { pid: number };
  started.push(npm.child.pid!, lock.pid);
  return Object.assign(npm, { serverPid: lock.pid });
}

/** SIGTERM to npm, as `docker stop` or a supervisor sends it: the server must stop itself, not be orphaned. */
async function stopThroughNpm(npm: ServerProcess & { serverPid: number }): Promise<void> {
  const code = await npm.stop('SIGTERM');
  const orphaned = isAlive(npm.serverPid);
  if (orphaned) process.kill(npm.serverPid, 'SIGKILL');
  expect(orphaned).toBe(false);
  expect(code).toBe(0);
  expect(npm.output()).toContain('"msg":"stopped"');
  expect(existsSync(path.join(clone, 'data', 'server.lock'))).toBe(false);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const demoPage = async (server: ServerProcess) => (await fetch(`${server.url}/`)).text();

describe.skipIf(testDb() !== 'pglite')('npm start on a fresh clone', () => {
  it('builds dist/, serves the compiled server, and drains on SIGTERM through npm', async () => {
    expect(existsSync(path.join(clone, 'dist'))).toBe(false);
    const server = await npmStart();
    expect(server.output()).toContain('building dist/ (dist/ has not been built yet)');
    // npm's own child, no shell in between to swallow the signal; plain node, no tsx.
    const stat = readFileSync(`/proc/${server.serverPid}/stat`, 'utf8');
    expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])).toBe(server.child.pid);
    expect(readFileSync(`/proc/${server.serverPid}/cmdline`, 'utf8').split('\0')).toEqual([
      'node',
      'scripts/start.mjs',
      'server',
      '',
    ]);
    expect(existsSync(path.join(clone, 'dist/src/bin/server.js'))).toBe(true);
    expect(await demoPage(server)).toContain('Pakistan, Kazakhstan');
    await stopThroughNpm(server);
  }, 300_000);

  it('rebuilds after a source edit (the CLI keeps its stdout clean), and not when nothing changed', async () => {
    const article = path.join(clone, 'src/demo/seed-article.txt');
    writeFileSync(article, readFileSync(article, 'utf8').replace(/^[^\n]*/, 'An edited headline'));

    const cli = spawnSync('npm', ['run', '-s', 'cli', '--', 'sites:list'], {
      cwd: clone,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(cli.status).toBe(0);
    expect(cli.stderr).toContain('building dist/ (the sources changed since the last build)');
    expect(cli.stdout).not.toContain('build');
    expect(cli.stdout).toContain('demo');

    const server = await npmStart();
    expect(server.output()).not.toContain('building');
    expect(await demoPage(server)).toContain('An edited headline');
    await stopThroughNpm(server);
  }, 300_000);
});
