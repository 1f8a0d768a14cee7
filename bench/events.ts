// Events per second through outbox → queue → a local receiver, embedded and on PostgreSQL + Redis.
// Run: npm run bench:events
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Config, loadConfig } from '../src/config/env.ts';
import { createContainer } from '../src/container.ts';
import { createLogger } from '../src/shared/logger.ts';
import { startReceiver } from '../tests/support/webhook-receiver.ts';

const N = Number(process.argv[2] ?? 1000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function run(label: string, config: Config): Promise<void> {
  const receiver = await startReceiver();
  const c = await createContainer(config, { log: createLogger('warn') });
  await c.startWorkers();
  await c.sites.create({ id: 'bench', name: 'Bench', settings: { moderation: 'none' } });
  await c.webhooks.create('bench', { url: `${receiver.url}/hook`, events: ['comment.approved'] });
  const started = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < N; i++) {
    const p = c.submission
      .submit(
        'bench',
        { articleId: `a${i % 20}`, name: 'Bench', email: `b${i}@example.com`, body: `event ${i}` },
        { ip: null, userAgent: null, idempotencyKey: null, selfOrigin: null },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 20) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const submitted = performance.now();
  await receiver.waitFor((r) => r.length >= N, 300_000);
  const done = performance.now();
  console.log(
    `${label.padEnd(22)} ${N} comments (${2 * N} events, ${N} webhooks): submit ${((N / (submitted - started)) * 1000).toFixed(0)}/s, ` +
      `end-to-end ${((N / (done - started)) * 1000).toFixed(0)} delivered webhooks/s (${((2 * N) / ((done - started) / 1000)).toFixed(0)} events/s)`,
  );
  await c.close();
  await receiver.close();
}

const base = {
  SECRET_KEY: 'bench-secret-key-that-is-at-least-32-characters',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  LOG_LEVEL: 'warn',
};
await run('embedded (PGlite)', { ...loadConfig(base), database: { kind: 'pglite', dataDir: null } });

const schema = `bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create schema ${schema}`);
try {
  const cfg = loadConfig({ ...base, DATABASE_URL: PG_URL, REDIS_URL: REDIS, REDIS_PREFIX: schema });
  await run('PostgreSQL + BullMQ', { ...cfg, database: { kind: 'postgres', url: PG_URL, schema } });
} finally {
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
process.exit(0);
