// Requests Node cannot parse never reach a route: Node answers them itself, by default with a bare
// status line. Ours are problem+json like every other error (the real server, over a socket).
import { connect } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../../../src/runtime/http-server.ts';

let server: RunningServer;
beforeAll(async () => {
  const app = new Hono().get('/', (c) => c.text('ok'));
  server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
});
afterAll(() => server.close(1_000));

/** Sends raw bytes and reads until the server closes the connection. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.end(bytes));
    let got = '';
    socket.on('data', (d) => {
      got += d;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

function parse(answer: string): { status: number; headers: string; body: unknown } {
  const [head, body] = answer.split('\r\n\r\n');
  return { status: Number(head!.split(' ')[1]), headers: head!.toLowerCase(), body: JSON.parse(body!) };
}

describe('requests Node cannot parse', () => {
  it('answer headers past the limit with 431 problem+json', async () => {
    const res = parse(await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(res.status).toBe(431);
    expect(res.headers).toContain('content-type: application/problem+json');
    expect(res.body).toMatchObject({ status: 431, title: 'Request header fields too large' });
  });

  it('answer a request that is not HTTP with 400 problem+json', async () => {
    const res = parse(await raw('HELLO THERE\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(res.headers).toContain('content-type: application/problem+json');
    expect(res.body).toMatchObject({ status: 400, type: expect.stringContaining('invalid_request') });
  });

  it('leave well-formed requests alone', async () => {
    const answer = await raw('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.startsWith('HTTP/1.1 200')).toBe(true);
    expect(answer.endsWith('ok')).toBe(true);
  });
});
