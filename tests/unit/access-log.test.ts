// The access log line the request context writes by hand: the fields and shape pino would give it,
// one line per request (several requests' lines may share one write), through the logger's own stream
// and level, and through pino itself when the stream wants each line's level.
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../../src/http/app-env.ts';
import { requestContext } from '../../src/http/request-context.ts';
import { loggerOptions } from '../../src/shared/logger.ts';

function sink() {
  const lines: Record<string, unknown>[] = [];
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      writes.push(String(chunk));
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, writes, stream };
}

function appWith(log: pino.Logger, observed: { route: string; status: number; seconds: number }[] = []) {
  const app = new Hono<AppEnv>();
  app.use(
    requestContext(log, (c, seconds) => observed.push({ route: routePath(c, -1), status: c.res.status, seconds })),
  );
  app.get('/pages/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/slow', async (c) => {
    await new Promise((r) => setImmediate(r));
    return c.text('late');
  });
  return app;
}

/** A turn of the event loop after the answers: the request context hands its lines over then. */
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('the access log', () => {
  it("writes pino's line for every request: level, time, bindings, then id, method, path, status, duration", async () => {
    const out = sink();
    const app = appWith(pino(loggerOptions('info'), out.stream));
    const before = Date.now();
    const res = await app.request('/pages/a1', { headers: { 'x-request-id': 'client-id-9' } });
    expect(res.headers.get('x-request-id')).toBe('client-id-9');
    await vi.waitFor(() => expect(out.lines).toHaveLength(1));
    const [line] = out.lines;
    expect(Object.keys(line!)).toEqual(['level', 'time', 'service', 'reqId', 'method', 'path', 'status', 'ms', 'msg']);
    expect(line).toMatchObject({
      level: 30,
      service: 'comments',
      reqId: 'client-id-9',
      method: 'GET',
      path: '/pages/a1',
      status: 200,
      msg: 'request',
    });
    expect(line!.time).toBeGreaterThanOrEqual(before);
    expect(line!.ms).toBeGreaterThanOrEqual(0);
  });

  it('keeps a path that needs escaping valid JSON, and gives each of many concurrent requests its own line', async () => {
    const out = sink();
    const app = appWith(pino(loggerOptions('info'), out.stream));
    const paths = ['/pages/%22quoted%22', '/pages/caf%C3%A9', '/pages/back%5Cslash', '/missing/%01x', '/slow'];
    const answers = await Promise.all(paths.map((p) => app.request(p)));
    await vi.waitFor(() => expect(out.lines).toHaveLength(paths.length));
    const byId = new Map(out.lines.map((l) => [l.reqId, l]));
    expect(byId.size).toBe(paths.length);
    const seen = answers.map((res) => byId.get(res.headers.get('x-request-id')));
    expect(seen.map((l) => l?.path)).toEqual([
      '/pages/"quoted"',
      '/pages/café',
      '/pages/back\\slash',
      '/missing/\u0001x',
      '/slow',
    ]);
    expect(seen.map((l) => l?.status)).toEqual([200, 200, 200, 404, 200]);
    for (const l of seen) expect(l?.reqId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hands the metrics the matched route, the status and the duration', async () => {
    const observed: { route: string; status: number; seconds: number }[] = [];
    const app = appWith(pino({ level: 'silent' }), observed);
    await app.request('/pages/x');
    await app.request('/nowhere');
    expect(observed.map((o) => [o.route, o.status])).toEqual([
      ['/pages/:id', 200],
      ['/*', 404],
    ]);
    for (const o of observed) expect(o.seconds).toBeGreaterThanOrEqual(0);
  });

  it("follows the logger's level: nothing below warn, and lines again once it is lowered", async () => {
    const out = sink();
    const log = pino(loggerOptions('warn'), out.stream);
    const app = appWith(log);
    await app.request('/pages/quiet');
    await nextTurn();
    await nextTurn();
    log.warn('a warning');
    await vi.waitFor(() => expect(out.lines).toHaveLength(1));
    expect(out.lines[0]!.msg).toBe('a warning');
  });

  it('goes through pino, line by line with its level, to a stream that asks for it (multistream)', async () => {
    const info = sink();
    const errors = sink();
    const log = pino(
      loggerOptions('info'),
      pino.multistream([
        { level: 'info', stream: info.stream },
        { level: 'error', stream: errors.stream },
      ]),
    );
    const app = appWith(log);
    await app.request('/pages/m1');
    await app.request('/pages/m2');
    await vi.waitFor(() => expect(info.lines).toHaveLength(2));
    expect(info.lines.map((l) => [l.path, l.level, l.msg])).toEqual([
      ['/pages/m1', 30, 'request'],
      ['/pages/m2', 30, 'request'],
    ]);
    expect(info.writes).toHaveLength(2);
    expect(errors.lines).toHaveLength(0);
  });
});
