// `npm run cli -- --help` and friends open no database: they answer while the embedded server holds the data
// directory, and with a configuration whose database cannot be reached or parsed. (Mode-independent: runs once.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/db/data-dir-lock.ts';
import { runTsx } from '../support/server-process.ts';
import { TEST_SECRET, testDb } from '../support/stores.ts';

const HELP_LINES: [string[], number, RegExp][] = [
  [['--help'], 0, /sites:update/],
  [['sites:update', '--help'], 0, /--remove-origin/],
  [['no-such-command'], 1, /unknown command 'no-such-command'/],
];

function expectHelp(res: { code: number | null; stdout: string; stderr: string }, code: number, text: RegExp) {
  expect(res.stdout + res.stderr).toMatch(text);
  expect(res.stdout + res.stderr).not.toMatch(/Aborted|could not open|ECONNREFUSED|Invalid configuration/);
  expect(res.code).toBe(code);
}

describe.skipIf(testDb() !== 'pglite')('CLI help without a database', () => {
  let dir: string;
  let held: PGlite;
  let lock: ReturnType<typeof acquireLock>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-help-'));
    // As the embedded server does: the data directory locked and a live PGlite on it.
    lock = acquireLock(dir);
    lock.setPort(1);
    held = new PGlite(dir);
    await held.query('select 1');
  });
  afterAll(async () => {
    await held?.close();
    lock?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(HELP_LINES)(
    'cli %j answers while the server holds the data directory',
    async (argv, code, text) => {
      expectHelp(await runTsx('src/bin/cli.ts', argv, { DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '' }), code, text);
    },
    120_000,
  );

  it('answers with a DATA_DIR that is not a directory, an unreachable DATABASE_URL and an unparsable one', async () => {
    const file = path.join(dir, '..', `not-a-dir-${process.pid}`);
    writeFileSync(file, 'x');
    try {
      const envs: Record<string, string>[] = [
        { DATA_DIR: file, DATABASE_URL: '', REDIS_URL: '' },
        { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', SECRET_KEY: TEST_SECRET, REDIS_URL: '' },
        { DATABASE_URL: 'not a url', SECRET_KEY: TEST_SECRET },
      ];
      for (const env of envs) {
        expectHelp(await runTsx('src/bin/cli.ts', ['--help'], env), 0, /sites:update/);
      }
    } finally {
      rmSync(file, { force: true });
    }
  }, 180_000);
});
