// Receivers that answer oddly, served by a raw TCP server so the bytes are exactly the ones written:
// every attempt ends with a recorded outcome (an attempt row), never a delivery left pending.
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

type Answer = (socket: net.Socket) => void;
const answers = new Map<string, Answer>();
const requests = new Map<string, number>();
let server: net.Server;
let port = 0;

/** Waits for the request's head, reads the path, and lets that path's answer write whatever it likes. */
function startRawServer(): Promise<void> {
  server = net.createServer((socket) => {
    let head = '';
    socket.on('error', () => {});
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const path = head.split(' ')[1] ?? '/';
      requests.set(path, (requests.get(path) ?? 0) + 1);
      answers.get(path)?.(socket);
    };
    socket.on('data', onData);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      port = (server.address() as net.AddressInfo).port;
      resolve();
    }),
  );
}

const head = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');

let ctx: TestContext;
beforeAll(async () => {
  await startRawServer();
  ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { webhookScheduleMs: [100, 100] });
  await ctx.container.startWorkers();
});
afterAll(async () => {
  await ctx.close();
  await new Promise((r) => server.close(r));
});

let seq = 0;
/** A site whose endpoint gets this answer; returns the delivery once it is no longer pending. */
async function deliveryAnswered(answer: Answer) {
  const path = `/odd-${++seq}`;
  answers.set(path, answer);
  const siteId = `odd-${seq}`;
  await createSite(ctx, siteId, { moderation: 'all' });
  const { endpoint } = await ctx.container.webhooks.create(siteId, {
    url: `http://127.0.0.1:${port}${path}`,
    events: ['comment.created'],
  });
  await submit(ctx, siteId);
  const delivery = await waitUntil(async () => {
    const [d] = await ctx.container.webhooks.deliveries(endpoint.id);
    return d && d.status !== 'pending' ? d : null;
  }, 20_000);
  // Every attempt the receiver saw is on record, and the delivery counts them.
  expect(delivery.log).toHaveLength(requests.get(path) ?? 0);
  expect(delivery.attempts).toBe(delivery.log.length);
  return delivery;
}

describe('a receiver answering oddly', () => {
  it('records a 200 whose body holds a NUL byte as delivered, the NUL not stored', async () => {
    const d = await deliveryAnswered((s) =>
      s.end(
        Buffer.concat([head(['HTTP/1.1 200 OK', 'Content-Length: 7', 'Connection: close']), Buffer.from('ok\0 yes')]),
      ),
    );
    expect(d.status).toBe('succeeded');
    expect(d.log).toHaveLength(1);
    expect(d.log[0]).toMatchObject({ statusCode: 200, succeeded: true, error: null });
    expect(d.log[0]!.response).toBe('ok\ufffd yes');
  });

  it('records a 200 with a gzip body (announced or not) as delivered, naming the body instead of storing it', async () => {
    const gz = gzipSync(Buffer.from('{"ok":true}'.repeat(50)));
    const announced = await deliveryAnswered((s) =>
      s.end(
        Buffer.concat([
          head(['HTTP/1.1 200 OK', 'Content-Encoding: gzip', `Content-Length: ${gz.length}`, 'Connection: close']),
          gz,
        ]),
      ),
    );
    expect(announced.status).toBe('succeeded');
    expect(announced.log[0]!.response).toBe('(gzip-encoded body, not shown)');
    const unannounced = await deliveryAnswered((s) =>
      s.end(Buffer.concat([head(['HTTP/1.1 200 OK', `Content-Length: ${gz.length}`, 'Connection: close']), gz])),
    );
    expect(unannounced.status).toBe('succeeded');
    expect(unannounced.log[0]!.response).toBe('(gzip body, not shown)');
  });

  it('stores any binary body as text the database takes', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const d = await deliveryAnswered((s) =>
      s.end(Buffer.concat([head(['HTTP/1.1 200 OK', `Content-Length: ${bytes.length}`, 'Connection: close']), bytes])),
    );
    expect(d.status).toBe('succeeded');
    expect(d.log[0]!.response).not.toMatch(/[\u0000-\u0008]/);
  });

  it('records invalid headers as a failed attempt, each retry too, then fails the delivery', async () => {
    const d = await deliveryAnswered((s) =>
      s.end(head(['HTTP/1.1 200 OK', 'X-Bad\u0001Name: yes', 'Content-Length: 0'])),
    );
    expect(d.status).toBe('failed');
    expect(d.log.length).toBe(3);
    for (const a of d.log) expect(a).toMatchObject({ statusCode: null, succeeded: false, error: expect.any(String) });
  });

  it('hangs up on a huge body once it has the start, and records the status', async () => {
    const chunk = Buffer.alloc(256 * 1024, 'x');
    const d = await deliveryAnswered((s) => {
      s.write(head(['HTTP/1.1 200 OK', 'Content-Length: 10000000000', 'Connection: close']));
      const pump = () => {
        while (!s.destroyed && s.write(chunk));
        if (!s.destroyed) s.once('drain', pump);
      };
      s.on('close', () => s.removeAllListeners('drain'));
      pump();
    });
    expect(d.status).toBe('succeeded');
    expect(d.log[0]).toMatchObject({ statusCode: 200, succeeded: true });
    expect(d.log[0]!.durationMs).toBeLessThan(5_000);
  });

  it('records a connection reset in the middle of the body as a failed attempt and retries', async () => {
    const d = await deliveryAnswered((s) => {
      s.write(Buffer.concat([head(['HTTP/1.1 200 OK', 'Content-Length: 1000']), Buffer.from('partial')]));
      setImmediate(() => s.resetAndDestroy());
    });
    expect(d.status).toBe('failed');
    expect(d.log.length).toBe(3);
    for (const a of d.log)
      expect(a).toMatchObject({ statusCode: 200, succeeded: false, error: expect.stringMatching(/broke off/) });
  });
});
