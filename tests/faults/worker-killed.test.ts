// A worker killed in the middle of a delivery: another worker completes it, with the same event id.
// Real processes: the API and two workers in turn, on PostgreSQL and Redis.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEnvironment, projectRoot, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';
import { TEST_REDIS_URL } from '../support/stores.ts';
import { type Receiver, startReceiver } from '../support/webhook-receiver.ts';

let env: Record<string, string>;
let cleanup: () => Promise<void>;
let api: ServerProcess;
let receiver: Receiver;
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/worker.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  const fresh = await freshEnvironment();
  cleanup = fresh.cleanup;
  env = {
    ...fresh.env,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `fault-${randomBytes(4).toString('hex')}`,
    JOB_LOCK_SECONDS: '5',
    WEBHOOK_ALLOW_PRIVATE: 'true',
  };
  receiver = await startReceiver();
  api = await startServer('src/bin/api.ts', env);
});
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await api?.stop('SIGKILL');
  await receiver?.close();
  await cleanup?.();
});

describe('worker killed mid-delivery', () => {
  it('the delivery completes after another worker takes the job over, with the same webhook id', async () => {
    expect(
      (await runTsx('src/bin/cli.ts', ['sites:create', '--id', 'kill', '--name', 'Kill', '--mode', 'none'], env)).code,
    ).toBe(0);
    const hook = await runTsx(
      'src/bin/cli.ts',
      ['webhooks:create', '--site', 'kill', '--url', `${receiver.url}/hook`, '--events', 'comment.approved'],
      env,
    );
    expect(hook.code).toBe(0);
    const endpointId = JSON.parse(hook.stdout).id;

    // The first request hangs: the worker is killed while waiting for the answer.
    receiver.on('/hook', (_r, n) => (n === 1 ? { status: 200, delayMs: 60_000 } : { status: 200 }));
    const first = startWorker();
    const res = await fetch(`${api.url}/api/v1/sites/kill/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ articleId: 'a', name: 'N', email: 'n@example.com', body: 'killed mid-delivery' }),
    });
    expect(res.status).toBe(201);
    await receiver.waitFor((r) => r.length >= 1, 30_000);
    first.kill('SIGKILL');

    startWorker();
    await receiver.waitFor((r) => r.length >= 2, 60_000);
    const [a, b] = receiver.received;
    expect(b!.headers['webhook-id']).toBe(a!.headers['webhook-id']);
    expect(b!.json.data.comment.id).toBe(a!.json.data.comment.id);

    let deliveries: any[] = [];
    for (let i = 0; i < 50; i++) {
      deliveries = JSON.parse(
        (await runTsx('src/bin/cli.ts', ['webhooks:deliveries', '--id', endpointId], env)).stdout,
      );
      if (deliveries[0]?.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].status).toBe('succeeded');
  }, 120_000);
});
