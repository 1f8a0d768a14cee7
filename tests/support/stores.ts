// Where the tests find the shared PostgreSQL and Redis (started by the machine or .ci/run).
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_SECRET = 'test-secret-key-that-is-at-least-32-characters-long';
export type TestDb = 'pglite' | 'postgres';
export const testDb = (): TestDb => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite');
/** Which job queue postgres-project apps use: BullMQ on the shared Redis, or (postgres-dbqueue) the database's. */
export const testQueue = (): 'redis' | 'database' =>
  testDb() === 'postgres' && process.env.TEST_QUEUE !== 'database' ? 'redis' : 'database';
