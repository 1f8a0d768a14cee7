// Named prepared statements for the statements this process runs again and again. PostgreSQL spends
// most of a short statement's time parsing and planning it; a named statement is parsed once per
// connection and, after a few runs, planned once too. pg keeps each connection's named statements;
// this module decides which statements get a name: the SQL text seen twice (one-off statements such
// as migrations never do), at most MAX_NAMES texts per process, so no connection holds more.
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

const MAX_NAMES = 256;
/** Texts seen once, waiting for a second run; forgotten in bulk when full (a rough bound, no LRU needed). */
const MAX_CANDIDATES = 2_048;

export interface StatementNames {
  /** The statement's name, or undefined to run it unnamed (seen once, no parameters, or the cap is reached). */
  nameOf(text: string, parameterCount: number): string | undefined;
  readonly size: number;
}

export function createStatementNames(maxNames = MAX_NAMES): StatementNames {
  const names = new Map<string, string>();
  const seen = new Set<string>();
  return {
    nameOf(text, parameterCount) {
      const name = names.get(text);
      if (name !== undefined) return name;
      // Without parameters pg sends one simple-protocol message: naming it would cost a round of messages.
      if (parameterCount === 0 || names.size >= maxNames) return undefined;
      if (!seen.has(text)) {
        if (seen.size >= MAX_CANDIDATES) seen.clear();
        seen.add(text);
        return undefined;
      }
      seen.delete(text);
      const created = `k${names.size}`;
      names.set(text, created);
      return created;
    },
    get size() {
      return names.size;
    },
  };
}

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed under it (a table
 * altered after it was prepared, by a migration run from another process): SQLSTATE 0A000, "cached
 * plan must not change result type". Outside a transaction the statement is run again unnamed; inside
 * one the error stands (the transaction is aborted). Either way the connection is dropped instead of
 * returned to the pool, so its stale statements go with it.
 */
const isStalePlan = (err: unknown) =>
  (err as { code?: string }).code === '0A000' && /cached plan/.test((err as Error).message);

const BEGINS = /^\s*(begin|start transaction)\b/i;
const ENDS = /^\s*(commit|rollback)\s*$/i;

/** The pool Kysely's PostgresDialect uses: pg's, with the statements named as `names` decides. */
export function namedStatementPool(pool: pg.Pool, names: StatementNames = createStatementNames()): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      let stale = false;
      let inTransaction = false;
      const run = async (text: string, values: unknown[]) => {
        if (BEGINS.test(text)) inTransaction = true;
        else if (ENDS.test(text)) inTransaction = false;
        const name = names.nameOf(text, values.length);
        try {
          return await client.query(name === undefined ? { text, values } : { name, text, values });
        } catch (err) {
          if (name === undefined || !isStalePlan(err)) throw err;
          stale = true;
          if (inTransaction) throw err;
          return client.query({ text, values });
        }
      };
      const wrapped: PostgresPoolClient = {
        // biome-ignore lint/suspicious/noExplicitAny: the overloads (text or cursor) share one implementation
        query: ((textOrCursor: any, parameters?: readonly unknown[]) =>
          typeof textOrCursor === 'string'
            ? run(textOrCursor, parameters as unknown[])
            : client.query(textOrCursor)) as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy || stale),
      };
      return wrapped;
    },
    end: () => pool.end(),
  };
}
