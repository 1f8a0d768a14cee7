// PGlite on a thread of its own (node:worker_threads). In the embedded mode PostgreSQL (WASM) is most of
// the CPU a POST costs; on the main thread it shares one core with HTTP, the API and the workers. Here the
// database runs on a second core while the main thread answers requests.
//
// The protocol is one statement per message, answered in order: the dialect (pglite-dialect.ts) hands out
// its single connection to one caller at a time, so a transaction's statements arrive one after another as
// they would on the main thread. Durability is unchanged: the worker's PGlite writes the WAL with plain
// write(2) calls before it answers a statement, and the main thread's WalFlusher fdatasyncs the segment
// before a commit is acknowledged. The data directory's lock (data-dir-lock.ts) is the process's, held by
// the main thread; the data directory's modes are kept on this thread's own `fs` too (data-dir.ts).
//
// Failures: an error PostgreSQL reports comes back with its fields (code, constraint, detail…), so callers
// see what they would have seen in-process. If the thread dies, every statement waiting on it and every
// later one fails with SQLSTATE 57P01 (answered 503), as a lost PostgreSQL connection is.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread, type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { narrowChmodsUnder } from './data-dir.ts';
import { inProcess, type PGliteClient, type PGliteResult } from './pglite-dialect.ts';

const MARK = 'comments-pglite-thread';

type Request = { id: number; sql: string; params: unknown[] } | { id: number; close: true };
type SerializedError = Record<string, string | number | boolean | null>;
type Reply = { id: number; result: PGliteResult } | { id: number; error: SerializedError };

/** An error as plain fields (a DatabaseError's code, detail, constraint… are own properties). */
function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: SerializedError = { message: err.message, name: err.name };
  for (const [key, value] of Object.entries(err)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = value;
  }
  return out;
}

function reviveError(fields: SerializedError): Error {
  const { message, ...rest } = fields;
  return Object.assign(new Error(String(message)), rest);
}

// ---- the database's thread ----

function serve(port: MessagePort, dataDir: string | null): void {
  if (dataDir) narrowChmodsUnder(dataDir);
  const pglite = new PGlite(dataDir ?? undefined);
  const query = inProcess(pglite).query;
  const reply = (message: Reply) => {
    try {
      port.postMessage(message);
    } catch (err) {
      // A value structured clone cannot carry: the statement fails instead of the thread.
      port.postMessage({ id: message.id, error: serializeError(err) });
    }
  };
  let chain: Promise<void> = pglite.waitReady.then(
    () => reply({ id: 0, result: { rows: [] } }),
    (err) => reply({ id: 0, error: serializeError(err) }),
  );
  port.on('message', (m: Request) => {
    chain = chain.then(async () => {
      if ('close' in m) {
        if (!pglite.closed) await pglite.close().catch(() => {});
        reply({ id: m.id, result: { rows: [] } });
        port.close();
        return;
      }
      try {
        const r = await query(m.sql, m.params);
        reply({
          id: m.id,
          result: { rows: r.rows, ...(r.affectedRows !== undefined ? { affectedRows: r.affectedRows } : {}) },
        });
      } catch (err) {
        reply({ id: m.id, error: serializeError(err) });
      }
    });
  });
}

if (!isMainThread && (workerData as { mark?: string } | null)?.mark === MARK) {
  serve(parentPort!, (workerData as { dataDir: string | null }).dataDir);
}

// ---- the main thread's side ----

/**
 * The worker runs this very module. From the compiled build that is a .js file Node loads as it is; from
 * the TypeScript sources (tsx, vitest) the worker first registers tsx, a dev dependency, to load it.
 */
function spawnThread(dataDir: string | null): Worker {
  const self = new URL(import.meta.url);
  const options = { workerData: { mark: MARK, dataDir } };
  if (!self.pathname.endsWith('.ts')) return new Worker(self, options);
  // require.resolve finds the CommonJS build of tsx's API; its ES module build sits next to it.
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(self.href)}, ${JSON.stringify(self.href)}))`;
  return new Worker(boot, { ...options, eval: true });
}

export function startPGliteThread(dataDir: string | null): PGliteClient {
  const worker = spawnThread(dataDir);
  const pending = new Map<number, { resolve(r: PGliteResult): void; reject(err: unknown): void }>();
  let nextId = 1;
  let gone: Error | null = null;
  let closed = false;

  // While a statement waits on the thread it keeps the process alive, as an in-process query would; idle,
  // it does not hold the process open (a caller that never closes the database still exits).
  const holdWhileBusy = () => (pending.size > 0 ? worker.ref() : worker.unref());

  const fail = (reason: Error) => {
    gone ??= Object.assign(new Error(`the embedded database's thread stopped: ${reason.message}`), {
      code: '57P01',
    });
    for (const p of pending.values()) p.reject(gone);
    pending.clear();
    holdWhileBusy();
  };
  worker.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    holdWhileBusy();
    if ('error' in m) p.reject(reviveError(m.error));
    else p.resolve(m.result);
  });
  worker.on('error', (err) => fail(err));
  worker.on('exit', (code) => fail(new Error(closed ? 'closed' : `exit code ${code}`)));

  const waitReady = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
    holdWhileBusy();
  });
  // The driver awaits waitReady before any statement; a failed start is reported there, not unhandled.
  waitReady.catch(() => {});

  const send = (request: Omit<Extract<Request, { sql: string }>, 'id'> | { close: true }) =>
    new Promise<PGliteResult>((resolve, reject) => {
      if (gone) return reject(gone);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      holdWhileBusy();
      worker.postMessage({ ...request, id });
    });

  return {
    waitReady,
    get closed() {
      return closed;
    },
    query: <R>(sql: string, params: unknown[]) => send({ sql, params }) as Promise<PGliteResult<R>>,
    async close() {
      if (closed) return;
      try {
        if (!gone) await send({ close: true });
      } finally {
        closed = true;
        await worker.terminate();
      }
    },
  };
}
