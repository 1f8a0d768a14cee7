// The public POST bodies as the Node server reads them, from the socket and not through a WHATWG
// Request (http/read-body.ts): the same bound, 413, 415 and parsing as app.request() gets.
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentInput, createSite, tableCounts } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let server: ReturnType<typeof serve>;
let base: string;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'sock', { moderation: 'none' });
  server = serve({ fetch: ctx.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await ctx.close();
});

const url = () => `${base}/api/v1/sites/sock/comments`;
const post = (body: RequestInit['body'], headers: Record<string, string>, extra: RequestInit = {}) =>
  fetch(url(), { method: 'POST', headers, body, ...extra });
/** A body sent in chunks, without Content-Length. */
const chunked = (text: string) =>
  new ReadableStream({
    start(controller) {
      const bytes = new TextEncoder().encode(text);
      for (let at = 0; at < bytes.length; at += 16 * 1024) controller.enqueue(bytes.subarray(at, at + 16 * 1024));
      controller.close();
    },
  });

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as { detail?: string; errors?: { path: string }[] };
}

describe('bodies read from the socket', () => {
  it('stores a JSON comment, with a leading byte-order mark dropped as Request.text() drops it', async () => {
    const res = await post(`\uFEFF${JSON.stringify(commentInput({ articleId: 'bom' }))}`, {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { status: string }).status).toBe('approved');
  });

  it('413 for a declared length over 64 KiB and for a chunked body that grows past it, storing nothing', async () => {
    const before = await tableCounts(ctx);
    const big = JSON.stringify(commentInput({ body: 'x'.repeat(200 * 1024) }));
    expect((await expectProblem(await post(big, { 'content-type': 'application/json' }), 413)).detail).toMatch(
      /64 KiB/,
    );
    const streamed = await post(chunked(big), { 'content-type': 'application/json' }, {
      duplex: 'half',
    } as RequestInit);
    await expectProblem(streamed, 413);
    // Even with a type it would refuse: the size is judged first, as by the app's body limit.
    await expectProblem(
      await post(chunked(big), { 'content-type': 'text/plain' }, { duplex: 'half' } as RequestInit),
      413,
    );
    expect(await tableCounts(ctx)).toEqual(before);
    // And the server still answers.
    expect(
      (await post(JSON.stringify(commentInput({ articleId: 'after-413' })), { 'content-type': 'application/json' }))
        .status,
    ).toBe(201);
  });

  it('accepts a chunked body under the bound', async () => {
    const res = await post(
      chunked(JSON.stringify(commentInput({ articleId: 'chunked' }))),
      {
        'content-type': 'application/json',
      },
      { duplex: 'half' } as RequestInit,
    );
    expect(res.status).toBe(201);
  });

  it('a body at the bound is read (and judged on its fields), one byte over is 413', async () => {
    const fill = (size: number) => {
      const shell = JSON.stringify(commentInput({ articleId: 'edge', body: '' }));
      return shell.replace('"body":""', `"body":"${'y'.repeat(size - shell.length)}"`);
    };
    expect(Buffer.byteLength(fill(64 * 1024))).toBe(64 * 1024);
    const atBound = await expectProblem(await post(fill(64 * 1024), { 'content-type': 'application/json' }), 400);
    expect(atBound.errors?.map((e) => e.path)).toContain('body');
    await expectProblem(await post(fill(64 * 1024 + 1), { 'content-type': 'application/json' }), 413);
    // Counted the same way when no length is declared.
    const half = { duplex: 'half' } as RequestInit;
    await expectProblem(await post(chunked(fill(64 * 1024)), { 'content-type': 'application/json' }, half), 400);
    await expectProblem(await post(chunked(fill(64 * 1024 + 1)), { 'content-type': 'application/json' }, half), 413);
  });

  it('415 for a type it does not read; 400 for broken JSON, an array, a form with a file', async () => {
    await expectProblem(await post('<xml/>', { 'content-type': 'application/xml' }), 415);
    await expectProblem(await post('{"articleId":', { 'content-type': 'application/json' }), 400);
    await expectProblem(await post('[1,2]', { 'content-type': 'application/json' }), 400);
    const form = new FormData();
    for (const [k, v] of Object.entries(commentInput({ articleId: 'file' }))) form.set(k, String(v));
    form.set('body', new Blob(['a file']), 'body.txt');
    const res = await expectProblem(await post(form, {}), 400);
    expect(res.errors?.map((e) => e.path)).toEqual(['body']);
  });

  it('reads an HTML form post (urlencoded and multipart)', async () => {
    const fields = Object.fromEntries(
      Object.entries(commentInput({ articleId: 'form' })).map(([k, v]) => [k, String(v)]),
    );
    const encoded = await post(new URLSearchParams(fields).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(encoded.status).toBe(201);
    const multipart = new FormData();
    for (const [k, v] of Object.entries(commentInput({ articleId: 'form' }))) multipart.set(k, String(v));
    expect((await post(multipart, {})).status).toBe(201);
  });

  it('a client that stops half-way through its body leaves nothing behind, and the server keeps answering', async () => {
    const before = await tableCounts(ctx);
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /api/v1/sites/sock/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"articleId":"half',
        );
        setImmediate(() => socket.destroy());
      });
      socket.on('close', () => resolve());
    });
    expect(await tableCounts(ctx)).toEqual(before);
    expect(
      (await post(JSON.stringify(commentInput({ articleId: 'after-half' })), { 'content-type': 'application/json' }))
        .status,
    ).toBe(201);
  });
});
