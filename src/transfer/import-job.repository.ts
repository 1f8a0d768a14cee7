// Import jobs started through the admin API: their status, progress and report, and the uploaded file
// in chunks. The only module that writes these tables.
import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { ImportJobRow } from '../db/schema.ts';

type ActiveStatus = 'uploading' | 'queued' | 'running';

/**
 * The job, as 'uploading' (or 'running'), unless another import of the site is active (the partial unique index):
 * then undefined. An active job that has shown no sign of life for `staleMs` (its process died) is
 * failed first, so a crash never locks a site for good.
 */
export async function insertImportJob(
  db: DbOrTx,
  j: {
    id: string;
    siteId: string;
    format: string;
    createdBy: string;
    options: object;
    staleMs: number;
    /** 'running' for an import run at once by the process that asks (the CLI). */
    status: 'uploading' | 'running';
  },
): Promise<ImportJobRow | undefined> {
  await failStaleImports(db, j.staleMs, j.siteId);
  return db
    .insertInto('import_jobs')
    .values({
      id: j.id,
      site_id: j.siteId,
      format: j.format,
      status: j.status,
      created_by: j.createdBy,
      options: JSON.stringify(j.options),
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * Active jobs silent for `staleMs` (their process died) become failed, and their stored upload (every
 * commenter's address and IP) goes with them; one site's, or every site's (maintenance). Returns how many.
 */
export async function failStaleImports(db: DbOrTx, staleMs: number, siteId?: string): Promise<number> {
  let query = db
    .updateTable('import_jobs')
    .set({ status: 'failed', error: 'Abandoned: the process running it stopped.', updated_at: new Date() })
    .where('status', 'in', ['uploading', 'queued', 'running'])
    .where('updated_at', '<', new Date(Date.now() - staleMs));
  if (siteId !== undefined) query = query.where('site_id', '=', siteId);
  const failed = await query.returning('id').execute();
  if (failed.length > 0)
    await db
      .deleteFrom('import_upload_chunks')
      .where(
        'job_id',
        'in',
        failed.map((f) => f.id),
      )
      .execute();
  return failed.length;
}

/** The stored uploads of imports that have ended (left behind by an older version or a crash); one site's or all. */
export async function deleteUploadsOfEndedImports(db: DbOrTx, siteId?: string): Promise<number> {
  let ended = db.selectFrom('import_jobs').select('id').where('status', 'in', ['completed', 'failed']);
  if (siteId !== undefined) ended = ended.where('site_id', '=', siteId);
  const result = await db.deleteFrom('import_upload_chunks').where('job_id', 'in', ended).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertUploadChunk(db: DbOrTx, jobId: string, seq: number, data: Uint8Array): Promise<void> {
  await db.insertInto('import_upload_chunks').values({ job_id: jobId, seq, data }).execute();
  await db.updateTable('import_jobs').set({ updated_at: new Date() }).where('id', '=', jobId).execute();
}

/** One chunk of the upload (the next one to read), or undefined past the end. */
export async function findUploadChunk(db: DbOrTx, jobId: string, seq: number): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('import_upload_chunks')
    .select('data')
    .where('job_id', '=', jobId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.data;
}

export async function deleteUploadChunks(db: DbOrTx, jobId: string): Promise<void> {
  await db.deleteFrom('import_upload_chunks').where('job_id', '=', jobId).execute();
}

export async function deleteImportJob(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('import_jobs').where('id', '=', id).execute();
}

export async function markImportQueued(db: DbOrTx, id: string, totalBytes: number): Promise<ImportJobRow> {
  return db
    .updateTable('import_jobs')
    .set({ status: 'queued', total_bytes: totalBytes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A worker takes the job: a queued one, or a running one whose worker stopped showing signs of life
 * (it died; the queue handed the job on). Undefined when another worker has it or it has ended.
 */
export async function claimImportJob(db: DbOrTx, id: string, staleMs: number): Promise<ImportJobRow | undefined> {
  return db
    .updateTable('import_jobs')
    .set({ status: 'running', updated_at: new Date() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'queued'),
        eb.and([eb('status', '=', 'running'), eb('updated_at', '<', new Date(Date.now() - staleMs))]),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
}

export async function importJobStatus(db: DbOrTx, id: string): Promise<ImportJobRow['status'] | undefined> {
  const row = await db.selectFrom('import_jobs').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status;
}

/** Progress, and a sign of life (a heartbeat without a new value keeps the old one). */
export async function updateImportProgress(db: DbOrTx, id: string, progress: object | null): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({ ...(progress ? { progress: JSON.stringify(progress) } : {}), updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'running' satisfies ActiveStatus)
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

/**
 * Erasure: a job's stored error may quote the file it read (a line, a name, an address), so the
 * site's job errors lose these values. Returns how many jobs changed; safe to run twice.
 */
export async function scrubImportJobErrors(
  db: DbOrTx,
  siteId: string,
  needles: readonly string[],
  scrub: (text: string) => string,
): Promise<number> {
  const found = needles.filter((n) => n.trim() !== '');
  if (found.length === 0) return 0;
  const rows = await db
    .selectFrom('import_jobs')
    .select(['id', 'error'])
    .where('site_id', '=', siteId)
    .where('error', 'is not', null)
    .where((eb) => eb.or(found.map((n) => sql<boolean>`strpos(lower(error), lower(${n})) > 0`)))
    .execute();
  let changed = 0;
  for (const r of rows) {
    const error = scrub(r.error!);
    if (error === r.error) continue;
    await db.updateTable('import_jobs').set({ error }).where('id', '=', r.id).execute();
    changed++;
  }
  return changed;
}
