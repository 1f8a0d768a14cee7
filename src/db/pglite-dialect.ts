// Kysely dialect for PGlite, the embedded (WASM) PostgreSQL used when DATABASE_URL is unset.
// PGlite is a single connection, so connections are handed out one at a time: a transaction
// must never interleave with statements of another request. The database runs in this thread
// (inProcess) or on a thread of its own (pglite-thread.ts); the dialect sees the same client.
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { preparedQueries } from './pglite-prepared.ts';
import type { WalFlusher } from './wal-flusher.ts';

export interface PGliteResult<R = unknown> {
  rows: R[];
  affectedRows?: number;
}

/** What the dialect needs of PGlite: one statement at a time, rows as objects. */
export interface PGliteClient {
  readonly waitReady: Promise<void>;
  readonly closed: boolean;
  query<R>(sql: string, params: unknown[]): Promise<PGliteResult<R>>;
  close(): Promise<void>;
}

/** PGlite running in this thread; statements run again and again are prepared once (pglite-prepared.ts). */
export function inProcess(pglite: PGlite): PGliteClient {
  return {
    waitReady: pglite.waitReady,
    get closed() {
      return pglite.closed;
    },
    query: preparedQueries(pglite),
    close: () => pglite.close(),
  };
}

class PGliteConnection implements DatabaseConnection {
  constructor(
    private readonly pglite: PGliteClient,
    private readonly wal: WalFlusher | null,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, compiled.parameters as unknown[]);
    if (compiled.query.kind !== 'SelectQueryNode') this.wal?.markDirty();
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined && compiled.query.kind !== 'SelectQueryNode'
        ? { numAffectedRows: BigInt(affected) }
        : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is refused before anything is yielded
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not support streaming');
  }
}

class PGliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve();
  private readonly connection: PGliteConnection;
  private release: (() => void) | null = null;

  constructor(
    private readonly pglite: PGliteClient,
    private readonly wal: WalFlusher | null,
  ) {
    this.connection = new PGliteConnection(pglite, wal);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.release = release;
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const parts = ['begin'];
    if (settings.isolationLevel) parts.push(`isolation level ${settings.isolationLevel}`);
    if (settings.accessMode) parts.push(settings.accessMode);
    await conn.executeQuery(CompiledQuery.raw(parts.join(' ')));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  /**
   * The connection goes to the next request first; then this caller waits until what it wrote is on disk,
   * so a commit is acknowledged only once durable, and commits that arrive meanwhile share one flush.
   */
  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = null;
    release?.();
    await this.wal?.flush();
  }

  async destroy(): Promise<void> {
    await this.queue;
    await this.wal?.flush();
    if (!this.pglite.closed) await this.pglite.close();
    this.wal?.close();
  }
}

export class PGliteDialect implements Dialect {
  /** `wal`: flushes the WAL of an on-disk database before commits are acknowledged (null in memory). */
  constructor(
    private readonly pglite: PGliteClient,
    private readonly wal: WalFlusher | null = null,
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return new PGliteDriver(this.pglite, this.wal);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
