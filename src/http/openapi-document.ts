// The published /openapi.json: the routes' own descriptions plus what client generators need from every operation.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.ts';

type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>;
type Config = Parameters<OpenAPIHono['getOpenAPI31Document']>[0];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `post /api/v1/sites/{siteId}/comments` → `postSitesBySiteIdComments`: unique because method and path are. */
function operationIdFor(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1(?=\/|$)/, '')
    .split(/[/:._-]+/)
    .filter(Boolean)
    .map((part) => (part.startsWith('{') ? `By${capitalise(part.slice(1, -1))}` : capitalise(part)));
  return method + words.join('');
}

/** Generators name their functions after operationId; an operation that sets none gets one from method and path. */
function withOperationIds(doc: Document): Document {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (op && !op.operationId) op.operationId = operationIdFor(method, path);
    }
  }
  return doc;
}

/** Serves the document, built once on the first request (every route is registered by then). */
export function serveOpenApiDocument(app: OpenAPIHono<AppEnv>, path: string, config: Config): void {
  let doc: Document | undefined;
  app.get(path, (c) => {
    doc ??= withOperationIds(app.getOpenAPI31Document(config));
    return c.json(doc);
  });
}
