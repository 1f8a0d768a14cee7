// `npm run build`: compiles src/ and migrations/ to dist/, copies the files the server reads at run time,
// bundles the widget's browser scripts, and stamps dist/ with a digest of its sources.
//
// Why tsc (tsconfig.build.json, rewriteRelativeImportExtensions) rather than an esbuild bundle: it keeps
// one .js file per source file in the same layout, so every `new URL('./x', import.meta.url)` (dashboard
// assets, the demo article, ../../migrations) and the migrations' dynamic import work unchanged from
// dist/, and no plugin has to rewrite the sources' `.ts` import specifiers. It emits without type
// checking (`noCheck`: 2 s instead of 8 s on a fresh clone's first `npm start`); `npm run typecheck` in
// CI is the type check.
//
// Plain JavaScript, not TypeScript: `npm start` (scripts/start.mjs) imports it under plain Node to
// decide whether dist/ is stale, before anything can compile TypeScript.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = path.resolve(import.meta.dirname, '..');
export const distDir = path.join(root, 'dist');
const stampFile = path.join(distDir, '.build-stamp');
const lockDir = path.join(distDir, '.build-lock');
/** Everything the output depends on. The widget's browser code is bundled from src/widget/client. */
const INPUTS = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];
const WIDGET_CLIENT = path.join('src', 'widget', 'client');

function listFiles(rel) {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return [];
  if (!fs.statSync(abs).isDirectory()) return [rel];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/**
 * A digest of the inputs' names and contents (about 200 files, 1 MB: a few milliseconds). Contents,
 * not mtimes: a checkout that restores old timestamps or a `touch` cannot fool it, and a deleted or
 * renamed file changes it too (a deleted migration must not linger in dist/).
 */
export function sourceDigest() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(listFiles).sort()) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Null when dist/ matches the sources; otherwise why it must be built. Without sources (an image), dist/ is what there is. */
export function staleReason() {
  if (!fs.existsSync(path.join(root, 'src'))) return null;
  if (!fs.existsSync(stampFile)) return 'dist/ has not been built yet';
  return fs.readFileSync(stampFile, 'utf8').trim() === sourceDigest()
    ? null
    : 'the sources changed since the last build';
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};

/**
 * One build at a time (`npm run start:api` and `npm run start:worker` started together on a fresh clone,
 * or two test projects): mkdir is atomic; a lock whose process is gone is taken over.
 */
async function withLock(fn) {
  fs.mkdirSync(distDir, { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let pid = null;
      try {
        pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // just created by its holder, which has not written its pid yet
      }
      if (pid && !isAlive(pid)) fs.rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another build (pid ${pid}) holds ${lockDir}`);
      else await sleep(100);
    }
  }
  try {
    fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function compile(log) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    throw new Error('building dist/ needs the dev dependencies (run npm install, or npm ci without --omit=dev)');
  }
  // tsc reports errors on stdout: sent to `log` (stderr under npm start), so a CLI's stdout stays clean.
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: ['ignore', log, log],
  });
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status ?? result.signal})`);
}

/** Files read at run time next to the modules (dashboard assets, the demo article, …), copied as they are. */
function copyAssets() {
  for (const file of listFiles('src')) {
    if (/\.tsx?$/.test(file) || file.startsWith(WIDGET_CLIENT + path.sep)) continue;
    fs.mkdirSync(path.dirname(path.join(distDir, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(distDir, file));
  }
}

async function bundleWidget() {
  const bundleModule = path.join(distDir, 'src', 'widget', 'widget-bundle.js');
  const { buildWidgetScripts, PREBUILT_FILE } = await import(pathToFileURL(bundleModule).href);
  const scripts = await buildWidgetScripts(path.join(root, WIDGET_CLIENT));
  const code = Object.fromEntries(Object.entries(scripts).map(([name, s]) => [name, s.code]));
  fs.writeFileSync(path.join(path.dirname(bundleModule), PREBUILT_FILE), JSON.stringify(code));
}

/** Builds dist/ (always, or only when stale); returns whether it built. `log` is a file descriptor. */
export async function build({ ifStale = false, log = 1 } = {}) {
  if (ifStale && !staleReason()) return false;
  return withLock(async () => {
    const reason = staleReason();
    if (ifStale && !reason) return false; // built by whoever held the lock before us
    const started = Date.now();
    fs.writeSync(log, `building dist/ (${reason ?? 'npm run build'})…\n`);
    const digest = sourceDigest();
    for (const out of ['src', 'migrations', '.build-stamp']) {
      fs.rmSync(path.join(distDir, out), { recursive: true, force: true });
    }
    compile(log);
    copyAssets();
    await bundleWidget();
    // Written last: an interrupted build leaves no stamp, so the next start builds again.
    fs.writeFileSync(stampFile, `${digest}\n`);
    fs.writeSync(log, `built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return true;
  });
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  try {
    const built = await build({ ifStale: process.argv.includes('--if-stale') });
    if (!built) console.log('dist/ is up to date');
  } catch (err) {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  }
}
