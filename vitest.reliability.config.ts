import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The reliability suite (`npm run test:reliability`, a step of .ci/run): kill -9 of the server
// during writes, a PostgreSQL restart under load, the OpenAPI fuzz and the soak. Its files end in
// .rel.ts, so the default `npm test` never picks them up; they run one at a time (each starts real
// server processes and its own load on a 2-core machine). The existing kill -9 test of the daily
// deduction worker is part of the suite too (it also runs in `npm test`; the bill run is killed
// here with its whole server, reliability/kill-billrun.rel.ts); the
// import's kill -9 case lives in http/tests/imports.test.ts, whose other cases take minutes, so it
// runs in `npm test` only.
process.env.NODE_COMPILE_CACHE ??= fileURLToPath(new URL('node_modules/.cache/node-compile-cache', import.meta.url));

export default defineConfig({
  test: {
    name: 'reliability',
    include: [
      'core/server/reliability/**/*.rel.ts',
      'core/server/src/services/prepaid/deduction/deduction-kill.test.ts',
    ],
    globalSetup: ['core/server/test/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
