// PGlite on a thread of its own (src/db/pglite-thread.ts), as the embedded server runs it: statements,
// transactions and PostgreSQL's errors come back as they would from PGlite in this thread, what was
// committed is in the data directory after a restart, and a closed database fails fast.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.ts';
import { startPGliteThread } from '../../src/db/pglite-thread.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// Each test starts a PGlite cluster (and, from the sources, tsx on its thread): seconds on a loaded machine.
describe('PGlite on its own thread', { timeout: 120_000 }, () => {
  it('runs statements and transactions, and reports PostgreSQL errors with their fields', async () => {
    const { db, close } = createDatabase({ kind: 'pglite', dataDir: null }, { pgliteThread: true });
    try {
      await sql`create table t (id int primary key, v text, at timestamptz, doc jsonb)`.execute(db);
      const at = new Date('2026-01-02T03:04:05.678Z');
      await sql`insert into t values (1, 'one', ${at}, ${JSON.stringify({ a: [1, 2] })}::jsonb)`.execute(db);
      const { rows } = await sql<{ v: string; at: Date; doc: unknown }>`select v, at, doc from t`.execute(db);
      expect(rows).toEqual([{ v: 'one', at, doc: { a: [1, 2] } }]);
      expect(rows[0]!.at).toBeInstanceOf(Date);

      const duplicate = await sql`insert into t (id, v) values (1, 'again')`.execute(db).catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(Error);
      expect(duplicate).toMatchObject({ code: '23505', constraint: 't_pkey', table: 't' });
      const invalid = await sql`select ${'x'}::int`.execute(db).catch((e: unknown) => e);
      expect(invalid).toMatchObject({ code: '22P02' });

      // A transaction that fails leaves nothing behind; statements of others wait until it ends.
      const failed = db
        .transaction()
        .execute(async (tx) => {
          await sql`insert into t (id, v) values (2, 'two')`.execute(tx);
          await sql`insert into t (id, v) values (1, 'clash')`.execute(tx);
        })
        .catch((e: unknown) => e);
      const outside = sql<{ n: number }>`select count(*)::int as n from t`.execute(db);
      expect(await failed).toMatchObject({ code: '23505' });
      expect((await outside).rows[0]!.n).toBe(1);
      const res = await sql`update t set v = 'uno' where id = 1`.execute(db);
      expect(res.numAffectedRows).toBe(1n);
    } finally {
      await close();
    }
  });

  it('keeps what it committed in the data directory across a close and a new start', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pglite-thread-'));
    dirs.push(dataDir);
    const first = createDatabase({ kind: 'pglite', dataDir });
    await sql`create table kept (id int primary key)`.execute(first.db);
    await sql`insert into kept select generate_series(1, 50)`.execute(first.db);
    await first.close();

    const second = createDatabase({ kind: 'pglite', dataDir });
    try {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kept`.execute(second.db);
      expect(rows[0]!.n).toBe(50);
    } finally {
      await second.close();
    }
  });

  it('fails a statement sent after close instead of leaving it waiting', async () => {
    const client = startPGliteThread(null);
    await client.waitReady;
    expect((await client.query<{ one: number }>('select 1 as one', [])).rows).toEqual([{ one: 1 }]);
    await client.close();
    expect(client.closed).toBe(true);
    await expect(client.query('select 1', [])).rejects.toMatchObject({ code: '57P01' });
  });

  it('reports a data directory it cannot open when it starts', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pglite-thread-')), 'not-a-directory');
    dirs.push(path.dirname(file));
    writeFileSync(file, 'x');
    const client = startPGliteThread(file);
    await expect(client.waitReady).rejects.toBeInstanceOf(Error);
    await client.close();
  });
});
