// The demo site (localhost origins, flood control off) and its article at `/` belong to the embedded
// default only: a production database gets neither unless DEMO=true asks, and DEMO=false turns the
// demo off in the embedded mode too. The real process, in both modes.
import { afterEach, describe, expect, it } from 'vitest';
import { freshEnvironment, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';
import { testDb } from '../support/stores.ts';

let server: ServerProcess | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await server?.stop('SIGKILL');
  await cleanup?.();
  server = cleanup = undefined;
});

async function start(extra: Record<string, string>) {
  const fresh = await freshEnvironment({ demo: false });
  cleanup = fresh.cleanup;
  server = await startServer('src/bin/server.ts', { ...fresh.env, ...extra });
  const sites = await runTsx('src/bin/cli.ts', ['sites:list'], server.env);
  expect(sites.code, sites.stderr).toBe(0);
  const home = await fetch(`${server.url}/`);
  return { sites: sites.stdout, home: { status: home.status, text: await home.text() } };
}

const production = testDb() === 'postgres';
// Each test starts a real server on a fresh store (PGlite creates its cluster: about 5 s of CPU) and runs
// the CLI under tsx: 18-23 s on a quiet machine, past the default 30 s when the two cores are shared.
const SLOW_START_MS = 120_000;

describe(`the demo site and article (${testDb()})`, () => {
  it(
    production
      ? 'are neither seeded nor served on PostgreSQL by default'
      : 'are seeded and served in the embedded default',
    async () => {
      const { sites, home } = await start({});
      if (production) {
        expect(sites).not.toMatch(/^demo\t/m);
        expect(home.status).toBe(404);
        expect(home.text).not.toContain('pk-kz-action-plan');
      } else {
        expect(sites).toMatch(/^demo\tDemo/m);
        expect(home.status).toBe(200);
        expect(home.text).toContain('data-site="demo" data-article="pk-kz-action-plan"');
      }
    },
    SLOW_START_MS,
  );

  it(
    production ? 'are seeded and served with DEMO=true' : 'are neither seeded nor served with DEMO=false',
    async () => {
      const { sites, home } = await start({ DEMO: production ? 'true' : 'false' });
      if (production) {
        expect(sites).toMatch(/^demo\tDemo/m);
        expect(home.status).toBe(200);
        expect(home.text).toContain('data-site="demo" data-article="pk-kz-action-plan"');
      } else {
        expect(sites).not.toMatch(/^demo\t/m);
        expect(home.status).toBe(404);
      }
    },
    SLOW_START_MS,
  );
});
