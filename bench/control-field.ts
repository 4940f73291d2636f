// The field of bench/control.ts: N simulated Q/GDW 1376.1 concentrators on loopback TCP, each with
// M CJ/T 188 water meters (valves) on terminal port 3 and a timed meter port, and the physical
// bound of what crossed their ports.
import {
  attachWaterMeters,
  ConcentratorSim,
  MeterTable,
  systemClock,
  waterAddress,
} from '@quadmeter/simulators';

export const A1 = '3501';
export const PORT = 3;
export const BAUD = 2400;
export const BITS = 11;
export const LATENCY_MS = 30;

export interface Field {
  sims: ConcentratorSim[];
  /** the water meters of concentrator a2 at index a2 − 1 */
  meters: ReturnType<typeof attachWaterMeters>[];
  /** address of water meter i (1-based) behind concentrator a2 */
  address(a2: number, i: number): string;
  /** marks the start of a measured window (the wire counters now) */
  mark(): void;
  /** what crossed the links and ports since `mark` */
  bound(commands: number): FieldBound;
  valvesClosed(): number;
  stop(): Promise<void>;
}

export interface FieldBound {
  /** slowest concentrator: its meter port's bytes × 11 / baud + latency per answer, ms */
  boundMs: number;
  /** the same summed over the concentrators: ÷ wall = concentrators busy at once on average */
  totalMs: number;
  /** per command: AFN 10 bytes master → terminal, terminal → master, and on the meter port */
  down: number;
  up: number;
  serial: number;
  forwards: number;
}

const base = (a2: number) => 35010000 + a2;

export function startField(masterPort: number, nConc: number, perConc: number, a1 = A1): Field {
  const sims: ConcentratorSim[] = [];
  const meters: Field['meters'] = [];
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
      master: { host: '127.0.0.1', port: masterPort },
      a1,
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
  const snapshot = () => sims.map((s) => ({ from: s.wire.fromMaster, to: s.wire.toMaster, ...s.wire.ports }));
  let w0 = snapshot();
  return {
    sims,
    meters,
    address: (a2, i) => waterAddress(base(a2), i),
    mark() {
      w0 = snapshot();
    },
    bound(commands) {
      const per = sims.map((s, k) => {
        const p = s.wire.ports;
        const serial = p.requestBytes - w0[k].requestBytes + (p.replyBytes - w0[k].replyBytes);
        const answered = p.answered - w0[k].answered;
        const silent = p.forwards - w0[k].forwards - answered;
        return {
          down: s.wire.fromMaster - w0[k].from,
          up: s.wire.toMaster - w0[k].to,
          serial,
          forwards: p.forwards - w0[k].forwards,
          // a forwarding no meter answered holds the port for the 2 s frame timeout
          ms: (serial * BITS * 1000) / BAUD + answered * LATENCY_MS + silent * 2000,
        };
      });
      const sum = (f: (x: (typeof per)[number]) => number) => per.reduce((a, x) => a + f(x), 0) / commands;
      return {
        boundMs: Math.max(...per.map((x) => x.ms)),
        totalMs: per.reduce((a, x) => a + x.ms, 0),
        down: sum((x) => x.down),
        up: sum((x) => x.up),
        serial: sum((x) => x.serial),
        forwards: sum((x) => x.forwards),
      };
    },
    valvesClosed: () => meters.flat().filter((d) => d.meter.valve === 'closed').length,
    stop: async () => {
      await Promise.all(sims.map((s) => s.stop()));
    },
  };
}

export function printBound(b: FieldBound): void {
  console.log(
    `  per command: AFN 10 F1 on the link ${b.down.toFixed(1)} B down + ${b.up.toFixed(1)} B up; on the meter port ${b.serial.toFixed(1)} B both ways in ${b.forwards.toFixed(2)} forwarding(s) = ${((b.serial * BITS * 1000) / BAUD).toFixed(1)} ms at ${BAUD} baud 8E1 + ${LATENCY_MS} ms meter latency (link time on loopback taken as 0)`,
  );
  console.log(
    `  physical bound (slowest concentrator, its commands one after another): ${b.boundMs.toFixed(0)} ms`,
  );
}
