import type { Medium } from '@quadmeter/sdk';
import type { Estate } from './estate.ts';
import type { MeterFacts, VeeReading } from './types.ts';

/**
 * A generated estate for diagnosis tests: hourly readings of `meters` meters over `days` days in
 * four areas, behind concentrators of ten meters each, with a master water meter per area, and
 * planted cases — each a meter (or a concentrator's meters) that a named rule must find. Normal
 * meters include the awkward but healthy ones (a recorded replacement, a solar exporter, a vacant
 * flat, a counter that wraps) that must produce no finding. Deterministic for a seed.
 */
export interface Scenario extends Estate {
  planted: { case: string; meterId: string; rule: string }[];
  normal: string[];
}

const HOUR = 3_600_000;
const LOCAL = 8; // UTC+8: night hours are local

/** mulberry32: a small seeded generator, so a scenario is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Plan {
  facts: MeterFacts;
  /** base usage per day */
  daily: number;
  start: number;
  /** per-hour hook to plant a case: may change usage, registers, status, or drop the reading */
  plant?: (h: HourCtx) => void;
}

interface HourCtx {
  ts: Date;
  /** hours before now (0 = the last reading) */
  ago: number;
  localHour: number;
  usage: number;
  counter: number;
  registers: Record<string, number | string>;
  status: Record<string, boolean | string>;
  skip: boolean;
}

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const MAIN: Record<Medium, string> = {
  water: 'totalVolume',
  electricity: 'activeImportTotal',
  gas: 'standardVolume',
  heat: 'heatEnergy',
};

/** The share of a day's usage in a local hour: water and gas by day only, power and heat all day. */
function hourShare(medium: Medium, localHour: number, rnd: () => number): number {
  if (medium === 'electricity' || medium === 'heat') return (0.8 + 0.4 * rnd()) / 24;
  if (localHour < 6) return rnd() < 0.03 ? 0.02 : 0; // now and then a glass of water at night
  return (0.5 + rnd()) / 18;
}

export function generateScenario(opts: { meters?: number; days?: number; seed?: number } = {}): Scenario {
  const count = opts.meters ?? 200;
  const days = opts.days ?? 60;
  const rnd = prng(opts.seed ?? 15);
  const now = new Date(Date.UTC(2026, 10, 30, 0, 0, 0));
  const areas = [id(0xa1), id(0xa2), id(0xa3), id(0xa4)];
  const media: Medium[] = ['water', 'water', 'water', 'electricity', 'electricity', 'gas', 'heat'];
  const plans: Plan[] = [];
  for (let i = 0; i < count; i++) {
    const medium = media[i % media.length] as Medium;
    const daily = { water: 0.3, electricity: 8, gas: 1, heat: 60 }[medium] * (0.6 + 0.8 * rnd());
    plans.push({
      facts: {
        id: id(i + 1),
        medium,
        areaId: areas[i % 4] as string,
        occupied: true,
        concentratorId: id(0xc000 + Math.floor(i / 10)),
        replacedAt: [],
        commanded: null,
        exports: false,
      },
      daily,
      start: Math.round(rnd() * 5000),
    });
  }
  const planted: Scenario['planted'] = [];
  const normalSpecial = new Set<string>();
  const byMedium = (m: Medium, k: number) => plans.filter((p) => p.facts.medium === m)[k] as Plan;
  const plant = (p: Plan, name: string, rule: string, fn?: Plan['plant']) => {
    planted.push({ case: name, meterId: p.facts.id, rule });
    if (fn) p.plant = fn;
  };
  // — the six cases of the issue —
  plant(byMedium('water', 3), 'leak', 'night-flow', (h) => {
    if (h.ago < 5 * 24) h.usage += 0.02;
  });
  plant(byMedium('water', 5), 'stuck meter', 'zero-consumption', (h) => {
    if (h.ago < 12 * 24) h.usage = 0;
  });
  plant(byMedium('water', 8), 'tampered meter', 'tamper', (h) => {
    if (h.ago === 7 || h.ago === 8) h.status.magneticAttack = true;
  });
  plant(byMedium('water', 11), 'unrecorded replacement', 'meter-replaced', (h) => {
    if (h.ago === 10 * 24) h.counter = 0.5;
  });
  plant(byMedium('electricity', 2), 'reversed CT', 'reverse-flow', (h) => {
    if (h.ago < 6 * 24) {
      h.registers.activeExportTotal = (h.registers.activeExportTotal as number) + h.usage;
      h.status.activeReversed = true;
      h.usage = 0;
    }
  });
  const dropped = id(0xc000 + 7);
  for (const p of plans.filter((x) => x.facts.concentratorId === dropped)) {
    plant(p, 'concentrator drop-out', 'no-data', (h) => {
      if (h.ago < 48) h.skip = true;
    });
  }
  // — more rules of the catalogue —
  plant(byMedium('water', 14), 'usage spike', 'usage-spike', (h) => {
    if (h.ago < 24 && h.localHour >= 6) h.usage *= 6;
  });
  plant(byMedium('gas', 2), 'counter rollback', 'counter-rollback', (h) => {
    if (h.ago === 5 * 24) h.counter -= 50;
  });
  plant(byMedium('gas', 4), 'low battery', 'low-battery', (h) => {
    if (h.ago < 30) h.status.batteryLow = true;
  });
  const valve = byMedium('water', 17);
  valve.facts.commanded = { state: 'closed', at: new Date(now.getTime() - 72 * HOUR) };
  plant(valve, 'valve fault', 'valve-fault');
  plant(byMedium('electricity', 6), 'over-voltage', 'voltage', (h) => {
    if (h.ago < 10) h.registers.voltageB = 248;
  });
  plant(byMedium('electricity', 9), 'current imbalance', 'current-imbalance', (h) => {
    if (h.ago < 10) h.registers.currentC = 0.5;
  });
  plant(byMedium('electricity', 12), 'clock drift', 'clock-drift', (h) => {
    h.registers.meterTime = (h.registers.meterTime as number) + 900;
  });
  plant(byMedium('heat', 3), 'sensors swapped', 'heat-temperature', (h) => {
    if (h.ago < 20) [h.registers.supplyTemperature, h.registers.returnTemperature] = [40, 55];
  });
  // — healthy but awkward: must not fire —
  const recorded = byMedium('water', 20);
  recorded.facts.replacedAt = [new Date(now.getTime() - (20 * 24 + 0.5) * HOUR)];
  recorded.plant = (h) => {
    if (h.ago === 20 * 24) h.counter = 0.2;
  };
  const solar = byMedium('electricity', 15);
  solar.facts.exports = true;
  solar.plant = (h) => {
    if (h.localHour >= 10 && h.localHour < 15)
      h.registers.activeExportTotal = (h.registers.activeExportTotal as number) + 1;
  };
  const vacant = byMedium('water', 23);
  vacant.facts.occupied = false;
  vacant.daily = 0;
  const wrap = byMedium('water', 26);
  wrap.facts.rolloverMax = 9999.999;
  wrap.start = 9992;
  for (const p of [recorded, solar, vacant, wrap]) normalSpecial.add(p.facts.id);

  const readings = new Map<string, VeeReading[]>();
  for (const p of plans) readings.set(p.facts.id, series(p, now, days, rnd));
  // a master water meter per area: the sum of its sub-meters plus 3–6 % network loss
  const subsOf = new Map<string, string[]>();
  const meters = plans.map((p) => p.facts);
  areas.forEach((area, k) => {
    const master: MeterFacts = {
      id: id(0xe000 + k),
      medium: 'water',
      areaId: area,
      occupied: false,
      concentratorId: null,
      replacedAt: [],
      commanded: null,
      exports: false,
    };
    const subs = plans
      .filter((p) => p.facts.areaId === area && p.facts.medium === 'water')
      .map((p) => p.facts.id);
    const loss = 1.03 + 0.03 * rnd();
    // area 2's master under-registers (a worn master) for the last 10 days
    const factor = (ago: number) => (k === 1 && ago < 10 * 24 ? 0.5 : loss);
    readings.set(
      master.id,
      masterSeries(
        subs.map((s) => readings.get(s) ?? []),
        now,
        days,
        factor,
      ),
    );
    subsOf.set(master.id, subs);
    meters.push(master);
    if (k === 1)
      planted.push({ case: 'master under-registers', meterId: master.id, rule: 'sub-exceeds-master' });
  });
  const plantedIds = new Set(planted.map((x) => x.meterId));
  const normal = meters.map((m) => m.id).filter((x) => !plantedIds.has(x));
  void normalSpecial;
  return { now, meters, readings, subsOf, planted, normal };
}

function series(p: Plan, now: Date, days: number, rnd: () => number): VeeReading[] {
  const out: VeeReading[] = [];
  const m = p.facts.medium;
  let counter = p.start;
  let exported = 0;
  let dayFactor = 1;
  for (let ago = days * 24 - 1; ago >= 0; ago--) {
    const ts = new Date(now.getTime() - ago * HOUR);
    const localHour = (ts.getUTCHours() + LOCAL) % 24;
    if (localHour === 0 || ago === days * 24 - 1) dayFactor = 0.75 + 0.5 * rnd();
    const registers: Record<string, number | string> = { activeExportTotal: exported };
    const status: Record<string, boolean | string> = {};
    const h: HourCtx = {
      ts,
      ago,
      localHour,
      usage: p.daily * dayFactor * hourShare(m, localHour, rnd),
      counter,
      registers,
      status,
      skip: false,
    };
    if (m === 'electricity') {
      for (const ph of ['A', 'B', 'C']) {
        registers[`voltage${ph}`] = 220 + (rnd() - 0.5) * 8;
        registers[`current${ph}`] = 10 + (rnd() - 0.5) * 2;
      }
      registers.meterTime = Math.round(ts.getTime() / 1000 + (rnd() - 0.5) * 20);
    }
    if (m === 'heat') {
      registers.supplyTemperature = 60 + (rnd() - 0.5) * 6;
      registers.returnTemperature = 45 + (rnd() - 0.5) * 6;
    }
    if (m === 'gas') registers.pressure = 101 + (rnd() - 0.5) * 4;
    if (m === 'water' && p.facts.commanded) status.valve = 'open';
    else if (m === 'water') status.valve = 'open';
    p.plant?.(h);
    counter = h.counter + h.usage;
    const max = p.facts.rolloverMax;
    if (max !== undefined && counter > max) counter -= max + 0.001;
    exported = m === 'electricity' ? (h.registers.activeExportTotal as number) : 0;
    if (m !== 'electricity') delete registers.activeExportTotal;
    if (m === 'heat') {
      registers.temperatureDifference =
        (registers.supplyTemperature as number) - (registers.returnTemperature as number);
    }
    if (h.skip) continue;
    const value = Math.round(counter * 1000) / 1000;
    out.push({ ts, value, registers: { ...registers, [MAIN[m]]: value }, status });
  }
  return out;
}

function masterSeries(
  subs: VeeReading[][],
  now: Date,
  days: number,
  factor: (ago: number) => number,
): VeeReading[] {
  const at = subs.map((rs) => new Map(rs.map((r) => [r.ts.getTime(), r.value ?? 0])));
  const out: VeeReading[] = [];
  let counter = 1000;
  const last = subs.map(() => Number.NaN);
  for (let ago = days * 24 - 1; ago >= 0; ago--) {
    const t = now.getTime() - ago * HOUR;
    let usage = 0;
    at.forEach((m, k) => {
      const v = m.get(t);
      if (v === undefined) return;
      const prev = last[k] as number;
      if (!Number.isNaN(prev) && v >= prev) usage += v - prev;
      last[k] = v;
    });
    counter += usage * factor(ago);
    const value = Math.round(counter * 1000) / 1000;
    out.push({ ts: new Date(t), value, registers: { totalVolume: value }, status: {} });
  }
  return out;
}
