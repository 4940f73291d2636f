// Runs every benchmark in this folder in turn (each prints ratios against its own baseline).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const bench of ['protocols.ts', 'api-latency.ts']) {
  console.log(`\n== ${bench}`);
  const r = spawnSync(process.execPath, [join(here, bench)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
