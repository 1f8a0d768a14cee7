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

  it('drops a connection whose prepared statement a table change made stale, and works on the next', async () => {
    await sql`create table stale_check (id int primary key)`.execute(db);
    await sql`insert into stale_check values (1)`.execute(db);
    const read = () => db.connection().execute((c) => sql`select * from stale_check where id = ${1}`.execute(c));
    // Prepared on every pooled connection it ran on.
    for (let i = 0; i < 20; i++) await read();
    await sql`alter table stale_check add column extra text`.execute(db);
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      outcomes.push(
        await read().then(
          (r) => `columns ${Object.keys(r.rows[0] as object).length}`,
          (err: Error) => err.message,
        ),
      );
    }
    // Each stale connection fails once and is dropped; the rest of the reads see the new column.
    expect(outcomes.at(-1)).toBe('columns 2');
    expect(outcomes.filter((o) => o !== 'columns 2').every((o) => /cached plan/.test(o))).toBe(true);
    expect(outcomes.filter((o) => o !== 'columns 2').length).toBeLessThanOrEqual(10);
  });
});
