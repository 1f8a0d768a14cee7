// Builds the Kysely instance for the configured store: PostgreSQL over pg, or embedded PGlite.
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type RawBuilder, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/env.ts';
import { secureDataDir } from './data-dir.ts';
import { namedStatementPool } from './named-statements.ts';
import { inProcess, PGliteDialect } from './pglite-dialect.ts';
import { startPGliteThread } from './pglite-thread.ts';
import type { Database } from './schema.ts';
import { createWalFlusher } from './wal-flusher.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbOrTx = Kysely<Database> | Tx;

/**
 * A service's verbs over the database, and the same verbs inside a caller's transaction:
 * `sites.withTx(tx).update(…)` next to `audit.withTx(tx).record(…)` commit or roll back together.
 */
export type Bindable<V> = V & { withTx(tx: Tx): V };

export function bindable<V>(db: DbOrTx, verbs: (db: DbOrTx) => V): Bindable<V> {
  return { ...verbs(db), withTx: (tx: Tx) => verbs(tx) };
}

/** Runs `work` in the caller's transaction when `db` is one (a bound service), else in a new one. */
export function inTransaction<T>(db: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Tx) : db.transaction().execute(work);
}

/** A value as a jsonb parameter, for statements written as SQL. */
export const jsonb = (value: unknown): RawBuilder<unknown> => sql`${JSON.stringify(value)}::jsonb`;

// int8 (counts, bigint ids) as JS numbers: our values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseConfig['kind'];
  /** The pg pool (PostgreSQL mode), for pool metrics. */
  pool: pg.Pool | null;
  close(): Promise<void>;
}

/**
 * `pgliteThread` (embedded): PGlite on a thread of its own (pglite-thread.ts), so the database's CPU runs on
 * another core than HTTP. The default with a data directory (the embedded server); an in-memory database
 * (tests, the demo) stays in this thread unless asked.
 */
export function createDatabase(
  config: DatabaseConfig,
  options: { poolSize?: number; pgliteThread?: boolean } = {},
): DatabaseHandle {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: options.poolSize ?? 10,
      // Bounded waits: a dead database must turn into a quick 503, never a hung request.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // A server that stops answering mid-query must not hold a request forever either.
      query_timeout: 15_000,
      statement_timeout: 15_000,
      ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
    });
    // A client losing its server must not crash the process: a query in flight fails (→ 503), and the
    // next checkout reconnects. pg emits 'error' on the client as well as rejecting the query.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    // Statements run again and again are prepared once per connection (named-statements.ts).
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namedStatementPool(pool) }) });
    return { db, kind: 'postgres', pool, close: () => db.destroy() };
  }
  if (config.dataDir) secureDataDir(config.dataDir);
  const dataDir = config.dataDir ?? null;
  const pglite =
    (options.pgliteThread ?? dataDir !== null)
      ? startPGliteThread(dataDir)
      : inProcess(new PGlite(dataDir ?? undefined));
  const wal = config.dataDir ? createWalFlusher(config.dataDir) : null;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite, wal) });
  return { db, kind: 'pglite', pool: null, close: () => db.destroy() };
}
