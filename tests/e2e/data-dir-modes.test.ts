// The embedded data directory is the service user's only: 0700 directories and 0600 files, both for
// a fresh start and for a directory an older version left readable by everyone.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../support/server-process.ts';
import { testDb } from '../support/stores.ts';

/** Every entry under dir with its permission bits, e.g. { 'pglite/base': 0o700 }. */
function modes(dir: string, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, e.name);
    out[rel] = statSync(path.join(dir, e.name)).mode & 0o777;
    if (e.isDirectory()) Object.assign(out, modes(path.join(dir, e.name), rel));
  }
  return out;
}
const wrong = (m: Record<string, number>, dirs: Set<string>) =>
  Object.entries(m).filter(([rel, mode]) => mode !== (dirs.has(rel) ? 0o700 : 0o600));
const dirsIn = (dir: string) =>
  new Set(Object.keys(modes(dir)).filter((rel) => statSync(path.join(dir, rel)).isDirectory()));

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function startIn(dataDir: string): Promise<ServerProcess> {
  const server = await startServer('src/bin/server.ts', { DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' });
  cleanups.push(() => server.stop());
  // A comment makes the database write (WAL, relation files) after the start.
  const res = await fetch(`${server.url}/api/v1/sites/demo/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ articleId: 'pk-kz-action-plan', name: 'Ada', email: 'ada@example.com', body: 'Hello' }),
  });
  expect(res.status).toBe(201);
  return server;
}

describe.runIf(testDb() === 'pglite')('embedded data directory permissions', { timeout: 120_000 }, () => {
  it('creates DATA_DIR 0700 and every file in it 0600', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'comments-modes-'));
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    const dataDir = path.join(parent, 'data');
    await startIn(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const m = modes(dataDir);
    expect(Object.keys(m).length).toBeGreaterThan(100); // the database is in there
    expect(m['secret.key']).toBe(0o600);
    expect(wrong(m, dirsIn(dataDir))).toEqual([]);
  });

  it('brings a world-readable directory left by an older version to 0700 / 0600 at start', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'comments-modes-old-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    mkdirSync(path.join(dataDir, 'pglite', 'old'), { recursive: true });
    writeFileSync(path.join(dataDir, 'pglite', 'old', 'leftover'), 'x');
    writeFileSync(path.join(dataDir, 'secret.key'), `${'ab'.repeat(32)}\n`);
    for (const p of ['', 'pglite', 'pglite/old']) chmodSync(path.join(dataDir, p), 0o777);
    for (const p of ['secret.key', 'pglite/old/leftover']) chmodSync(path.join(dataDir, p), 0o666);
    await startIn(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(wrong(modes(dataDir), dirsIn(dataDir))).toEqual([]);
  });
});
