// /api/v1/admin/sites/{siteId}/imports and /export: admins move a site's comments in and out.
// The upload is the export file itself as the request body (any content type; gzip is recognised),
// streamed into the database under its own limit (the API's 64 KiB body limit does not apply to this
// route), and imported by a worker.
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { stream } from 'hono/streaming';
import { type AuthDeps, requireAuth } from '../auth/auth.middleware.ts';
import { actorOf, requireAdmin } from '../domain/principal.ts';
import type { AppEnv } from '../http/app-env.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, isoDate, problem, signedIn } from '../http/openapi-common.ts';
import { IMPORT_FORMATS } from '../imports/import.types.ts';
import { EXPORT_FORMATS, type ExportService } from './export.service.ts';
import { type ImportJobService, MAX_UPLOAD_BYTES } from './import-job.service.ts';

/** The upload route, which the app exempts from its general body limit. */
export const IMPORT_UPLOAD_PATH = /^\/api\/v1\/admin\/sites\/[^/]+\/imports$/;

const flag = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');

const jobSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    format: z.enum(IMPORT_FORMATS),
    status: z.enum(['uploading', 'queued', 'running', 'completed', 'failed']).openapi({
      description:
        'uploading (the file is being stored), queued (waiting for a worker), running, then completed or failed.',
    }),
    progress: z
      .object({
        comments: z.number().int().optional(),
        bytes: z.number().int().nullable().optional(),
        totalBytes: z.number().int().nullable().optional(),
        rate: z.number().int().optional().openapi({ description: 'Comments read per second.' }),
        startedAt: isoDate.optional(),
      })
      .openapi({ description: 'Comments read and bytes read so far (of the total, when known), and the rate.' }),
    report: z.record(z.string(), z.unknown()).nullable().openapi({
      description: 'When completed: articles created and found, comments imported, already there, skipped.',
    }),
    error: z.string().nullable().openapi({ description: 'When failed: why, with the line of the file.' }),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('ImportJob');

const siteParam = z.object({ siteId: z.string() });

const uploadRoute = createRoute({
  method: 'post',
  path: '/sites/{siteId}/imports',
  tags: ['Admin'],
  summary: 'Upload an export file and start importing it',
  description: `The body is the file (WordPress WXR, Disqus XML, Isso's SQLite database, a Remark42 backup or our own JSON lines export; gzipped or not), at most ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB. The file is stored in the database and a worker process imports it: answers 202 with the job (queued); follow it with GET …/imports/{jobId}. One import at a time per site: another one while it runs is refused with 409. Idempotent: a second import of the same file adds nothing.`,
  security: signedIn,
  request: {
    params: siteParam,
    query: z.object({
      format: z.enum(IMPORT_FORMATS),
      dryRun: flag.openapi({ description: 'Check and count, write nothing.' }),
      includePingbacks: flag,
      remap: z.string().max(100_000).optional().openapi({ description: 'URL rules "old => new", one a line.' }),
    }),
    body: {
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
      required: true,
    },
  },
  responses: {
    202: { description: 'The job, running', content: { 'application/json': { schema: z.object({ job: jobSchema }) } } },
    ...authProblems,
    404: problem('No such site'),
    409: problem('Another import into this site is running'),
    413: problem('The file is larger than the limit'),
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/sites/{siteId}/imports/{jobId}',
  tags: ['Admin'],
  summary: "An import job's status and progress",
  security: signedIn,
  request: { params: z.object({ siteId: z.string(), jobId: z.string() }) },
  responses: {
    200: { description: 'The job', content: { 'application/json': { schema: z.object({ job: jobSchema }) } } },
    ...authProblems,
    404: problem('No such site or job'),
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/sites/{siteId}/export',
  tags: ['Admin'],
  summary: "Download the site's articles and comments",
  description:
    'Streamed. `jsonl` (our format) holds everything needed to restore the site here, personal data included; `wxr` is WordPress WXR 1.2.',
  security: signedIn,
  request: {
    params: siteParam,
    query: z.object({ format: z.enum(EXPORT_FORMATS).default('jsonl'), articleId: z.string().max(200).optional() }),
  },
  responses: {
    200: {
      description: 'The export file',
      content: {
        'application/x-ndjson': { schema: z.string() },
        'application/xml': { schema: z.string() },
      },
    },
    ...authProblems,
    404: problem('No such site or article'),
  },
});

const adminOnly: MiddlewareHandler<AppEnv> = async function adminOnly(c, next) {
  requireAdmin(c.get('principal'));
  await next();
};

export function transferRoutes(deps: AuthDeps & { importJobs: ImportJobService; exports: ExportService }) {
  const app = openApiRouter();
  app.use('/sites/:siteId/imports', requireAuth(deps), adminOnly);
  app.use('/sites/:siteId/imports/*', requireAuth(deps), adminOnly);
  app.use('/sites/:siteId/export', requireAuth(deps), adminOnly);
  app.openapi(uploadRoute, async (c) => {
    const { siteId } = c.req.valid('param');
    const job = await deps.importJobs.start(actorOf(c.get('principal')), siteId, c.req.raw.body, c.req.valid('query'));
    return c.json({ job }, 202);
  });
  app.openapi(statusRoute, async (c) => {
    const { siteId, jobId } = c.req.valid('param');
    return c.json({ job: await deps.importJobs.get(siteId, jobId) }, 200);
  });
  app.openapi(exportRoute, async (c) => {
    const { siteId } = c.req.valid('param');
    const { format, articleId } = c.req.valid('query');
    const exported = await deps.exports.open(siteId, { format, ...(articleId !== undefined ? { articleId } : {}) });
    c.header('content-type', `${exported.contentType}; charset=utf-8`);
    c.header('content-disposition', `attachment; filename="${exported.filename}"`);
    return stream(c, async (out) => {
      for await (const chunk of exported.chunks) await out.write(chunk);
    }) as never;
  });
  return app;
}
