// Statements run again and again are prepared once per PostgreSQL connection (src/db/named-statements.ts).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { createStatementNames } from '../../src/db/named-statements.ts';
import { testDb } from '../support/stores.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

describe('statement names', () => {
  it('names a text with parameters from its second run, the same name every time after', () => {
    const names = createStatementNames(2);
    expect(names.nameOf('select $1', 1)).toBeUndefined();
    const name = names.nameOf('select $1', 1);
    expect(name).toBeDefined();
    expect(names.nameOf('select $1', 1)).toBe(name);
    expect(names.nameOf('select 1', 0)).toBeUndefined();
    expect(names.nameOf('select 1', 0)).toBeUndefined();
  });

  it('names at most the cap of texts', () => {
    const names = createStatementNames(2);
    for (const text of ['a $1', 'b $1', 'c $1']) {
      names.nameOf(text, 1);
      names.nameOf(text, 1);
    }
    expect(names.size).toBe(2);
    expect(names.nameOf('c $1', 1)).toBeUndefined();
    expect(names.nameOf('a $1', 1)).toBeDefined();
  });
});

describe.runIf(testDb() === 'postgres')('named statements on PostgreSQL', () => {
  let t: TestContext;
  let db: Db;
  beforeAll(async () => {
    t = await createTestContext();
    db = t.container.database.db;
  });
  afterAll(() => t.close());

  /** The statements prepared on one connection, after running a statement marked `marker` `runs` times on it. */
  const preparedAfter = (marker: string, runs: number) =>
    db.connection().execute(async (c) => {
      for (let i = 0; i < runs; i++) await sql`select ${i}::int + 1 as n /* ${sql.raw(marker)} */`.execute(c);
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(c);
      return rows.map((r) => r.statement);
    });

  it('prepares a statement run twice on a connection, and not one run once', async () => {
    const once = await preparedAfter('once', 1);
    expect(once.some((s) => s.includes('/* once */'))).toBe(false);
    const twice = await preparedAfter('twice', 2);
    expect(twice.filter((s) => s.includes('/* twice */'))).toHaveLength(1);
  });

  it('answers the same through a prepared statement as unprepared, in the test schema', async () => {
    const q = (id: string) => db.selectFrom('sites').select('id').where('id', '=', id).execute();
    for (let i = 0; i < 8; i++) expect(await q('none')).toEqual([]);
    await db.insertInto('sites').values({ id: 'named', name: 'Named', settings: '{}' }).execute();
    expect(await q('named')).toEqual([{ id: 'named' }]);
  });

  it('runs a statement a table change made stale again unnamed, outside a transaction', async () => {
    await sql`create table stale_check (id int primary key)`.execute(db);
    await sql`insert into stale_check values (1)`.execute(db);
    const read = () => sql`select * from stale_check where id = ${1}`.execute(db);
    // Prepared on every pooled connection it ran on.
    for (let i = 0; i < 20; i++) await read();
    await sql`alter table stale_check add column extra text`.execute(db);
    for (let i = 0; i < 20; i++) expect(Object.keys((await read()).rows[0] as object)).toEqual(['id', 'extra']);
  });

  it('inside a transaction the stale statement fails it, and its connection is dropped', async () => {
    await sql`create table stale_tx (id int primary key)`.execute(db);
    await sql`insert into stale_tx values (1)`.execute(db);
    const read = (c: Db) => sql`select * from stale_tx where id = ${1}`.execute(c);
    const pid = () =>
      db.connection().execute(async (c) => {
        await read(c);
        await read(c);
        return (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(c)).rows[0]!.pid;
      });
    const before = await pid();
    await sql`alter table stale_tx add column extra text`.execute(db);
    const outcome = await db.connection().execute(async (c) => {
      const mine = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(c)).rows[0]!.pid;
      // pg's pool hands out the connection released last: the one that prepared the statement.
      expect(mine).toBe(before);
      return c
        .transaction()
        .execute((tx) => read(tx as unknown as Db))
        .then(
          () => 'read',
          (err: Error) => err.message,
        );
    });
    expect(outcome).toMatch(/cached plan/);
    const backends = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_stat_activity where pid = ${before}`.execute(db);
    expect(backends.rows[0]!.n).toBe(0);
  });
});

describe.runIf(testDb() === 'pglite')('named statements on PGlite', () => {
  let t: TestContext;
  let db: Db;
  beforeAll(async () => {
    t = await createTestContext();
    db = t.container.database.db;
  });
  afterAll(() => t.close());

  const prepared = async () =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map(
      (r) => r.statement,
    );

  it('prepares a statement run twice, not one run once, and answers the same through it', async () => {
    const q = (id: string) => db.selectFrom('sites').select('id').where('id', '=', id).execute();
    expect(await q('none')).toEqual([]);
    expect((await prepared()).filter((s) => s.includes('"sites"') && s.includes('"id" = $1'))).toHaveLength(0);
    for (let i = 0; i < 8; i++) expect(await q('none')).toEqual([]);
    expect((await prepared()).filter((s) => s.includes('"sites"') && s.includes('"id" = $1'))).toHaveLength(1);
    await db.insertInto('sites').values({ id: 'named', name: 'Named', settings: '{}' }).execute();
    expect(await q('named')).toEqual([{ id: 'named' }]);
    const at = new Date('2026-03-04T05:06:07.089Z');
    const typed = () =>
      sql<{
        at: Date;
        doc: unknown;
        n: number;
      }>`select ${at}::timestamptz as at, ${JSON.stringify({ a: 1 })}::jsonb as doc, ${7}::int as n`.execute(db);
    for (let i = 0; i < 3; i++) expect((await typed()).rows).toEqual([{ at, doc: { a: 1 }, n: 7 }]);
    const failing = () => sql`select ${'x'}::int`.execute(db).catch((e: unknown) => e);
    for (let i = 0; i < 3; i++) expect(await failing()).toMatchObject({ code: '22P02' });
  });

  it('runs a statement a table change made stale again unnamed outside a transaction; inside, it fails it', async () => {
    await sql`create table stale_check (id int primary key)`.execute(db);
    await sql`insert into stale_check values (1)`.execute(db);
    const read = (c: Db = db) => sql`select * from stale_check where id = ${1}`.execute(c);
    for (let i = 0; i < 5; i++) await read();
    await sql`alter table stale_check add column extra text`.execute(db);
    for (let i = 0; i < 5; i++) expect(Object.keys((await read()).rows[0] as object)).toEqual(['id', 'extra']);

    await sql`create table stale_tx (id int primary key)`.execute(db);
    await sql`insert into stale_tx values (1)`.execute(db);
    const readTx = (c: Db = db) => sql`select * from stale_tx where id = ${1}`.execute(c);
    for (let i = 0; i < 5; i++) await readTx();
    await sql`alter table stale_tx add column extra text`.execute(db);
    const outcome = await db
      .transaction()
      .execute((tx) => readTx(tx as unknown as Db))
      .then(
        () => 'read',
        (err: Error) => err.message,
      );
    expect(outcome).toMatch(/cached plan/);
    expect(Object.keys((await readTx()).rows[0] as object)).toEqual(['id', 'extra']);
  });
});
