// Frozen in time: this file must never import application code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // An upload is stored while it arrives ('uploading'), then waits for a worker ('queued').
  await sql`alter table import_jobs drop constraint if exists import_jobs_status_check`.execute(db);
  await sql`alter table import_jobs add constraint import_jobs_status_check
            check (status in ('uploading', 'queued', 'running', 'completed', 'failed'))`.execute(db);
  await db.schema
    .alterTable('import_jobs')
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.alterTable('import_jobs').addColumn('total_bytes', 'bigint').execute();
  // One import at a time per site: a second one is refused while the first is in any active state.
  await sql`create unique index import_jobs_one_active_idx on import_jobs (site_id)
            where status in ('uploading', 'queued', 'running')`.execute(db);
  // The uploaded file, in the database so a worker on another machine can read it; in bounded chunks
  // (written and read one at a time), deleted when the import ends.
  await db.schema
    .createTable('import_upload_chunks')
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('import_jobs.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_upload_chunks_pk', ['job_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_upload_chunks').ifExists().execute();
  await sql`drop index if exists import_jobs_one_active_idx`.execute(db);
  await db.schema.alterTable('import_jobs').dropColumn('total_bytes').execute();
  await db.schema.alterTable('import_jobs').dropColumn('options').execute();
  await sql`update import_jobs set status = 'failed' where status in ('uploading', 'queued')`.execute(db);
  await sql`alter table import_jobs drop constraint if exists import_jobs_status_check`.execute(db);
  await sql`alter table import_jobs add constraint import_jobs_status_check
            check (status in ('running', 'completed', 'failed'))`.execute(db);
}
