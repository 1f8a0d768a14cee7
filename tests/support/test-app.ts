// Each test file gets its own database: a fresh in-memory PGlite, or its own PostgreSQL schema.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/env.ts';
import { type Container, type ContainerOptions, createContainer } from '../../src/container.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL, TEST_SECRET, testDb, testQueue } from './stores.ts';

export interface TestContext {
  container: Container;
  app: ReturnType<typeof createApp>;
  config: Config;
  close(): Promise<void>;
}

async function createTestSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/**
 * The pglite project runs the embedded mode (no Redis); the postgres project runs the production
 * mode, PostgreSQL plus Redis, with a key prefix of its own; postgres-dbqueue runs PostgreSQL without
 * Redis (the database job queue). Pass REDIS_URL: '' to drop Redis.
 */
export async function createTestContext(
  env: Record<string, string> = {},
  options: ContainerOptions = {},
): Promise<TestContext> {
  const withRedis = testQueue() === 'redis';
  const base = loadConfig({
    SECRET_KEY: TEST_SECRET,
    LOG_LEVEL: 'silent',
    DATA_DIR: '/nonexistent-test-data-dir',
    ...(withRedis ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `test-${randomBytes(5).toString('hex')}` } : {}),
    ...env,
  });
  let dropSchema = async () => {};
  let database: Config['database'];
  if (testDb() === 'postgres') {
    const { schema, drop } = await createTestSchema();
    dropSchema = drop;
    database = { kind: 'postgres', url: TEST_DATABASE_URL, schema };
  } else {
    database = { kind: 'pglite', dataDir: null };
  }
  const config: Config = Object.freeze({ ...base, database });
  const container = await createContainer(config, {
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    ...options,
  });
  const app = createApp(container);
  return {
    container,
    app,
    config,
    async close() {
      await container.close();
      await dropSchema();
    },
  };
}

/** Another process of the same deployment (PostgreSQL: its own pools on the test's schema), with `config` as its environment. */
export function createOtherProcess(config: Config): Promise<Container> {
  return createContainer(config, { migrate: false, log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
}
