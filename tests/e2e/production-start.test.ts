// The service started the way the image starts it: the Dockerfile's ENTRYPOINT (tini, when installed
// here) and CMD, in a directory holding only the final stage's files (dist/, production dependencies).
// It finds everything it reads at run time, and on SIGTERM it refuses new connections, finishes the
// requests in flight and exits 0. Both modes: embedded (docker run) and PostgreSQL + Redis (compose).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidgetScripts } from '../../src/widget/widget-bundle.ts';
import {
  composeService,
  containerEnv,
  dockerfileInstruction,
  hasInit,
  stageImage,
} from '../support/production-image.ts';
import { freshEnvironment, projectRoot, type ServerProcess, startProcess } from '../support/server-process.ts';
import { TEST_REDIS_URL, testDb } from '../support/stores.ts';

const entrypoint = dockerfileInstruction('ENTRYPOINT');
const init = hasInit(entrypoint) ? entrypoint : [];
const cmd = dockerfileInstruction('CMD');

let image: { dir: string; cleanup(): void };
let env: Record<string, string>;
let cleanupEnv: () => Promise<void>;
let server: ServerProcess;
beforeAll(async () => {
  image = stageImage();
  const fresh = await freshEnvironment();
  cleanupEnv = fresh.cleanup;
  env = containerEnv({ ...fresh.env, NODE_ENV: 'production', LOG_LEVEL: 'info' });
  if (testDb() === 'postgres') {
    Object.assign(env, { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `image-${randomBytes(4).toString('hex')}` });
  }
  server = await startProcess([...init, ...cmd], env, { cwd: image.dir, cleanEnv: true });
}, 240_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  await cleanupEnv?.();
  image?.cleanup();
});

/** The compose healthcheck's command, run in the image's directory against this server's port. */
function healthcheck(port: number): number | null {
  const [kind, ...argv] = composeService('api').healthcheck.test as string[];
  expect(kind).toBe('CMD');
  return spawnSync(argv[0]!, argv.slice(1), { cwd: image.dir, env: { ...env, PORT: String(port) }, timeout: 10_000 })
    .status;
}

/** A comment POST whose headers are sent and acknowledged (100 Continue) but whose body is held back. */
function slowPost(port: number, n: number) {
  const body = JSON.stringify({
    articleId: 'pk-kz-action-plan',
    name: `Slow ${n}`,
    email: `slow${n}@example.com`,
    body: `a comment still uploading when SIGTERM arrives ${n}`,
  });
  const req = http.request({
    host: '127.0.0.1',
    port,
    path: '/api/v1/sites/demo/comments',
    method: 'POST',
    agent: false,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      expect: '100-continue',
    },
  });
  type Answer = { status: number; connection?: string; id?: string } | { error: string };
  const response = new Promise<Answer>((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode!, connection: res.headers.connection, id: JSON.parse(text).id }),
      );
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    // A request cut off (reset, hung up) is an outcome to assert on, not an exception.
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
  // The server has parsed the request and its handler is waiting for the body.
  const accepted = new Promise<void>((resolve) => req.once('continue', () => resolve()));
  req.flushHeaders();
  return { accepted, response, finish: () => req.end(body) };
}

function connectOutcome(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

async function pollUntil<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`the image's start (${testDb()}${init.length ? ', under tini' : ', tini not installed here: CMD alone'})`, () => {
  it('runs with production dependencies only', () => {
    for (const dev of ['tsx', 'typescript', 'esbuild', 'vitest']) {
      expect(existsSync(path.join(image.dir, 'node_modules', dev)), dev).toBe(false);
    }
    expect(existsSync(path.join(image.dir, 'node_modules', 'hono'))).toBe(true);
    expect(existsSync(path.join(image.dir, 'src'))).toBe(false);
  });

  it('is ready (migrations compiled and applied) and passes the compose healthcheck', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(healthcheck(server.port)).toBe(0);
  });

  it('finds what it reads at run time: demo article, dashboard assets, API docs, the prebuilt widget', async () => {
    const title = readFileSync(path.join(projectRoot, 'src/demo/seed-article.txt'), 'utf8').split('\n')[0]!.trim();
    expect(await (await fetch(`${server.url}/`)).text()).toContain(title);

    const login = await (await fetch(`${server.url}/dashboard/login`)).text();
    const stylesheet = /href="(\/dashboard\/assets\/dashboard\.css\?v=[^"]+)"/.exec(login)?.[1];
    expect(stylesheet).toBeDefined();
    const css = await fetch(`${server.url}${stylesheet}`);
    expect(css.status).toBe(200);
    expect(await css.text()).toBe(readFileSync(path.join(projectRoot, 'src/dashboard/assets/dashboard.css'), 'utf8'));

    expect((await fetch(`${server.url}/docs/swagger-ui-bundle.js`)).status).toBe(200);

    // Bundled by `npm run build`, served without esbuild; the same scripts the sources build now.
    const fromSources = await buildWidgetScripts();
    expect(await (await fetch(`${server.url}/embed.js`)).text()).toBe(fromSources.loader.code);
    const bundle = await fetch(`${server.url}/widget/embed.${fromSources.embed.hash}.js`);
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).toBe(fromSources.embed.code);
  });

  it('on SIGTERM refuses new connections, finishes the requests in flight with 2xx, and exits 0', async () => {
    const inFlight = [0, 1, 2].map((n) => slowPost(server.port, n));
    await Promise.all(inFlight.map((r) => r.accepted));
    const exited = server.stop('SIGTERM');

    // The listener closes while the three requests are still waiting for their bodies.
    expect(
      await pollUntil(
        () => connectOutcome(server.port),
        (o) => o === 'ECONNREFUSED',
        10_000,
      ),
    ).toBe('ECONNREFUSED');
    for (const r of inFlight) r.finish();
    const answers = await Promise.all(inFlight.map((r) => r.response));
    for (const a of answers) expect(a).toEqual({ status: 201, connection: 'close', id: expect.any(String) });
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('no exit in 15 s'), 15_000))])).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
    expect(healthcheck(server.port)).toBe(1);

    // Stored: the compiled CLI, run in the image through npm as an operator would, shows it (one is
    // enough here; tests/faults/graceful-shutdown.test.ts matches every answer to the database).
    const id = (answers[0] as { id: string }).id;
    const shown = spawnSync('npm', ['run', '-s', 'cli', '--', 'comments:show', '--id', id], {
      cwd: image.dir,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(shown.stderr).toBe('');
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(id);
  }, 90_000);

  it.skipIf(testDb() !== 'postgres')(
    "runs compose's worker command, which stops cleanly on SIGTERM (PostgreSQL only: compose's worker shares it with the API)",
    async () => {
      const command = composeService('worker').command as string[];
      const worker = await startProcess([...init, ...command], env, {
        cwd: image.dir,
        cleanEnv: true,
        ready: /workers started/,
      });
      expect(worker.output()).not.toContain('listening on');
      expect(await worker.stop('SIGTERM')).toBe(0);
      expect(worker.output()).toContain('"msg":"stopped"');
    },
    60_000,
  );
});
