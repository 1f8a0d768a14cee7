// The whole database of a test as text: every row of every table in the test's schema (PGlite and
// PostgreSQL alike), and on PostgreSQL also pg_dump's own dump of the schema, for "nothing of X is
// left anywhere" checks that cannot miss a table someone adds later.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { TEST_DATABASE_URL } from './stores.ts';
import type { TestContext } from './test-app.ts';

const run = promisify(execFile);

export async function tableRowsAsText(ctx: TestContext): Promise<{ tables: string[]; text: string }> {
  const db = ctx.container.database.db;
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const parts: string[] = [];
  for (const { name } of rows) {
    const dump = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(db);
    parts.push(`-- ${name}\n${dump.rows.map((r) => r.row).join('\n')}`);
  }
  return { tables: rows.map((r) => r.name), text: parts.join('\n') };
}

/** pg_dump of the test's schema (data and definitions); null in the embedded mode. */
export async function pgDump(ctx: TestContext): Promise<string | null> {
  const database = ctx.config.database;
  if (database.kind !== 'postgres' || !database.schema) return null;
  const { stdout } = await run('pg_dump', ['--dbname', TEST_DATABASE_URL, '--schema', database.schema, '--no-owner'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}
