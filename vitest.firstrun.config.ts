import { defineConfig } from 'vitest/config';

// The same API and end-to-end suites run twice: on embedded PGlite and on PostgreSQL.
// Pure unit tests and the browser tests of the widget run once.
export default defineConfig({
  test: {
    testTimeout: 200_000,
    hookTimeout: 400_000,
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
