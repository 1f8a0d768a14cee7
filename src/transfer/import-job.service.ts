// Imports started through the admin API: the upload is streamed to a temporary file (bounded; a
// larger one is refused with 413 and removed), a job row is written, and the import runs in the
// background of the process that took the upload, writing its progress to the row at most twice a
// second so any API process can answer the status request. The file is removed when it ends.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { ImportJobRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../imports/import.types.ts';
import { parseRemapRules } from '../imports/remap.ts';
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from '../shared/errors.ts';
import { uuidPattern, uuidv7 } from '../shared/ids.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { ImportProgress, ImportService } from './import.service.ts';
import { findImportJob, finishImportJob, insertImportJob, updateImportProgress } from './import-job.repository.ts';

/** Uploads larger than this are refused: 1 GiB, a very large site's WXR export. */
export const MAX_UPLOAD_BYTES = 1024 ** 3;
const PROGRESS_EVERY_MS = 500;

export interface ImportJob {
  id: string;
  siteId: string;
  format: ImportFormat;
  status: 'running' | 'completed' | 'failed';
  progress: Partial<ImportProgress>;
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
    progress: row.progress as Partial<ImportProgress>,
    report: row.report,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Writes the upload to a file of its own, refusing more than `max` bytes. */
async function spool(body: ReadableStream<Uint8Array>, max: number): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'comments-import-'));
  const file = path.join(dir, 'upload');
  let size = 0;
  const bound = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.byteLength;
      if (size > max) done(new PayloadTooLargeError(`The upload must be at most ${max} bytes.`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), bound, createWriteStream(file));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  if (size === 0) {
    await rm(dir, { recursive: true, force: true });
    throw new ValidationError([{ path: '(body)', message: 'is empty: send the export file as the body' }]);
  }
  return { dir, file };
}

export interface ImportJobRequest {
  format: string;
  dryRun?: boolean;
  includePingbacks?: boolean;
  remap?: string;
}

export function createImportJobService(deps: {
  db: Db;
  sites: SiteService;
  imports: ImportService;
  log: Logger;
  maxUploadBytes?: number;
}) {
  const { db } = deps;
  const running = new Set<Promise<void>>();

  async function run(
    id: string,
    siteId: string,
    format: ImportFormat,
    file: string,
    r: ImportJobRequest,
    actor: Actor,
  ) {
    let progress: Partial<ImportProgress> = {};
    let last = 0;
    try {
      const report = await deps.imports.run(siteId, format, file, {
        dryRun: !!r.dryRun,
        includePingbacks: !!r.includePingbacks,
        remap: parseRemapRules(r.remap ?? ''),
        actor,
        onProgress: (p) => {
          progress = p;
          if (Date.now() - last < PROGRESS_EVERY_MS) return;
          last = Date.now();
          void updateImportProgress(db, id, p).catch(() => {});
        },
      });
      await finishImportJob(db, id, { status: 'completed', report, error: null, progress });
    } catch (err) {
      const known = err instanceof AppError;
      if (!known) deps.log.error({ err, jobId: id }, 'import job failed');
      const error = known ? err.message : 'The import failed on the server; see its log.';
      await finishImportJob(db, id, { status: 'failed', report: null, error, progress }).catch(() => {});
    }
  }

  return {
    /** Takes the upload and starts the import; the job (running) is answered at once. */
    async start(actor: Actor, siteId: string, body: ReadableStream<Uint8Array> | null, r: ImportJobRequest) {
      await deps.sites.get(siteId);
      if (!(IMPORT_FORMATS as readonly string[]).includes(r.format)) {
        throw new ValidationError([{ path: 'format', message: `must be one of ${IMPORT_FORMATS.join(', ')}` }]);
      }
      parseRemapRules(r.remap ?? '');
      if (!body) throw new ValidationError([{ path: '(body)', message: 'is empty: send the export file as the body' }]);
      const { dir, file } = await spool(body, deps.maxUploadBytes ?? MAX_UPLOAD_BYTES);
      const job = await insertImportJob(db, {
        id: uuidv7(),
        siteId,
        format: r.format,
        createdBy: `${actor.type}:${actor.id}`,
      });
      const task = run(job.id, siteId, r.format as ImportFormat, file, r, actor).finally(async () => {
        await rm(dir, { recursive: true, force: true });
        running.delete(task);
      });
      running.add(task);
      return view(job);
    },

    async get(siteId: string, id: string): Promise<ImportJob> {
      const row = uuidPattern.test(id) ? await findImportJob(db, siteId, id) : undefined;
      if (!row) throw new NotFoundError(`No import job ${id} on site ${siteId}.`);
      return view(row);
    },

    /** Waits for the imports running in this process (at shutdown). */
    async drain(): Promise<void> {
      await Promise.allSettled([...running]);
    },
  };
}

export type ImportJobService = ReturnType<typeof createImportJobService>;
