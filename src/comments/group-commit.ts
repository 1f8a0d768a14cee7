// Group commit of new comments: submissions whose write arrives while an earlier write is in flight
// are written together, in ONE statement (writeNewComments), when that write returns. A lone comment
// is written at once on its own (no timer, no added latency when the service is quiet); under load a
// statement carries every comment that arrived meanwhile, so the database parses, plans, commits (and,
// embedded, flushes its WAL: pglite-dialect.ts flushes once per statement) once per batch instead of
// once per comment. Each caller gets exactly the outcome its own statement would have given:
// - the batch is written in arrival order (the first of two duplicates wins, as it would one by one);
// - an Idempotency-Key appears at most once per batch (the second write of a key waits for the next);
// - a batch that fails is written again one by one, so a bad comment fails alone and loses nobody else's.
import type { DbOrTx } from '../db/database.ts';
import { type NewComment, type StoredNewComment, storeNewComment, storeNewComments } from './transition.ts';

/** More than this waits for the next statement: bounds the statement's size and the batch's latency. */
const MAX_BATCH = 64;

interface Pending {
  write: NewComment;
  resolve(r: StoredNewComment): void;
  reject(err: unknown): void;
}

export interface GroupCommit {
  store(write: NewComment): Promise<StoredNewComment>;
  /**
   * Comments handed in, statements run for them, comments written by a statement shared with others, and
   * batches that failed and were written again one by one.
   */
  readonly stats: { comments: number; statements: number; batched: number; fallbacks: number };
}

export function createGroupCommit(db: DbOrTx, maxBatch = MAX_BATCH): GroupCommit {
  let waiting: Pending[] = [];
  let busy = false;
  const stats = { comments: 0, statements: 0, batched: 0, fallbacks: 0 };

  const keyOf = (w: NewComment) => (w.claim ? `${w.row.siteId}\u0000${w.claim.key}` : null);

  /** The next batch: in arrival order, one write per key, at most maxBatch; the rest keep waiting. */
  function take(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const keys = new Set<string>();
    for (const p of waiting) {
      const key = keyOf(p.write);
      if (batch.length >= maxBatch || (key !== null && keys.has(key))) rest.push(p);
      else {
        if (key !== null) keys.add(key);
        batch.push(p);
      }
    }
    waiting = rest;
    return batch;
  }

  async function oneByOne(batch: Pending[]): Promise<void> {
    for (const p of batch) {
      stats.statements++;
      try {
        p.resolve(await storeNewComment(db, p.write));
      } catch (err) {
        p.reject(err);
      }
    }
  }

  async function write(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return oneByOne(batch);
    let stored: StoredNewComment[];
    stats.statements++;
    try {
      stored = await storeNewComments(
        db,
        batch.map((p) => p.write),
      );
    } catch {
      stats.fallbacks++;
      // Nothing of the batch was stored (one statement): each again on its own, so only a bad one fails.
      return oneByOne(batch);
    }
    stats.batched += batch.length;
    batch.forEach((p, i) => p.resolve(stored[i]!));
  }

  function pump(): void {
    if (busy || waiting.length === 0) return;
    busy = true;
    void write(take()).finally(() => {
      busy = false;
      pump();
    });
  }

  return {
    stats,
    store(w) {
      stats.comments++;
      return new Promise<StoredNewComment>((resolve, reject) => {
        waiting.push({ write: w, resolve, reject });
        pump();
      });
    },
  };
}
