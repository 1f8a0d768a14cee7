// Import jobs started through the admin API: their status, progress and report. The only module that
// writes the table.
import type { DbOrTx } from '../db/database.ts';
import type { ImportJobRow } from '../db/schema.ts';

export async function insertImportJob(
  db: DbOrTx,
  j: { id: string; siteId: string; format: string; createdBy: string },
): Promise<ImportJobRow> {
  return db
    .insertInto('import_jobs')
    .values({ id: j.id, site_id: j.siteId, format: j.format, status: 'running', created_by: j.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateImportProgress(db: DbOrTx, id: string, progress: object): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({ progress: JSON.stringify(progress), updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export async function finishImportJob(
  db: DbOrTx,
  id: string,
  outcome: { status: 'completed' | 'failed'; report: object | null; error: string | null; progress: object },
): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({
      status: outcome.status,
      report: outcome.report ? JSON.stringify(outcome.report) : null,
      error: outcome.error,
      progress: JSON.stringify(outcome.progress),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function findImportJob(db: DbOrTx, siteId: string, id: string): Promise<ImportJobRow | undefined> {
  return db.selectFrom('import_jobs').selectAll().where('site_id', '=', siteId).where('id', '=', id).executeTakeFirst();
}
