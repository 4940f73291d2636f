import type { ElectricityMeter } from '../meters/electricity-meter.ts';
import type { EnergySnapshot } from '../meters/electricity-types.ts';
import { toWallTime, wallDate } from '../time/wall-time.ts';

const p2 = (n: number): string => String(n).padStart(2, '0');
const DAY = 86_400_000;

/** 'YYYY-MM-DD HH:MM' (A.15) of an instant in the meter's wall time. */
export function a15(ms: number, offsetMin: number): string {
  const w = toWallTime(ms, offsetMin);
  return `${w.year}-${p2(w.month)}-${p2(w.day)} ${p2(w.hour)}:${p2(w.minute)}`;
}

/** Tariffed energy data (F129/F161/F177 layout) of a snapshot, or the all-EE "not read" form. */
function energy(
  s: EnergySnapshot | undefined,
  readAt: number,
  offsetMin: number,
  reverse = false,
): Record<string, unknown> {
  if (!s) return { time: null, tariffCount: null, total_kWh: null, tariffs_kWh: [] };
  const regs = reverse ? s.reverse : s.positive;
  return { time: a15(readAt, offsetMin), tariffCount: 4, total_kWh: regs[0], tariffs_kWh: regs.slice(1) };
}

/** AFN 0C F129: current positive active energy. */
export function f129(m: ElectricityMeter | undefined): Record<string, unknown> {
  if (!m) return energy(undefined, 0, 0);
  m.advance();
  return energy(m.snapshot(), m.meterNow(), m.utcOffsetMin);
}

/** AFN 0C F33: current positive active and reactive energy (reactive not metered: zeros). */
export function f33(m: ElectricityMeter | undefined): Record<string, unknown> {
  const zero = { total_kvarh: 0, tariffs_kvarh: [0, 0, 0, 0] };
  if (!m) {
    const none = { total_kvarh: null, tariffs_kvarh: [] };
    return {
      time: null,
      tariffCount: null,
      positiveActive: { total_kWh: null, tariffs_kWh: [] },
      positiveReactive: none,
      quadrant1Reactive: none,
      quadrant4Reactive: none,
    };
  }
  m.advance();
  const s = m.snapshot();
  return {
    time: a15(m.meterNow(), m.utcOffsetMin),
    tariffCount: 4,
    positiveActive: { total_kWh: s.positive[0], tariffs_kWh: s.positive.slice(1) },
    positiveReactive: zero,
    quadrant1Reactive: zero,
    quadrant4Reactive: zero,
  };
}

/** AFN 0C F25: power, power factor, voltage and current. */
export function f25(m: ElectricityMeter | undefined): Record<string, unknown> {
  const phases = (t: number | null) => ({
    total: t,
    a: t === null ? null : round(t / 3, 4),
    b: t === null ? null : round(t / 3, 4),
    c: t === null ? null : round(t / 3, 4),
  });
  if (!m) {
    const none = { total: null, a: null, b: null, c: null };
    return {
      time: null,
      activePower_kW: none,
      reactivePower_kvar: none,
      powerFactor_pct: none,
      voltage_V: none,
      current_A: none,
      zeroSequenceCurrent_A: null,
      apparentPower_kVA: none,
    };
  }
  const i = m.instantaneous();
  const pf = round(i.powerFactor * 100, 1);
  return {
    time: a15(m.meterNow(), m.utcOffsetMin),
    activePower_kW: phases(i.activePower),
    reactivePower_kvar: phases(i.reactivePower),
    powerFactor_pct: { total: pf, a: pf, b: pf, c: pf },
    voltage_V: { a: i.voltage[0], b: i.voltage[1], c: i.voltage[2] },
    current_A: { a: i.current[0], b: i.current[1], c: i.current[2] },
    zeroSequenceCurrent_A: 0,
    apparentPower_kVA: phases(i.apparentPower),
  };
}

/**
 * AFN 0D F161 for day `date` (YYYY-MM-DD): the daily freeze taken at the end of that day, i.e.
 * at 00:00 of the next day — the terminal stamps a day's frozen value with the day it closes.
 */
export function f161(m: ElectricityMeter | undefined, date: string): Record<string, unknown> {
  m?.advance();
  const s = m?.daily.find((x) => wallDate(x.at - DAY, m.utcOffsetMin) === date);
  return { date, ...energy(s, s?.at ?? 0, m?.utcOffsetMin ?? 0) };
}

/** AFN 0D F177 for month `month` (YYYY-MM): the settlement taken at the start of the next month. */
export function f177(m: ElectricityMeter | undefined, month: string): Record<string, unknown> {
  m?.advance();
  const s = m?.monthly.find((x) => wallDate(x.at - DAY, m.utcOffsetMin).slice(0, 7) === month);
  return { month, ...energy(s, s?.at ?? 0, m?.utcOffsetMin ?? 0) };
}

function round(v: number, d: number): number {
  return Math.round(v * 10 ** d) / 10 ** d;
}
