// Fails fast, with a clear message, when the stores the production-mode suites need are not running.

import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './stores.ts';

export default async function setup(project: TestProject) {
  const needsPostgres =
    project.config.name === 'postgres' || project.vitest.projects.some((p) => p.name === 'postgres');
  if (!needsPostgres) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${(err as Error).message}). ` +
        'Start it, or point TEST_DATABASE_URL at one. To run only the embedded suites: npm run test:embedded',
    );
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (${(err as Error).message}). Start it, or point TEST_REDIS_URL at one.`,
    );
  } finally {
    redis.disconnect();
  }
}
