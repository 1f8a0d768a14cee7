// Writes a batch of imported comments as ONE statement: the comments and their first moderation-log
// rows. Imported comments emit no lifecycle events (their history happened elsewhere; the import
// announces itself once, with its counts) and the article counters are recounted when it ends.
// Each table's SQL comes from the module that owns it; this module only puts them together.
import { sql } from 'kysely';
import { type DbOrTx, inTransaction } from '../db/database.ts';
import type { ActorType } from '../domain/actor.ts';
import { type ImportedCommentRow, insertImportedReturning } from './comment.repository.ts';
import { insertImportLogRowsFrom } from './moderation-log.repository.ts';

export type { ImportedCommentRow, ThreadPlace } from './comment.repository.ts';
export { findImportedPlaces } from './comment.repository.ts';

/** Stores the rows not already there; returns how many were stored. */
export async function writeImportedComments(
  db: DbOrTx,
  siteId: string,
  rows: ImportedCommentRow[],
  log: { actorType: ActorType; actorId: string; note: string },
): Promise<number> {
  if (rows.length === 0) return 0;
  return inTransaction(db, async (tx) => {
    // The batch's commit does not wait for its WAL flush (the database stays consistent; a crash may
    // lose the last batches, which a re-run of the file imports). Saves a disk flush per batch.
    await sql`set local synchronous_commit = off`.execute(tx);
    const { rows: result } = await sql<{ written: number }>`
      with stored as (${insertImportedReturning(siteId, rows)}),
           logged as (${insertImportLogRowsFrom('stored', { siteId, ...log })})
      select (select count(*) from stored)::int as written`.execute(tx);
    return result[0]!.written;
  });
}
