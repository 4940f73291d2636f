// Valve commands through Q/GDW 1376.1 concentrators: N simulated concentrators on loopback TCP,
// M CJ/T 188 water meters each on terminal port 3; every meter gets one valve close through
// transport-gdw1376's control(), all at once as a dispatcher hands them over (each concentrator's
// link carries one request at a time, the concentrators run in parallel). The concentrators time
// their meter port: a forwarded frame and the meter's answer cross it at the forwarded baud rate
// (2400 8E1, 11 bits a byte) plus the meter's latency. The physical bound, from the bytes the
// terminals saw in the same run: per concentrator Σ (frame + answer) × 11 / baud + latency, the
// slowest concentrator's. The ratio wall ÷ bound is what the master station and the link add.
//   npm run bench -- control [concentrators] [meters per concentrator]   (default 10 100)
import type { ControlCommand, ControlResult, CoreApi, Logger } from '@quadmeter/sdk';
import {
  attachWaterMeters,
  ConcentratorSim,
  MeterTable,
  systemClock,
  waterAddress,
} from '@quadmeter/simulators';
import { configSchema } from '../plugins/transport-gdw1376/src/config.ts';
import plugin from '../plugins/transport-gdw1376/src/index.ts';
import { masterOf } from '../plugins/transport-gdw1376/src/runtime.ts';

const args = process.argv.slice(2);
const nConc = Number(args[0] ?? 10);
const perConc = Number(args[1] ?? 100);
if (!Number.isInteger(nConc) || nConc < 1 || nConc > 1000)
  throw new Error(`concentrators: 1 … 1000, got ${args[0]}`);
if (!Number.isInteger(perConc) || perConc < 1 || perConc > 2000)
  throw new Error(`meters: 1 … 2000, got ${args[1]}`);

const A1 = '3501';
const PORT = 3;
const BAUD = 2400;
const BITS = 11;
const LATENCY_MS = 30;
const TENANT = 't';

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const gw = (g: { a1: string; a2: number }) =>
  ({ matched: true, tenantId: TENANT, gatewayId: `${g.a1}-${g.a2}` }) as const;
const core: CoreApi = {
  ingestReadings: async () => ({ outcomes: [], stored: 0, duplicate: 0, rejected: 0, unmatched: 0 }),
  gatewayOnline: async (g) => gw(g),
  gatewayHeartbeat: async (g) => gw(g),
  enabledTenants: async () => [TENANT],
  controlUpdate: async () => ({ matched: false, changed: false }),
  tenantSettings: async () => ({}),
};
const config = configSchema.parse({ host: '127.0.0.1', port: 0, requestTimeoutMs: 600_000 });
const ctx = { pluginId: plugin.id, logger: silent, config, signal: new AbortController().signal, core };
await plugin.start?.(ctx);
const master = masterOf(ctx);
if (!master || plugin.mode !== 'poll') throw new Error('the master station did not start');
const transport = plugin;

const base = (a2: number) => 35010000 + a2;
const sims: ConcentratorSim[] = [];
const meters: ReturnType<typeof attachWaterMeters>[] = [];
for (let a2 = 1; a2 <= nConc; a2++) {
  const table = new MeterTable(systemClock);
  meters.push(
    attachWaterMeters(table, {
      clock: systemClock,
      port: PORT,
      count: perConc,
      addressBase: base(a2),
      latencyMs: LATENCY_MS,
    }),
  );
  const sim = new ConcentratorSim({
    master: { host: '127.0.0.1', port: master.port },
    a1: A1,
    a2,
    table,
    clock: systemClock,
    heartbeatSec: 3600,
    reconnectMs: 1000,
    lineTiming: true,
  });
  sim.start();
  sims.push(sim);
}
const t0 = Date.now();
while (master.online < nConc) {
  if (Date.now() - t0 > 30_000) throw new Error(`only ${master.online} of ${nConc} concentrators logged in`);
  await new Promise((r) => setTimeout(r, 20));
}

/** One valve close per meter, shaped as the core's outbox sends it (decision 0013). */
const commands: ControlCommand[] = [];
for (let a2 = 1; a2 <= nConc; a2++) {
  const gateway = { id: `gw-${a2}`, protocol: 'gdw1376', address: `${A1}-${a2}`, params: { a1: A1, a2 } };
  for (let i = 1; i <= perConc; i++)
    commands.push({
      id: `c-${a2}-${i}`,
      tenantId: TENANT,
      meterId: `m-${a2}-${i}`,
      ref: { protocol: 'cjt188', address: waterAddress(base(a2), i) },
      route: { via: 'concentrator', gateway: { a1: A1, a2 }, point: i },
      line: { id: gateway.id, params: {}, gateway },
      action: 'valve-close',
      params: { port: PORT },
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      attempt: 1,
    });
}

const wire0 = sims.map((s) => ({ from: s.wire.fromMaster, to: s.wire.toMaster, ...s.wire.ports }));
const started = performance.now();
const results: ControlResult[] = await Promise.all(commands.map((c) => transport.control(c, ctx)));
const wallMs = performance.now() - started;

const confirmed = results.filter(
  (r) => r.ok && r.status === 'confirmed' && r.state?.valve === 'closed',
).length;
const closed = meters.flat().filter((d) => d.meter.valve === 'closed').length;
const perSim = sims.map((s, k) => {
  const w0 = wire0[k];
  const p = s.wire.ports;
  const serialBytes = p.requestBytes - w0.requestBytes + (p.replyBytes - w0.replyBytes);
  const answered = p.answered - w0.answered;
  const silentForwards = p.forwards - w0.forwards - answered;
  return {
    linkDown: s.wire.fromMaster - w0.from,
    linkUp: s.wire.toMaster - w0.to,
    serialBytes,
    forwards: p.forwards - w0.forwards,
    boundMs: (serialBytes * BITS * 1000) / BAUD + answered * LATENCY_MS + silentForwards * 2000,
  };
});
const sum = (f: (x: (typeof perSim)[number]) => number) => perSim.reduce((a, x) => a + f(x), 0);
const n = commands.length;
const bound = Math.max(...perSim.map((x) => x.boundMs));

console.log(`${nConc} concentrators × ${perConc} CJ/T 188 water meters on port ${PORT}: ${n} valve closes`);
console.log(
  `results: ${confirmed}/${n} confirmed closed by the ST bits, ${closed}/${n} valves closed in the simulator`,
);
console.log(
  `per command: AFN 10 F1 on the link ${(sum((x) => x.linkDown) / n).toFixed(1)} B down + ${(sum((x) => x.linkUp) / n).toFixed(1)} B up; on the meter port ${(sum((x) => x.serialBytes) / n).toFixed(1)} B both ways (${sum((x) => x.forwards) / n} forwarding)`,
);
console.log(
  `meter port per command: ${(((sum((x) => x.serialBytes) / n) * BITS * 1000) / BAUD).toFixed(1)} ms at ${BAUD} baud 8E1 + ${LATENCY_MS} ms meter latency; link time on loopback taken as 0`,
);
console.log(`physical bound (slowest concentrator, its commands one after another): ${bound.toFixed(0)} ms`);
console.log(
  `wall, all commands at once through control(): ${wallMs.toFixed(0)} ms   ratio ${(wallMs / bound).toFixed(3)}×`,
);
console.log(`throughput: ${((n / wallMs) * 1000).toFixed(1)} commands/s`);

await Promise.all(sims.map((s) => s.stop()));
await plugin.stop?.(ctx);
if (confirmed !== n || closed !== n) {
  const sample = results.find((r) => !r.ok || r.status !== 'confirmed');
  console.error(`not every command was confirmed: ${JSON.stringify(sample)}`);
  process.exit(1);
}
