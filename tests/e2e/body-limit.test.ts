// One body limit for every route, counted while the body streams in, against the real server process:
// 200 MB bodies (streamed without a length, or announced) are answered 413 at once and the process
// stays small.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEnvironment, type ServerProcess, startServer } from '../support/server-process.ts';

const MB = 1024 * 1024;
let server: ServerProcess;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshEnvironment();
  cleanup = fresh.cleanup;
  server = await startServer('src/bin/server.ts', fresh.env);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await cleanup?.();
});

const rssBytes = () =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) * 1024;

interface Answer {
  status: number;
  type: string;
  body: string;
  ms: number;
  sentBytes: number;
}

/**
 * Streams `totalBytes` of form data (chunked, or with Content-Length when `announce`) and stops sending
 * once the answer arrives.
 */
function sendHuge(method: string, path: string, totalBytes: number, announce = false): Promise<Answer> {
  const started = performance.now();
  const chunk = Buffer.alloc(MB, 'a');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(`${server.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(announce ? { 'content-length': String(totalBytes) } : {}),
      },
    });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({
          status: res.statusCode!,
          type: String(res.headers['content-type']),
          body,
          ms: performance.now() - started,
          sentBytes: sent,
        });
      });
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.write('email=');
    const pump = () => {
      while (!answered && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

const ROUTES: [string, string][] = [
  ['POST', '/api/v1/sites/demo/comments'],
  ['POST', '/api/v1/auth/login'],
  ['POST', '/api/v1/admin/sites'],
  ['POST', '/api/v1/moderation/comments/0190a0a0-0000-7000-8000-000000000000/approve'],
  ['POST', '/dashboard/login'],
  ['POST', '/dashboard/sites'],
  ['POST', '/internal/cli'],
  ['POST', '/api/v1/sites/demo/comments/0190a0a0-0000-7000-8000-000000000000/reports'],
  ['PUT', '/no/such/route'],
];

describe('the body limit, on the running server', { timeout: 180_000 }, () => {
  it('answers a 200 MB streamed body with 413 problem+json on every route family, before reading it all', async () => {
    for (const [method, path] of ROUTES) {
      const a = await sendHuge(method, path, 200 * MB);
      expect(a.status, `${method} ${path}`).toBe(413);
      expect(a.type, path).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(a.body).status).toBe(413);
      expect(a.ms, path).toBeLessThan(5_000);
      expect(a.sentBytes, path).toBeLessThan(200 * MB);
    }
  });

  it('answers an announced 200 MB body with 413 at once', async () => {
    for (const [method, path] of ROUTES) {
      const a = await sendHuge(method, path, 200 * MB, true);
      expect(a.status, `${method} ${path}`).toBe(413);
      expect(a.ms, path).toBeLessThan(5_000);
    }
  });

  it('keeps the process small under six parallel 200 MB bodies to the sign-in form', async () => {
    const before = rssBytes();
    const answers = await Promise.all(Array.from({ length: 6 }, () => sendHuge('POST', '/dashboard/login', 200 * MB)));
    expect(answers.map((a) => a.status)).toEqual([413, 413, 413, 413, 413, 413]);
    expect(rssBytes() - before).toBeLessThan(100 * MB);
    // And it still serves.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('still takes a body under the limit', async () => {
    const res = await fetch(`${server.url}/api/v1/sites/demo/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        articleId: 'pk-kz-action-plan',
        name: 'Ada',
        email: 'ada@example.com',
        body: 'x'.repeat(9_000),
      }),
    });
    expect(res.status).toBe(201);
  });
});
