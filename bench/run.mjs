// Runs the benchmarks in this folder (each prints ratios against its own baseline).
//   npm run bench                          every benchmark with its defaults
//   npm run bench -- protocols 2           one benchmark; the rest is passed to it
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['protocols', 'api-latency'];
const [only, ...rest] = process.argv.slice(2);
if (only !== undefined && !all.includes(only)) {
  console.error(
    `error CLI_USAGE: unknown benchmark '${only}' (usage: npm run bench [-- <${all.join('|')}> [argument]])`,
  );
  process.exit(2);
}
for (const name of only ? [only] : all) {
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, [join(here, `${name}.ts`), ...rest], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
