// Runs the benchmarks in this folder in turn (each prints ratios against its own baseline).
//   npm run bench                      every benchmark at full length
//   npm run bench -- api-latency 3000  one benchmark, with its own argument
//   npm run bench -- --smoke           every benchmark for a few seconds (what CI runs)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** name → [full-length args, smoke args] */
const benches = {
  protocols: [[], ['0.2']],
  'api-latency': [[], ['100']],
  archives: [[], ['5000']],
  ingest: [[], ['2000', '5']],
  concentrators: [[], ['200', '1', '2']],
  'reading-lines': [[], ['3', '2']],
  'reading-engine': [[], ['200', '4']],
  'nbiot-webhook': [[], ['4', '4', '16']],
  reading: [[], ['--smoke']],
  control: [[], ['2', '10', '--direct']],
  billing: [[], ['--smoke']],
  payments: [[], ['--smoke']],
  prepaid: [[], ['--smoke']],
  analysis: [[], ['--smoke']],
  reports: [[], ['--smoke']],
  ops: [[], ['--smoke']],
};
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const named = args.filter((a) => a !== '--smoke');
const chosen = named.length && named[0] in benches ? [named[0]] : Object.keys(benches);
const extra = named.length && named[0] in benches ? named.slice(1) : [];
if (named.length && !(named[0] in benches)) {
  console.error(`unknown benchmark '${named[0]}'; one of: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of chosen) {
  const [full, short] = benches[name];
  console.log(`\n== ${name}`);
  const r = spawnSync(
    process.execPath,
    [join(here, `${name}.ts`), ...(extra.length ? extra : smoke ? short : full)],
    // a smoke run caps each measuring phase at a few seconds
    { stdio: 'inherit', env: smoke ? { BENCH_BUDGET_S: '5', ...process.env } : process.env },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
