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

type Responses = NonNullable<NonNullable<Document['paths']>[string]['get']>['responses'];
const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } },
};

/**
 * Answers the app's middleware gives on routes that never mention them: 413 from the body limit on every
 * method that can carry a body (app.ts), 415 on every route that reads JSON, 503 wherever a data store is
 * used (every documented route: each looks up a site or a session). 429 and 503 tell when to retry.
 */
function withCommonAnswers(doc: Document): Document {
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses = op.responses as Responses & Record<string, { description: string; headers?: object }>;
      if (method !== 'get' && method !== 'head')
        responses['413'] ??= { description: 'The body is larger than this route accepts', content: PROBLEM };
      // Only JSON bodies are checked for their media type; the import upload takes any bytes.
      if (op.requestBody && 'content' in op.requestBody && op.requestBody.content['application/json'])
        responses['415'] ??= { description: 'The body is not in a media type this route reads', content: PROBLEM };
      responses['503'] ??= { description: 'A data store is unreachable for now; see Retry-After', content: PROBLEM };
      for (const status of ['429', '503'])
        if (responses[status]) responses[status].headers = { ...RETRY_AFTER, ...responses[status].headers };
    }
  }
  return doc;
}

/** Serves the document, built once on the first request (every route is registered by then). */
export function serveOpenApiDocument(app: OpenAPIHono<AppEnv>, path: string, config: Config): void {
  let doc: Document | undefined;
  app.get(path, (c) => {
    doc ??= withCommonAnswers(withOperationIds(app.getOpenAPI31Document(config)));
    return c.json(doc);
  });
}
