// The reading path's four ratios in one run, each against its baseline measured in the same run by
// the benchmark that owns it (their output is shown as it comes), then one summary table:
//   (1) reading-lines: a whole-area read over simulated 2400-baud RS-485 lines ÷ the physical
//       bound (frame bytes × 11 bits / baud + meter latency, per line, lines in parallel), ≤ 1.2×
//   (2) ingest: the whole ingest path ÷ a raw COPY of the same rows into an unindexed table, ≥ 0.5×
//   (3) concentrators: N simulated concentrators logged in with heartbeats: master RSS < 1 GiB and
//       CPU under one core (beside a bare TCP server holding the same links)
//   (4) nbiot-webhook: NB-IoT webhook requests/s ÷ GET /healthz requests/s
//   npm run bench -- reading            full length (5,000 concentrators)
//   npm run bench -- reading --smoke    a few seconds per part (CI)
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const smoke = process.argv.includes('--smoke');

/** name → [full-length args, smoke args] (as bench/run.mjs runs them) */
const parts: Record<string, [string[], string[]]> = {
  'reading-lines': [
    ['4', '8'],
    ['3', '2'],
  ],
  ingest: [[], ['2000', '5']],
  concentrators: [
    ['5000', '30', '30'],
    ['200', '1', '2'],
  ],
  'nbiot-webhook': [[], ['4', '4', '16']],
};

/** Runs one benchmark, its output passed through, and answers what it printed. */
function run(name: string): Promise<string> {
  const [full, short] = parts[name];
  console.log(`\n== ${name} ${(smoke ? short : full).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, `${name}.ts`), ...(smoke ? short : full)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: smoke ? { BENCH_BUDGET_S: '5', ...process.env } : process.env,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${name} exited ${code}`))));
  });
}

const num = (text: string, re: RegExp): number => {
  const m = re.exec(text);
  if (!m) throw new Error(`no figure matching ${re} in the output`);
  return Number(m[1]);
};

const lines = await run('reading-lines');
const ingest = await run('ingest');
const conc = await run('concentrators');
const hook = await run('nbiot-webhook');

const lineRatio = num(lines, /ratio ([\d.]+)×/);
const ingestRatios = [
  ...ingest.matchAll(/goal at batch ([\d,]+): whole path ≥ 0\.5 × COPY: \w+ \(([\d.]+)/g),
];
const links = num(conc, /^(\d+) concentrators/m);
const rss = num(conc, /goal RSS < 1 GiB: \w+ \(([\d.]+) MiB\)/);
const cores = num(conc, /goal CPU < 1 core: \w+ \(([\d.]+) cores\)/);
const hookRatio = num(hook, /ratio webhook ÷ healthz\s+([\d.]+)/);
const hookRate = num(hook, /webhook → stored reading\s+(\d+) req\/s/);

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const rows: [string, string, string, string][] = [
  ['(1) whole-area read ÷ physical bound', `${lineRatio.toFixed(3)}×`, '≤ 1.2×', verdict(lineRatio <= 1.2)],
  ...ingestRatios.map(([, batch, r]): [string, string, string, string] => [
    `(2) ingest whole path ÷ raw COPY, batch ${batch}`,
    `${Number(r).toFixed(2)}×`,
    '≥ 0.5×',
    verdict(Number(r) >= 0.5),
  ]),
  [`(3) ${links} concentrators: master RSS`, `${rss.toFixed(0)} MiB`, '< 1024 MiB', verdict(rss < 1024)],
  [`(3) ${links} concentrators: master CPU`, `${cores.toFixed(4)} cores`, '< 1 core', verdict(cores < 1)],
  ['(4) NB-IoT webhook ÷ GET /healthz', `${hookRatio.toFixed(3)}× (${hookRate} req/s)`, 'ratio', '-'],
];
console.log(`\n== reading: summary${smoke ? ' (smoke: short runs, figures indicative only)' : ''}`);
const w = [50, 24, 12, 6];
console.log(['ratio', 'measured', 'goal', ''].map((c, i) => c.padEnd(w[i])).join(''));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i])).join(''));
