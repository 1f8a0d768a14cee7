// /openapi.json as third-party tools read it: a validator, a client generator and the TypeScript compiler.
// (Mode-independent: the document does not depend on the database; runs once.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { EVENT_TYPES } from '../../src/domain/event-types.ts';
import { problemBody } from '../../src/http/problem.ts';
import { problemTypes } from '../../src/http/problem-types.ts';
import { api, bearer, createUser, signIn, tokenFor } from '../support/accounts.ts';
import { approve, call, commentInput, createSite, postForm, postJson, submit } from '../support/http.ts';
import { testDb } from '../support/stores.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';

type Json = any;

let ctx: TestContext;
let doc: Json;
beforeAll(async () => {
  ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { webhookScheduleMs: [150, 150, 150] });
  doc = await (await ctx.app.request('/openapi.json')).json();
});
afterAll(() => ctx?.close());

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
function operations(): { method: string; path: string; op: Json }[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })),
  );
}

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

  it('documents one webhook per event type with the Standard Webhooks headers, and real deliveries validate against it', async () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) {
      const headers = doc.webhooks[type].post.parameters.filter((p: Json) => p.in === 'header' && p.required);
      expect(headers.map((p: Json) => p.name).sort(), type).toEqual([
        'webhook-id',
        'webhook-signature',
        'webhook-timestamp',
      ]);
    }
    const resolved: Json = await SwaggerParser.dereference(structuredClone(doc));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validators = new Map(
      EVENT_TYPES.map((t) => [
        t,
        ajv.compile(resolved.webhooks[t].post.requestBody.content['application/json'].schema),
      ]),
    );

    const receiver: Receiver = await startReceiver();
    try {
      await ctx.container.startWorkers();
      await createSite(ctx, 'hooks', { moderation: 'all' });
      await ctx.container.webhooks.create('hooks', { url: `${receiver.url}/personal`, includePersonalData: true });
      await ctx.container.webhooks.create('hooks', { url: `${receiver.url}/public`, includePersonalData: false });
      // Every event type: a comment walked through every status, an article's controls, then an import.
      const posted = await submit(ctx, 'hooks', { body: 'A comment that waits for a moderator' });
      expect(posted.status).toBe(201);
      const id = posted.body.id;
      const cli = { type: 'cli' as const, id: 'test' };
      await approve(ctx, id);
      for (const to of ['rejected', 'spam', 'pending'] as const) await ctx.container.moderation.setStatus(id, to, cli);
      // Reader reports: an illegal-content notice queues a published comment at once; a moderator dismisses it.
      const reported = await submit(ctx, 'hooks', { body: 'A comment a reader reports' });
      await approve(ctx, reported.body.id);
      const notice = await postJson(ctx, `/api/v1/sites/hooks/comments/${reported.body.id}/reports`, {
        reason: 'illegal',
        law: 'StGB 130',
        explanation: 'Incites hatred.',
        reporterName: 'Ann Notifier',
        reporterEmail: 'ann@notify.example',
        goodFaith: true,
      });
      expect(notice.status, notice.text).toBe(202);
      const moderator = await tokenFor(ctx, await createUser(ctx, 'oas-hooks@example.com', 'admin'));
      const dismissed = await api(
        ctx,
        'POST',
        `/api/v1/moderation/comments/${reported.body.id}/reports/dismiss`,
        bearer(moderator),
        {},
      );
      expect(dismissed.status, dismissed.text).toBe(200);
      // An article closed, reopened and put on pre-moderation by a moderator of the site.
      const editor = await tokenFor(ctx, await createUser(ctx, 'oas-articles@example.com', 'moderator', ['hooks']));
      for (const change of [{ closed: true }, { closed: false }, { moderation: 'all' }]) {
        const res = await api(
          ctx,
          'PATCH',
          '/api/v1/moderation/sites/hooks/articles/article-1',
          bearer(editor),
          change,
        );
        expect(res.status, res.text).toBe(200);
      }
      // Deleting erases the author's data from what is sent after, so the personal variant is seen first.
      await receiver.waitFor(
        (r) => new Set(r.filter((x) => x.json?.type === 'comment.pending').map((x) => x.path)).size === 2,
        60_000,
      );
      await ctx.container.erasure.eraseComment(cli, id);
      const imported = await runCli(
        ['import', '--site', 'hooks', '--format', 'wxr', path.resolve('tests/fixtures/imports/wordpress-1.2.wxr.xml')],
        ctx.container,
        { out: () => {}, err: () => {} },
      );
      expect(imported).toBe(0);
      const expected = ['/personal', '/public'].flatMap((p) => EVENT_TYPES.map((t) => `${p} ${t}`)).sort();
      const seen = (r: { path: string; json: Json }[]) =>
        [...new Set(r.map((x) => `${x.path} ${x.json?.type}`))].sort();
      // A retried delivery may come twice; every one that came is checked.
      const received = await receiver.waitFor((r) => seen(r).length >= expected.length, 60_000);
      expect(seen(received)).toEqual(expected);
      for (const r of received) {
        const validate = validators.get(r.json.type)!;
        expect(validate(r.json), `${r.path} ${r.json.type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        for (const h of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) expect(r.headers[h]).toBeTruthy();
      }
      // Both variants were checked: the personal one carries the author's address, the other does not.
      const created = (p: string) => received.find((r) => r.path === p && r.json.type === 'comment.created')!;
      expect(created('/personal').json.data.comment.email).toMatch(/@example\.com$/);
      expect(created('/public').json.data.comment).not.toHaveProperty('email');
      expect(created('/public').json.data.sequence).toBe(1);
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('documents the headers it sends: ETag on threads, Location on the form post, Set-Cookie on sign-in, Retry-After', async () => {
    const thread = doc.paths['/api/v1/sites/{siteId}/articles/{articleId}/comments'].get.responses;
    const submitOp = doc.paths['/api/v1/sites/{siteId}/comments'].post.responses;
    const login = doc.paths['/api/v1/auth/login'].post.responses;
    expect(thread['200'].headers).toHaveProperty('ETag');
    expect(thread['304'].headers).toHaveProperty('ETag');
    expect(submitOp['303'].headers).toHaveProperty('Location');
    expect(login['200'].headers).toHaveProperty('Set-Cookie');
    const retrying = operations().flatMap(({ op }) => ['429', '503'].map((s) => op.responses[s]).filter(Boolean));
    expect(retrying.length).toBeGreaterThan(operations().length);
    for (const answer of retrying) expect(answer.headers).toHaveProperty('Retry-After');

    // And they are sent.
    await createSite(ctx, 'heads');
    expect((await submit(ctx, 'heads')).status).toBe(201);
    const page = await call(ctx, '/api/v1/sites/heads/articles/article-1/comments');
    expect(page.headers.get('etag')).toBeTruthy();
    const form = await postForm(
      ctx,
      '/api/v1/sites/heads/comments',
      commentInput({ articleUrl: 'https://news.example/a-1' }) as Record<string, string>,
      { origin: 'https://news.example', accept: 'text/html' },
    );
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toMatch(/^https:\/\/news\.example\/a-1\?comment=/);
    await createUser(ctx, 'oas-admin@example.com', 'admin');
    expect((await signIn(ctx, 'oas-admin@example.com')).setCookie).toContain('HttpOnly');
  }, 60_000);

  it("documents 413 where a body can come, 415 where JSON is read, 503 everywhere, and the form post's HTML answers", async () => {
    for (const { method, path: p, op } of operations()) {
      const where = `${method} ${p}`;
      if (method !== 'get') expect(op.responses, where).toHaveProperty('413');
      if (op.requestBody?.content['application/json']) expect(op.responses, where).toHaveProperty('415');
      expect(op.responses, where).toHaveProperty('503');
    }
    // The import upload takes any bytes, so it never answers 415.
    expect(doc.paths['/api/v1/admin/sites/{siteId}/imports'].post.responses).not.toHaveProperty('415');
    const submitOp = doc.paths['/api/v1/sites/{siteId}/comments'].post.responses;
    for (const status of ['201', '400', '422', '429'])
      expect(submitOp[status].content, status).toHaveProperty('text/html');
    // A JSON route answers 415 to another media type, as documented.
    const wrong = await call(ctx, '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(wrong.status).toBe(415);
  });

  it('answers 200 with a page at every problem type URI', async () => {
    const uris = new Set(problemTypes().map((t) => `/problems/${t.code}`));
    expect(uris.size).toBeGreaterThan(20);
    // The types real answers carry, including a filter's code that has no page of its own.
    await createSite(ctx, 'types', { revealRejections: true, blockedWords: ['zorblax'] });
    const answers = [
      await call(ctx, '/nowhere'),
      await call(ctx, '/api/v1/moderation/comments'),
      await call(ctx, '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }),
      await postJson(ctx, '/api/v1/auth/login', { email: 1 }),
      await call(ctx, '/api/v1/auth/login', { method: 'GET' }),
      await submit(ctx, 'types', { body: 'zorblax zorblax' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 401, 415, 400, 405, 422]);
    for (const a of answers) uris.add(a.body.type);
    for (const status of [400, 409, 413, 429, 500, 503])
      uris.add(problemBody(status, 'x', { code: 'not_a_page' }).type);
    for (const uri of uris) {
      const res = await call(ctx, uri);
      expect(res.status, uri).toBe(200);
      expect(res.headers.get('content-type'), uri).toMatch(/^text\/html/);
      expect(res.text, uri).toContain(`<h1>${uri.slice('/problems/'.length)}</h1>`);
    }
    const index = await call(ctx, '/problems');
    expect(index.status).toBe(200);
    for (const uri of uris) expect(index.text).toContain(`href="${uri}"`);
  });
});
