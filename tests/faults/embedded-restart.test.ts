// The embedded mode keeps its promises across a hard stop: events in the outbox and deliveries in
// flight are picked up when the server starts again, each event with one webhook id.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsx, type ServerProcess, startServer } from '../support/server-process.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';

let dataDir: string;
let env: Record<string, string>;
let server: ServerProcess;
let receiver: Receiver;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'comments-restart-'));
  env = { DATA_DIR: dataDir, WEBHOOK_ALLOW_PRIVATE: 'true', DATABASE_URL: '', REDIS_URL: '' };
  receiver = await startReceiver();
  server = await startServer('src/bin/server.ts', env);
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded mode across a hard restart', () => {
  it('delivers every approved comment exactly under one id per event after the server is killed mid-delivery', async () => {
    expect((await runTsx('src/bin/cli.ts', ['sites:update', '--id', 'demo', '--mode', 'none'], env)).code).toBe(0);
    const hook = await runTsx(
      'src/bin/cli.ts',
      ['webhooks:create', '--site', 'demo', '--url', `${receiver.url}/hook`, '--events', 'comment.approved'],
      env,
    );
    expect(hook.code, hook.stderr).toBe(0);
    receiver.on('/hook', (_r, n) => (n === 1 ? { status: 200, delayMs: 60_000 } : { status: 200 }));

    const posted = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${server.url}/api/v1/sites/demo/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            articleId: 'pk-kz-action-plan',
            name: `R${i}`,
            email: `r${i}@example.com`,
            body: `comment ${i}`,
          }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string } })),
      ),
    );
    expect(posted.every((p) => p.status === 201)).toBe(true);
    await receiver.waitFor((r) => r.length >= 1, 30_000);
    await server.stop('SIGKILL');

    server = await startServer('src/bin/server.ts', env);
    await receiver.waitFor((r) => new Set(r.map((x) => x.json?.data?.comment?.id)).size >= 10, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    const idsByComment = new Map<string, Set<string>>();
    for (const r of receiver.received) {
      const set = idsByComment.get(r.json.data.comment.id) ?? new Set();
      set.add(r.headers['webhook-id']!);
      idsByComment.set(r.json.data.comment.id, set);
    }
    expect([...idsByComment.keys()].sort()).toEqual(posted.map((p) => p.body.id).sort());
    for (const ids of idsByComment.values()) expect(ids.size).toBe(1);
  }, 150_000);
});
