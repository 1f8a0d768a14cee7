// Imports started through the admin API. The API process takes the upload and stores it in the
// database in bounded chunks (in production the API and the worker may run on different machines, so
// a temporary file would not do), then queues a job; a worker process runs the import, reading the
// chunks one at a time, and writes its progress to the job row at most twice a second (and a sign of
// life every few seconds), so any API process can answer "how far is it".
// One import at a time per site: while one is uploading, queued or running, another is refused with
// 409 (a unique index, so two API processes cannot both start one). A job whose process died stops
// counting as active once it has shown no sign of life for a while.
// The end of an import (its job row, its audit entry, the upload's removal and the `import.completed`
// event) is one transaction.
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { AuditService } from '../audit/audit.service.ts';
import { type Db, inTransaction, type Tx } from '../db/database.ts';
import type { ImportJobRow } from '../db/schema.ts';
import type { Actor, ActorType } from '../domain/actor.ts';
import type { ImportInput } from '../imports/byte-source.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../imports/import.types.ts';
import { parseRemapRules } from '../imports/remap.ts';
import { type Job, type Producer, RetryLaterError } from '../jobs/job-queue.ts';
import { AppError, ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../shared/errors.ts';
import { uuidPattern, uuidv7 } from '../shared/ids.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { ImportOptions, ImportProgress, ImportReport, ImportService } from './import.service.ts';
import {
  claimImportJob,
  deleteImportJob,
  deleteUploadChunks,
  deleteUploadsOfEndedImports,
  failStaleImports,
  findImportJob,
  findUploadChunk,
  finishImportJob,
  importJobStatus,
  insertImportJob,
  insertUploadChunk,
  markImportQueued,
  updateImportProgress,
} from './import-job.repository.ts';

/** Uploads larger than this are refused: 1 GiB, a very large site's WXR export. */
export const MAX_UPLOAD_BYTES = 1024 ** 3;
const PROGRESS_EVERY_MS = 500;
/** Stored chunks of the upload: what the API holds in memory while storing, and the worker while reading. */
const CHUNK_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 10_000;
/** An active job silent for this long belongs to a process that died: it no longer locks its site. */
const STALE_MS = 10 * 60_000;

type JobStatus = ImportJobRow['status'];

export interface JobProgress extends Partial<ImportProgress> {
  /** Comments read per second since the worker started. */
  rate?: number;
  startedAt?: string;
}

export interface ImportJob {
  id: string;
  siteId: string;
  format: ImportFormat;
  status: JobStatus;
  progress: JobProgress;
  report: Record<string, unknown> | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

function view(row: ImportJobRow): ImportJob {
  return {
    id: row.id,
    siteId: row.site_id,
    format: row.format as ImportFormat,
    status: row.status,
    progress: row.progress as JobProgress,
    report: row.report,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface ImportJobRequest {
  format: string;
  dryRun?: boolean;
  includePingbacks?: boolean;
  remap?: string;
}

/** What the worker needs of the request, kept on the job row. */
interface StoredOptions {
  dryRun: boolean;
  includePingbacks: boolean;
  remap: string;
  actor: Actor;
}

export function createImportJobService(deps: {
  db: Db;
  sites: SiteService;
  imports: ImportService;
  audit: AuditService;
  producer: () => Producer;
  log: Logger;
  maxUploadBytes?: number;
}) {
  const { db } = deps;

  /** Stores the upload chunk by chunk, refusing more than `max` bytes; returns its size. */
  async function store(jobId: string, body: ReadableStream<Uint8Array>, max: number): Promise<number> {
    let size = 0;
    let seq = 0;
    let parts: Uint8Array[] = [];
    let held = 0;
    const flush = async () => {
      if (held === 0) return;
      await insertUploadChunk(db, jobId, seq++, Buffer.concat(parts, held));
      parts = [];
      held = 0;
    };
    const reader = body.getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        size += next.value.byteLength;
        if (size > max) throw new PayloadTooLargeError(`The upload must be at most ${max} bytes.`);
        parts.push(next.value);
        held += next.value.byteLength;
        if (held >= CHUNK_BYTES) await flush();
      }
      await flush();
    } finally {
      reader.releaseLock();
    }
    if (size === 0)
      throw new ValidationError([{ path: '(body)', message: 'is empty: send the export file as the body' }]);
    return size;
  }

  /** The stored upload as a stream, one chunk in memory at a time. */
  function upload(jobId: string): Readable {
    return Readable.from(
      (async function* () {
        for (let seq = 0; ; seq++) {
          const chunk = await findUploadChunk(db, jobId, seq);
          if (!chunk) return;
          yield chunk;
        }
      })(),
    );
  }

  /**
   * The job's row, taken as the site's import lock, and its start in the audit log (who, which site,
   * which format) in one transaction: an import whose end never comes (an upload no worker reached, a
   * process that died) is still on record. Undefined when another import holds the site.
   */
  async function begin(actor: Actor, job: Parameters<typeof insertImportJob>[1], dryRun: boolean) {
    return inTransaction(db, async (tx) => {
      const row = await insertImportJob(tx, job);
      if (row)
        await deps.audit.withTx(tx).record(actor, {
          action: 'import.start',
          siteId: row.site_id,
          target: { type: 'import', id: row.id },
          details: { format: row.format, dryRun },
        });
      return row;
    });
  }

  /** The job's end: its row, its audit entry and the upload's removal, in the caller's transaction. */
  async function finish(
    tx: Tx,
    row: ImportJobRow,
    actor: Actor,
    outcome: { report: ImportReport | null; error: string | null; progress: JobProgress },
  ) {
    const status = outcome.report ? 'completed' : 'failed';
    await finishImportJob(tx, row.id, { status, ...outcome });
    await deleteUploadChunks(tx, row.id);
    const r = outcome.report;
    await deps.audit.withTx(tx).record(actor, {
      action: r ? 'import.complete' : 'import.fail',
      siteId: row.site_id,
      target: { type: 'import', id: row.id },
      details: r
        ? {
            format: r.format,
            dryRun: r.dryRun,
            articles: r.articles,
            comments: r.comments,
            skipped: r.skipped,
            orphans: r.orphans,
          }
        : { format: row.format, error: outcome.error, commentsRead: outcome.progress.comments ?? 0 },
    });
  }

  /**
   * Runs the job's import here, with its progress and signs of life on the row; its end (completed
   * or failed) is recorded and audited. A failure is thrown on after it is recorded.
   */
  async function execute(row: ImportJobRow, actor: Actor, input: ImportInput, options: ImportOptions) {
    const started = Date.now();
    let progress: JobProgress = { startedAt: new Date(started).toISOString(), totalBytes: row.total_bytes };
    let last = 0;
    const heartbeat = setInterval(() => void updateImportProgress(db, row.id, null).catch(() => {}), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      return await deps.imports.run(row.site_id, row.format as ImportFormat, input, {
        ...options,
        actor,
        onProgress: (p) => {
          options.onProgress?.(p);
          const seconds = Math.max((Date.now() - started) / 1000, 0.001);
          const totalBytes = row.total_bytes ?? p.totalBytes;
          progress = { ...progress, ...p, totalBytes, rate: Math.round(p.comments / seconds) };
          if (Date.now() - last < PROGRESS_EVERY_MS) return;
          last = Date.now();
          void updateImportProgress(db, row.id, progress).catch(() => {});
        },
        onCompleted: (tx, report) => finish(tx, row, actor, { report, error: null, progress }),
      });
    } catch (err) {
      const known = err instanceof AppError;
      if (!known) deps.log.error({ err, jobId: row.id }, 'import job failed');
      const error = known ? err.message : 'The import failed on the server; see its log.';
      await inTransaction(db, (tx) => finish(tx, row, actor, { report: null, error, progress }));
      throw err;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** The worker's side: runs one queued import. */
  async function process(job: Job): Promise<void> {
    const id = String(job.data.jobId);
    const row = await claimImportJob(db, id, STALE_MS);
    if (!row) {
      // Another worker has it (the queue handed the job on while it still runs): look again later.
      if ((await importJobStatus(db, id)) === 'running') {
        throw new RetryLaterError(`import ${id} is running in another worker`, STALE_MS);
      }
      return; // ended (or gone with its site)
    }
    const stored = row.options as unknown as StoredOptions;
    const actor: Actor = { type: stored.actor.type as ActorType, id: stored.actor.id };
    const options = {
      dryRun: stored.dryRun,
      includePingbacks: stored.includePingbacks,
      remap: parseRemapRules(stored.remap),
    };
    // The outcome is on the job row (failed, with the reason): the queue's job itself is done.
    await execute(row, actor, upload(id), options).catch(() => {});
  }

  function refuseBusy(siteId: string): never {
    throw new ConflictError(`An import into site ${siteId} is already running; start this one when it has ended.`, {
      code: 'import_running',
    });
  }

  return {
    /** Takes the upload, stores it and queues the import; answers the job (queued) at once. */
    async start(actor: Actor, siteId: string, body: ReadableStream<Uint8Array> | null, r: ImportJobRequest) {
      await deps.sites.get(siteId);
      if (!(IMPORT_FORMATS as readonly string[]).includes(r.format)) {
        throw new ValidationError([{ path: 'format', message: `must be one of ${IMPORT_FORMATS.join(', ')}` }]);
      }
      parseRemapRules(r.remap ?? '');
      if (!body) throw new ValidationError([{ path: '(body)', message: 'is empty: send the export file as the body' }]);
      const options: StoredOptions = {
        dryRun: !!r.dryRun,
        includePingbacks: !!r.includePingbacks,
        remap: r.remap ?? '',
        actor: { type: actor.type, id: actor.id },
      };
      const created = await begin(
        actor,
        {
          id: uuidv7(),
          siteId,
          format: r.format,
          createdBy: `${actor.type}:${actor.id}`,
          options,
          staleMs: STALE_MS,
          status: 'uploading',
        },
        options.dryRun,
      );
      if (!created) {
        await body.cancel().catch(() => {});
        refuseBusy(siteId);
      }
      let job: ImportJobRow;
      try {
        const size = await store(created.id, body, deps.maxUploadBytes ?? MAX_UPLOAD_BYTES);
        job = await markImportQueued(db, created.id, size);
        await deps.producer().add('imports', 'import', { jobId: job.id }, { jobId: `import-${job.id}` });
      } catch (err) {
        await deleteImportJob(db, created.id).catch(() => {});
        throw err;
      }
      return view(job);
    },

    async get(siteId: string, id: string): Promise<ImportJob> {
      const row = uuidPattern.test(id) ? await findImportJob(db, siteId, id) : undefined;
      if (!row) throw new NotFoundError(`No import job ${id} on site ${siteId}.`);
      return view(row);
    },

    /**
     * An import run here and now (the CLI's): it takes the site's import lock as an upload does (a
     * second import while one runs is refused), shows as a job, and its end is audited.
     */
    async runHere(
      actor: Actor,
      siteId: string,
      format: ImportFormat,
      input: ImportInput,
      options: Omit<ImportOptions, 'actor' | 'onCompleted'>,
    ): Promise<ImportReport> {
      await deps.sites.get(siteId);
      const row = await begin(
        actor,
        {
          id: uuidv7(),
          siteId,
          format,
          createdBy: `${actor.type}:${actor.id}`,
          options: {
            dryRun: !!options.dryRun,
            includePingbacks: !!options.includePingbacks,
            remap: '',
            actor: { type: actor.type, id: actor.id },
          } satisfies StoredOptions,
          staleMs: STALE_MS,
          status: 'running',
        },
        !!options.dryRun,
      );
      if (!row) refuseBusy(siteId);
      return execute(row, actor, input, options);
    },

    process,

    /**
     * Maintenance: imports whose process died are failed, and every upload an ended import left
     * behind is deleted (the file holds every commenter's address and IP).
     */
    async purgeUploads(): Promise<Record<string, number>> {
      return {
        abandonedImports: await failStaleImports(db, STALE_MS),
        uploadChunks: await deleteUploadsOfEndedImports(db),
      };
    },
  };
}

export type ImportJobService = ReturnType<typeof createImportJobService>;
