import { defineConfig } from 'vitest/config';

// The same API and end-to-end suites run twice: on embedded PGlite and on PostgreSQL.
// Pure unit tests and the browser tests of the widget run once.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['tests/support/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['tests/api/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          env: { TEST_DB: 'pglite' },
        },
      },
      // Real Chromium against the real server process; run once, in the embedded mode.
      {
        extends: true,
        test: { name: 'browser', include: ['tests/browser/**/*.test.ts'], env: { TEST_DB: 'pglite' } },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['tests/api/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
        },
      },
      // PostgreSQL without Redis: the database job queue with several connections, which the postgres project
      // (always with Redis) never runs. Only the suites that go through the queue, to keep CI short.
      {
        extends: true,
        test: {
          name: 'postgres-dbqueue',
          include: [
            'tests/api/database-queue.test.ts',
            'tests/api/queue-agreement.test.ts',
            'tests/api/webhooks.test.ts',
            'tests/api/lifecycle.test.ts',
            // The digest job, scheduled and retried by the database queue on PostgreSQL.
            'tests/api/reply-digests.test.ts',
          ],
          env: { TEST_DB: 'postgres', TEST_QUEUE: 'database' },
        },
      },
      // Fault tests kill processes and stores of their own (never the shared ones); they run once.
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
          testTimeout: 120_000,
        },
      },
    ],
  },
});
