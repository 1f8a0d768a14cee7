// Named prepared statements for PGlite, as named-statements.ts gives them to pg. PGlite's query() sends
// every statement through Parse, Describe, Bind, Describe, Execute and Sync, six calls into the WASM
// PostgreSQL, and PostgreSQL parses and plans the text each time. A text seen twice (the same policy and
// cap as on PostgreSQL) is parsed once under a name instead, and each run is one call: Bind, Execute, Sync.
// The answer is PGlite's own parse of the messages, with the statement's row description, so rows, types
// and errors are what query() returns.
//
// A table altered after a statement was prepared on it can make PostgreSQL refuse the statement (SQLSTATE
// 0A000, "cached plan must not change result type"): the text is then run unnamed from then on, at once
// outside a transaction; inside one the error stands (the transaction is aborted), as with pg.
import { type PGlite, parse, protocol, type Results } from '@electric-sql/pglite';
import { createStatementNames } from './named-statements.ts';

type Message = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number];

interface Prepared {
  paramTypes: number[];
  /** The statement's RowDescription (none for a statement that returns no rows). */
  description: Message[];
}

const isStalePlan = (err: unknown) =>
  (err as { code?: string }).code === '0A000' && /cached plan/.test((err as Error).message);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function preparedQueries(pglite: PGlite): <R>(sql: string, params: unknown[]) => Promise<Results<R>> {
  const names = createStatementNames();
  const prepared = new Map<string, Prepared>();
  /** Texts whose prepared plan went stale: unnamed from then on. */
  const unnamed = new Set<string>();
  const { serialize } = protocol;

  async function prepare(name: string, text: string): Promise<Prepared> {
    const { messages } = await pglite.execProtocol(
      concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const p = {
      paramTypes: parse.parseDescribeStatementResults(messages),
      description: messages.filter((m) => m.name === 'rowDescription'),
    };
    prepared.set(name, p);
    return p;
  }

  /** Undefined when the plan went stale outside a transaction: the caller runs the text unnamed. */
  async function runNamed<R>(name: string, text: string, params: unknown[]): Promise<Results<R> | undefined> {
    await pglite.waitReady;
    return pglite._runExclusiveQuery(async () => {
      const p = prepared.get(name) ?? (await prepare(name, text));
      const values = params.map((v, i) => {
        if (v === null || v === undefined) return null;
        const serializer = pglite.serializers[p.paramTypes[i]!];
        return serializer ? serializer(v) : String(v);
      });
      try {
        const { messages } = await pglite.execProtocol(
          concat([serialize.bind({ statement: name, values }), serialize.execute({}), serialize.sync()]),
          { syncToFs: false },
        );
        if (!pglite.isInTransaction()) await pglite.syncToFs();
        return parse.parseResults([...p.description, ...messages], pglite.parsers, {
          rowMode: 'object',
        })[0] as Results<R>;
      } catch (err) {
        if (!isStalePlan(err)) throw Object.assign(err as Error, { query: text, params });
        // Never named again (the old statement stays allocated, unused: a few bytes).
        prepared.delete(name);
        unnamed.add(text);
        if (pglite.isInTransaction()) throw err;
        return undefined;
      }
    });
  }

  return async <R>(text: string, params: unknown[]) => {
    const name = unnamed.has(text) ? undefined : names.nameOf(text, params.length);
    const result = name === undefined ? undefined : await runNamed<R>(name, text, params);
    return result ?? pglite.query<R>(text, params, { rowMode: 'object' });
  };
}
