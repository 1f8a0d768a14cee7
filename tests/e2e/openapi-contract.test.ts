// /openapi.json as third-party tools read it: a validator, a client generator and the TypeScript compiler.
// (Mode-independent: the document does not depend on the database; runs once.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite, submit } from '../support/http.ts';
import { testDb } from '../support/stores.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

type Json = any;

let ctx: TestContext;
let doc: Json;
beforeAll(async () => {
  ctx = await createTestContext();
  doc = await (await ctx.app.request('/openapi.json')).json();
});
afterAll(() => ctx?.close());

function collectPatterns(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const v of node) collectPatterns(v, out);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === 'pattern' && typeof v === 'string') out.push(v);
      else collectPatterns(v, out);
    }
  return out;
}

/** A client written against the generated types: it must compile, with the request and answer shapes it uses. */
const CLIENT = `import type { components, operations, paths } from './api.ts';
type Submit = paths['/api/v1/sites/{siteId}/comments']['post'];
type Body = NonNullable<Submit['requestBody']>['content']['application/json'];
type Problem = components['schemas']['Problem'];
export async function submitComment(base: string, siteId: string, body: Body): Promise<Problem | null> {
  const res = await fetch(\`\${base}/api/v1/sites/\${encodeURIComponent(siteId)}/comments\`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (res.ok) return null;
  const problem = (await res.json()) as Problem;
  const tagged: string | undefined = problem.code ?? problem.requestId;
  return tagged === undefined ? problem : { ...problem, detail: \`\${problem.detail} (\${tagged})\` };
}
export const reply: Body = { articleId: 'a-1', name: 'Ann', email: 'ann@example.com', body: 'Hi', parentId: '0190' };
export type SubmitOperation = operations['postSitesBySiteIdComments'];
`;

describe.skipIf(testDb() !== 'pglite')('the OpenAPI document', () => {
  it('is valid for swagger-parser: every $ref resolves and the structure matches OpenAPI 3.1', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it('has patterns that are ECMAScript regexes without flags, and a real comment id matches parentId', async () => {
    const patterns = collectPatterns(doc);
    expect(patterns.length).toBeGreaterThan(0);
    for (const p of patterns) expect(() => new RegExp(p, 'u'), p).not.toThrow();
    await createSite(ctx, 'oas');
    const posted = await submit(ctx, 'oas');
    const parentId = doc.components.schemas.CommentInput.properties.parentId;
    const pattern = parentId.pattern ?? parentId.anyOf?.find((s: Json) => s.pattern)?.pattern;
    expect(new RegExp(pattern, 'u').test(posted.body.id)).toBe(true);
  });

  it('publishes one Problem schema with code and requestId, and an operationId on every operation', () => {
    expect(Object.keys(doc.components.schemas.Problem.properties)).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'requestId']),
    );
    const ids: string[] = [];
    for (const item of Object.values<Json>(doc.paths))
      for (const op of Object.values<Json>(item))
        if (op && typeof op === 'object' && 'responses' in op) ids.push(op.operationId);
    expect(ids.length).toBeGreaterThan(30);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('generates a client with openapi-typescript that compiles with tsc', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oas-client-'));
    try {
      writeFileSync(path.join(dir, 'api.ts'), astToString(await openapiTS(structuredClone(doc))));
      writeFileSync(path.join(dir, 'client.ts'), CLIENT);
      const program = ts.createProgram([path.join(dir, 'client.ts')], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        allowImportingTsExtensions: true,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: [],
      });
      const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
