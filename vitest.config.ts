import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// Node's module compile cache for the processes the tests spawn (the CLI, killed children): each
// starts a fresh Node that compiles the same modules again; with the cache it reuses their bytecode
// (keyed by content, so an edited file compiles anew). Workers and children inherit the variable.
process.env.NODE_COMPILE_CACHE ??= fileURLToPath(new URL('node_modules/.cache/node-compile-cache', import.meta.url));

// The server's test files that touch no database (no test/db.ts, platform, jobs or fixtures that
// reach one): they run once, in the embedded pass, in their own project "server-logic", so the
// second pass on the system PostgreSQL (`--project server` in .ci/run) runs only the files that do
// talk to a database. Listed by name: a file missing here runs in "server", which is always right;
// a file listed here that opens a database fails loudly (no adminDatabaseUrl is provided).
const serverLogic = [
  'core/server/src/cli/tariff.test.ts',
  'core/server/src/config.test.ts',
  'core/server/src/db/ordered-ids.test.ts',
  'core/server/src/demo-epoch.test.ts',
  'core/server/src/http/trust-proxy.test.ts',
  'core/server/src/services/archives/concentrator-diff.test.ts',
  'core/server/src/services/archives/list-kit.test.ts',
  'core/server/src/services/archives/masking.test.ts',
  'core/server/src/services/archives/reading-plan-derive.test.ts',
  'core/server/src/services/documents/render.test.ts',
  'core/server/src/services/billing/tariff/features.test.ts',
  'core/server/src/services/billing/tariff/json-schema.test.ts',
  'core/server/src/services/billing/tariff/properties.test.ts',
  'core/server/src/services/billing/tariff/tou.test.ts',
  'core/server/src/services/billing/tariff/worked-examples.test.ts',
];

// Four projects: pure code (protocols, simulators, SDK, plugins), the server's logic without a
// database, the server against a real PostgreSQL (embedded unless DATABASE_URL is set), and the
// admin in Debian's Chromium.
// Two test files at a time. vitest's default is one less than the cores — a single worker on a
// 2-core machine — and most files wait on PostgreSQL, child processes or the browser rather than
// compute, so a second worker fills those waits (the browser project stays one file at a time).
export default defineConfig({
  test: {
    maxWorkers: 2,
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
          name: 'server-logic',
          include: serverLogic,
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['core/server/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...serverLogic],
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
          // a page saving or re-rendering on a loaded machine takes longer than poll's default second
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
