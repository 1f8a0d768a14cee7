// The baseline of the HTTP benchmark: bare Hono routes doing the least our routes could do.
// POST /insert: one INSERT and one BullMQ add. GET /constant: a constant JSON answer.
// bench/http.ts compiles it with esbuild and runs it under plain node, like our dist/; the database URL
// it passes carries an application_name, so the benchmark finds this server's PostgreSQL backends.
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import pg from 'pg';

const [databaseUrl, redisUrl, prefix, port] = process.argv.slice(2) as [string, string, string, string];
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
await pool.query(
  'create table if not exists baseline_comments (id uuid primary key, body jsonb not null, created_at timestamptz not null default now())',
);
const queue = new Queue('baseline', {
  connection: new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
  prefix,
});

const app = new Hono();
app.post('/insert', async (c) => {
  const body = await c.req.json();
  const id = randomUUID();
  await pool.query('insert into baseline_comments (id, body) values ($1, $2)', [id, body]);
  await queue.add('event', { id }, { jobId: id, removeOnComplete: true });
  return c.json({ id }, 201);
});
app.get('/constant', (c) => c.json({ comments: [], nextCursor: null }));

serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1' }, () => process.stdout.write('ready\n'));
