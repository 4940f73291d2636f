import { defineConfig } from 'vitest/config';

// Three projects: pure code (protocols, simulators, SDK, plugins), the server against a real
// PostgreSQL (embedded unless DATABASE_URL is set), and the admin in Debian's Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'pure',
          include: ['core/{protocols,simulators,sdk}/**/*.test.ts', 'plugins/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['core/server/**/*.test.ts'],
          globalSetup: ['core/server/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['admin/e2e/**/*.test.ts'],
          globalSetup: ['core/server/test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
