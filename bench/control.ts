// Valve commands through Q/GDW 1376.1 concentrators: N simulated concentrators on loopback TCP,
// M CJ/T 188 water meters each on terminal port 3 (default 10 × 100 = 1,000 valve closes). The
// concentrators time their meter port: a forwarded frame and the meter's answer cross it at the
// forwarded baud rate (2400 8E1, 11 bits a byte) plus the meter's latency. The physical bound,
// from the bytes the terminals saw in the same run: per concentrator Σ (frame + answer) × 11 /
// baud + latency, the slowest concentrator's (each terminal forwards one frame at a time, the
// concentrators work in parallel). Two modes, each against its own bound:
//   (1) direct: every command handed to transport-gdw1376's control() at once;
//   (2) outbox: end to end through the core's command outbox (archive rows, the commands created
//       (a) as one batch approved by a second person, (b) one by one with createCommand; the
//       pg-boss pump, the installed transport, outcomes written back), until every command ended.
//   npm run bench -- control [concentrators] [meters per concentrator] [--direct | --outbox]
//   (DATABASE_URL unset: the outbox mode starts an embedded PostgreSQL; `npm run bench -- --smoke`
//   runs 2 × 10 --direct to stay within seconds — the outbox path through a concentrator is also
//   a test, core/server/test/commands-concentrator.test.ts)
import { runDirect } from './control-direct.ts';
import { printBound } from './control-field.ts';
import { runOutbox } from './control-outbox.ts';

const args = process.argv.slice(2);
const numbers = args.filter((a) => !a.startsWith('--'));
const nConc = Number(numbers[0] ?? 10);
const perConc = Number(numbers[1] ?? 100);
if (!Number.isInteger(nConc) || nConc < 1 || nConc > 1000)
  throw new Error(`concentrators: 1 … 1000, got ${numbers[0]}`);
if (!Number.isInteger(perConc) || perConc < 1 || perConc > 2000)
  throw new Error(`meters: 1 … 2000, got ${numbers[1]}`);
const n = nConc * perConc;
let failed = false;

console.log(
  `${nConc} concentrators × ${perConc} CJ/T 188 water meters on port 3: ${n} valve closes per mode`,
);
if (!args.includes('--outbox')) {
  const r = await runDirect(nConc, perConc);
  console.log('(1) direct: all commands at once through transport-gdw1376 control()');
  console.log(
    `  results: ${r.confirmed}/${n} confirmed closed by the ST bits, ${r.closed}/${n} valves closed`,
  );
  printBound(r.bound);
  console.log(
    `  wall ${r.wallMs.toFixed(0)} ms   ratio wall ÷ bound ${(r.wallMs / r.bound.boundMs).toFixed(3)}×   ${((n / r.wallMs) * 1000).toFixed(1)} commands/s; concentrators busy at once ${(r.bound.totalMs / r.wallMs).toFixed(2)} of ${nConc}`,
  );
  if (r.confirmed !== n || r.closed !== n) {
    console.error(`  not every command was confirmed: ${JSON.stringify(r.sample)}`);
    failed = true;
  }
}
if (!args.includes('--direct')) {
  for (const r of await runOutbox(nConc, perConc)) {
    const how =
      r.how === 'batch'
        ? 'one batch over the area, approved by a second person'
        : `createCommand × ${n} in one transaction`;
    console.log(`(2${r.how === 'batch' ? 'a' : 'b'}) outbox: ${how}; the pump delivers (${r.label})`);
    console.log(`  results: ${r.confirmed}/${n} confirmed and verified, ${r.closed}/${n} valves closed`);
    printBound(r.bound);
    console.log(
      `  create ${r.createMs.toFixed(0)} ms + deliver until the last ended ${r.deliverMs.toFixed(0)} ms = wall ${r.wallMs.toFixed(0)} ms   ratio wall ÷ bound ${(r.wallMs / r.bound.boundMs).toFixed(3)}× (delivery alone ${(r.deliverMs / r.bound.boundMs).toFixed(3)}×)   ${((n / r.wallMs) * 1000).toFixed(1)} commands/s`,
    );
    console.log(
      `  concentrators busy at once while delivering (Σ per-concentrator port time ÷ delivery): ${r.busy.toFixed(2)} of ${nConc}; the pump's ${r.claims.count} claim(s) spanned ${r.claims.meanConc.toFixed(1)} concentrators on average (fewest ${r.claims.minConc}); Σ over claims of the most commands one concentrator got in it: ${r.claims.mostSum} (× ${(r.bound.boundMs / perConc / 1000).toFixed(3)} s each = ${((r.claims.mostSum * r.bound.boundMs) / perConc / 1000).toFixed(1)} s, what delivery takes when each claim waits for its slowest concentrator)`,
    );
    if (r.confirmed !== n || r.closed !== n) {
      console.error(`  not every command was confirmed: ${JSON.stringify(r.sample)}`);
      failed = true;
    }
  }
}
if (failed) process.exit(1);
