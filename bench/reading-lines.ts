// Reading meters over simulated RS-485 lines at 2400 baud through TCP serial servers, next to the
// physical bound measured in the same run: every byte that went over each line (requests and
// replies) at 11 bits per byte, plus the meters' reply latency per exchange; lines run in
// parallel, so the bound is the slowest line's. The ratio shows what the transport adds on top of
// the wire (goal ≤ 1.2×).
//   npm run bench -- reading-lines [lines] [meters-per-line]
import type { PluginContext, ReadResult } from '../core/sdk/src/index.ts';
import {
  CJT188_TYPES,
  Cjt188Device,
  Cjt188Meter,
  Dlt645Device,
  ElectricityMeter,
  householdProfile,
  Rs485Bus,
  startTcpSerialServer,
  systemClock,
} from '../core/simulators/src/index.ts';
import plugin from '../plugins/transport-rs485/src/index.ts';
import { closeLines } from '../plugins/transport-rs485/src/pool.ts';

const lineCount = Number(process.argv[2] ?? 4);
const perLine = Number(process.argv[3] ?? 8);
const BAUD = 2400;
const LATENCY_MS = 40;
const BITS = 11;

interface Line {
  bus: Rs485Bus;
  key: string;
  bytes: number;
  close(): Promise<void>;
}

async function startLine(i: number): Promise<Line> {
  const bus = new Rs485Bus({ baud: BAUD, seed: i + 1 });
  for (let m = 1; m <= perLine; m++) {
    if (m % 2 === 1) {
      const meter = new ElectricityMeter({
        address: String(m).padStart(12, '0'),
        clock: systemClock,
        load: householdProfile(2),
        initialEnergy: 1000 + m,
      });
      bus.addDevice(new Dlt645Device(meter, LATENCY_MS));
    } else {
      const meter = new Cjt188Meter({
        type: CJT188_TYPES.coldWater,
        address: String(m).padStart(14, '0'),
        clock: systemClock,
        initialVolume: 10 + m,
      });
      bus.addDevice(new Cjt188Device(meter, LATENCY_MS));
    }
  }
  const line: Line = { bus, key: '', bytes: 0, close: async () => {} };
  // count every byte on the wire, both ways
  const server = await startTcpSerialServer({
    write: (b) => {
      line.bytes += b.length;
      bus.write(b);
    },
    onData: (fn) =>
      bus.onData((c) => {
        line.bytes += c.length;
        fn(c);
      }),
  });
  line.key = `tcp://127.0.0.1:${server.port}`;
  line.close = async () => {
    await server.close();
    bus.close();
  };
  return line;
}

const meters = Array.from({ length: perLine }, (_, k) => {
  const m = k + 1;
  return m % 2 === 1
    ? { meterId: `p${m}`, ref: { protocol: 'dlt645-2007', address: String(m).padStart(12, '0') } }
    : { meterId: `w${m}`, ref: { protocol: 'cjt188', address: String(m).padStart(14, '0') } };
});

const ctx = { config: {}, signal: new AbortController().signal } as unknown as PluginContext<never>;

async function readLine(line: Line): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  const request = {
    tenantId: '00000000-0000-4000-8000-000000000001',
    line: { id: line.key, params: { key: line.key, baudRate: BAUD, latencyMs: LATENCY_MS } },
    meters,
    signal: ctx.signal,
  };
  for await (const r of plugin.read(request, ctx)) out.push(r);
  return out;
}

const lines = await Promise.all(Array.from({ length: lineCount }, (_, i) => startLine(i)));
const t0 = performance.now();
const results = (await Promise.all(lines.map(readLine))).flat();
const elapsed = performance.now() - t0;
await closeLines();
for (const l of lines) await l.close();

const failed = results.filter((r) => !r.ok);
const bounds = lines.map((l) => (l.bytes * BITS * 1000) / BAUD + l.bus.stats.requestFrames * LATENCY_MS);
const bound = Math.max(...bounds);
const frames = lines.reduce((n, l) => n + l.bus.stats.requestFrames, 0);
console.log(
  `${lineCount} lines × ${perLine} meters at ${BAUD} baud: ${results.length - failed.length}/${results.length} read, ${frames} exchanges`,
);
console.log(
  `physical bound (slowest line: bytes × ${BITS} / baud + latency per exchange): ${bound.toFixed(0)} ms`,
);
console.log(
  `read all lines in parallel: ${elapsed.toFixed(0)} ms   ratio ${(elapsed / bound).toFixed(3)}× (goal ≤ 1.2×)`,
);
if (failed.length > 0) {
  console.error(`failures: ${JSON.stringify(failed.slice(0, 3))}`);
  process.exit(1);
}
