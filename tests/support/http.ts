// Small helpers for talking to the app through app.request().
import type { TestContext } from './test-app.ts';

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call(ctx: TestContext, path: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await ctx.app.request(path, init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export function postJson(ctx: TestContext, path: string, data: unknown, headers: Record<string, string> = {}) {
  return call(ctx, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(data),
  });
}

export function postForm(
  ctx: TestContext,
  path: string,
  data: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return call(ctx, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(data).toString(),
  });
}

let seq = 0;
/** A valid comment; every call has a distinct body and author unless overridden. */
export function commentInput(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    articleId: 'article-1',
    name: `Reader ${seq}`,
    email: `reader${seq}@example.com`,
    body: `Comment number ${seq}`,
    ...overrides,
  };
}

export async function submit(
  ctx: TestContext,
  siteId: string,
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return postJson(ctx, `/api/v1/sites/${siteId}/comments`, commentInput(overrides), headers);
}

/**
 * A site for tests. Suites post several comments per author within a second, so flood control is off
 * unless a test turns it on (its own tests: tests/api/filters-flood.test.ts).
 */
export async function createSite(ctx: TestContext, id: string, settings: Record<string, unknown> = {}) {
  return ctx.container.sites.create({
    id,
    name: `Site ${id}`,
    settings: { origins: ['https://news.example'], floodIntervalSeconds: 0, ...settings },
  });
}

/** Approves through the same service the CLI and dashboard use. */
export async function approve(ctx: TestContext, commentId: string) {
  return ctx.container.moderation.setStatus(commentId, 'approved', { type: 'cli', id: 'test' });
}

export async function tableCounts(ctx: TestContext) {
  const db = ctx.container.database.db;
  const count = async (table: 'comments' | 'articles' | 'moderation_log' | 'idempotency_keys') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    comments: await count('comments'),
    articles: await count('articles'),
    log: await count('moderation_log'),
    keys: await count('idempotency_keys'),
  };
}

export function expectProblem(res: JsonResponse, status: number) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${type}`);
  if (res.body?.status !== status || typeof res.body?.title !== 'string' || typeof res.body?.detail !== 'string') {
    throw new Error(`not a problem body: ${res.text.slice(0, 300)}`);
  }
  return res.body as {
    status: number;
    title: string;
    detail: string;
    code?: string;
    errors?: { path: string; message: string }[];
  };
}
