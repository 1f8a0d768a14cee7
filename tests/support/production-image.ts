// The production image without Docker (there is no Docker engine where the suite runs): the final
// stage's files laid out in a directory of their own, and the commands the Dockerfile and compose run.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from './server-process.ts';

/** The Dockerfile's last JSON-form instruction of this kind (the final stage's). */
export function dockerfileInstruction(name: 'CMD' | 'ENTRYPOINT'): string[] {
  const lines = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${name} [`));
  if (!lines.length) throw new Error(`no ${name} in the Dockerfile`);
  return JSON.parse(lines.at(-1)!.slice(name.length + 1)) as string[];
}

/** A service of docker-compose.yml, with its `<<: *app` merges applied. */
export function composeService(name: string): any {
  const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true });
  return compose.services[name];
}

/** An environment with nothing of the test runner's in it (no NODE_OPTIONS, no loader): what a container has. */
export function containerEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, HOME: process.env.HOME ?? tmpdir(), ...env };
}

function run(argv: string[], cwd: string): void {
  const res = spawnSync(argv[0]!, argv.slice(1), { cwd, env: containerEnv({}), encoding: 'utf8', timeout: 180_000 });
  if (res.status !== 0) throw new Error(`${argv.join(' ')} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
}

/**
 * What the Dockerfile's final stage holds, in a fresh directory: package.json, scripts/start.mjs, production dependencies
 * from the lock file (`npm ci --omit=dev`, as its deps stage runs), and dist/ from `npm run build`
 * (built here when stale). Nothing else: no sources, no dev dependencies.
 */
export function stageImage(): { dir: string; cleanup(): void } {
  run([process.execPath, 'scripts/build.mjs', '--if-stale'], projectRoot);
  const dir = mkdtempSync(path.join(tmpdir(), 'comments-image-'));
  for (const file of ['package.json', 'package-lock.json', 'scripts/start.mjs', 'scripts/build.mjs']) {
    cpSync(path.join(projectRoot, file), path.join(dir, file));
  }
  // The build stage's dist/ has only what `npm run build` writes (not build:widget's dist/widget/).
  for (const out of ['src', 'migrations', '.build-stamp']) {
    cpSync(path.join(projectRoot, 'dist', out), path.join(dir, 'dist', out), { recursive: true });
  }
  run(['npm', 'ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], dir);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Whether an init the Dockerfile's ENTRYPOINT names is installed here (Debian: apt-get install tini). */
export function hasInit(entrypoint: string[]): boolean {
  const bin = entrypoint[0];
  return !!bin && (path.isAbsolute(bin) ? existsSync(bin) : spawnSync('which', [bin]).status === 0);
}
