// The embedded mode answers 201 only once the comment is on disk: the WAL segment is flushed (fdatasync,
// seen with strace on the running server) between reading the request and writing the answer; and a
// server killed right after a burst of 201s has every acknowledged comment after it starts again.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../support/server-process.ts';

let dataDir: string;
let env: Record<string, string>;
let server: ServerProcess;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'comments-durable-'));
  env = { DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' };
  server = await startServer('src/bin/server.ts', env);
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (i: number) =>
  fetch(`${server.url}/api/v1/sites/demo/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      articleId: 'pk-kz-action-plan',
      name: `Reader ${i}`,
      email: `reader${i}@example.com`,
      body: `A durable comment number ${i}.`,
    }),
  }).then(async (r) => ({ status: r.status, id: ((await r.json()) as { id?: string }).id }));

/** strace attached to the running server; resolves once it traces. */
async function attachStrace(pid: number, out: string): Promise<ChildProcess> {
  const strace = spawn(
    'strace',
    ['-f', '-y', '-s', '48', '-e', 'trace=read,recvfrom,write,writev,fdatasync,fsync', '-o', out, '-p', String(pid)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let said = '';
  await new Promise<void>((resolve, reject) => {
    strace.stderr!.on('data', (d) => {
      said += d;
      if (/attached/.test(said)) resolve();
    });
    strace.on('exit', (code) => reject(new Error(`strace exited with ${code}: ${said}`)));
  });
  return strace;
}

describe('embedded durability', () => {
  it('flushes the WAL to disk before it answers 201', async () => {
    // The machine this suite runs on has strace (Debian's package); without it there is nothing to observe.
    if (spawnSync('strace', ['-V']).status !== 0) return void console.warn('no strace: fdatasync ordering not checked');
    const trace = path.join(dataDir, '..', `${path.basename(dataDir)}.strace`);
    const strace = await attachStrace(server.child.pid!, trace);
    const answer = await post(1);
    expect(answer.status).toBe(201);
    await new Promise<void>((resolve) => {
      strace.once('exit', () => resolve());
      strace.kill('SIGINT');
    });
    const lines = readFileSync(trace, 'utf8').split('\n');
    rmSync(trace, { force: true });
    // With -f another thread's syscall can split the read: its data then shows on a "<... read resumed>" line.
    const request = lines.findIndex((l) =>
      /(read|recvfrom)(\(| resumed>).*POST \/api\/v1\/sites\/demo\/comments/.test(l),
    );
    const created = lines.findIndex((l, i) => i > request && /(write|writev)(\(| resumed>).*HTTP\/1\.1 201/.test(l));
    // On failure, say what the trace did show of the request, so a new strace format is seen at once.
    const seen = lines.filter((l) => /POST|HTTP\/1\.1 201/.test(l)).slice(0, 4);
    expect(request, `the request was read; trace lines: ${seen.join(' | ')}`).toBeGreaterThanOrEqual(0);
    expect(created, 'the 201 was written').toBeGreaterThan(request);
    const between = lines.slice(request, created);
    const started = between.findIndex((l) => /fdatasync\(\d+<[^>]*\/pg_wal\/[0-9A-F]{24}>/.test(l));
    expect(started, 'an fdatasync of the WAL segment between request and answer').toBeGreaterThanOrEqual(0);
    // It finished before the answer: on the same line, or as its "resumed" line, with 0.
    const finished = between
      .slice(started)
      .some((l, i) => (i === 0 ? /fdatasync\(.*\) += 0/.test(l) : /<\.\.\. fdatasync resumed>.* = 0/.test(l)));
    expect(finished, 'the fdatasync completed before the 201').toBe(true);
  });

  it('keeps every comment it answered 201 for when killed right after', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(100 + i)));
    await server.stop('SIGKILL');
    const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.id!);
    expect(acknowledged).toHaveLength(40);

    server = await startServer('src/bin/server.ts', env);
    await server.stop('SIGTERM');
    const db = new PGlite(path.join(dataDir, 'pglite'));
    try {
      const { rows } = await db.query<{ id: string }>('select id from comments where id = any($1::uuid[])', [
        acknowledged,
      ]);
      expect(rows.map((r) => r.id).sort()).toEqual([...acknowledged].sort());
    } finally {
      await db.close();
    }
  });
});
