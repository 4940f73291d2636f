import type { ItemValue } from '../../../protocols/src/dlt645/types.ts';
import { toWallTime } from '../time/wall-time.ts';
import type { ElectricityMeter } from './electricity-meter.ts';
import type { EnergyRegisters, EnergySnapshot, EventRecord } from './electricity-types.ts';

const p2 = (n: number): string => String(n).padStart(2, '0');

/** Wall time in the readable forms the DL/T 645 item codec takes. */
export function stamp(m: ElectricityMeter, ms: number, withSeconds = true): string {
  const w = toWallTime(ms, m.utcOffsetMin);
  const base = `${w.year}-${p2(w.month)}-${p2(w.day)} ${p2(w.hour)}:${p2(w.minute)}`;
  return withSeconds ? `${base}:${p2(w.second)}` : base;
}

function energy(regs: EnergyRegisters, rr: number): ItemValue | undefined {
  if (rr === 0xff) return [...regs];
  return rr <= 4 ? regs[rr] : undefined;
}

function combined(s: { positive: EnergyRegisters; reverse: EnergyRegisters }): EnergyRegisters {
  return s.positive.map((v, i) => Math.round((v + s.reverse[i]) * 100) / 100) as EnergyRegisters;
}

/** Energy of type TT (00 combined, 01 positive, 02 reverse) from a snapshot. */
function energyOf(
  s: EnergySnapshot | { positive: EnergyRegisters; reverse: EnergyRegisters },
  tt: number,
  rr: number,
): ItemValue | undefined {
  if (tt === 0) return energy(combined(s), rr);
  if (tt === 1) return energy(s.positive, rr);
  if (tt === 2) return energy(s.reverse, rr);
  return undefined;
}

const fixed3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Status word 3 (04000503): bit 4 relay open, bit 6 relay command open, bit 7 pre-trip alarm,
 * bit 12 keep-power (the smart-meter extension).
 */
function statusWord3(m: ElectricityMeter): string {
  const open = m.relay.state === 'tripped' ? 1 : 0;
  const v = (open << 4) | (open << 6) | ((m.relay.alarm ? 1 : 0) << 7) | ((m.relay.keepPower ? 1 : 0) << 12);
  return v.toString(16).padStart(4, '0').toUpperCase();
}

function relayRecord(m: ElectricityMeter, r: EventRecord | undefined): ItemValue | undefined {
  if (!r) return undefined;
  const s = m.snapshot(r.at);
  return {
    time: stamp(m, r.at),
    operator: r.operator ?? '00000000',
    positiveActive: s.positive[0],
    reverseActive: s.reverse[0],
    q1Reactive: 0,
    q2Reactive: 0,
    q3Reactive: 0,
    q4Reactive: 0,
  };
}

/**
 * The value a DL/T 645-2007 meter reports for a data identifier (8 hex digits, DI3 first), in the
 * form the item encoder takes; undefined when the meter has no such item (abnormal reply).
 */
export function value2007(m: ElectricityMeter, di: string): ItemValue | undefined {
  const b = [0, 2, 4, 6].map((i) => Number.parseInt(di.slice(i, i + 2), 16));
  const [d3, d2, d1, d0] = b;
  m.advance();
  const now = m.meterNow();
  const inst = m.instantaneous();
  if (d3 === 0x00 && d2 <= 0x02) {
    if (d0 === 0) return energyOf(m.snapshot(), d2, d1);
    if (d0 >= 1 && d0 <= 12) {
      const s = m.monthly.last(d0);
      return s ? energyOf(s, d2, d1) : undefined;
    }
    return undefined;
  }
  if (di === '00900200') return Math.max(0, Math.round(m.prepaid.balance * 100) / 100);
  if (di === '00900201') return Math.max(0, Math.round(-m.prepaid.balance * 100) / 100);
  if (d3 === 0x02 && d2 >= 0x01 && d2 <= 0x06 && d0 === 0) {
    const perPhase = (total: number): number[] =>
      [total, total / 3, total / 3, total / 3].map((x) => Math.round(x * 10_000) / 10_000);
    const table: Record<number, number[]> = {
      1: [0, ...inst.voltage],
      2: [0, ...inst.current],
      3: perPhase(inst.activePower),
      4: perPhase(inst.reactivePower),
      5: perPhase(inst.apparentPower),
      6: [inst.powerFactor, inst.powerFactor, inst.powerFactor, inst.powerFactor].map(fixed3),
    };
    const row = table[d2];
    const hasTotal = d2 >= 3;
    if (d1 === 0xff) return hasTotal ? row : row.slice(1);
    if (d1 === 0 && !hasTotal) return undefined;
    return d1 <= 3 ? row[d1] : undefined;
  }
  switch (di) {
    case '02800002':
      return inst.frequency;
    case '04000101': {
      const w = toWallTime(now, m.utcOffsetMin);
      return { date: stamp(m, now).slice(0, 10), weekday: w.weekday };
    }
    case '04000102':
      return stamp(m, now).slice(11);
    case '04000401':
    case '04000402':
      return m.address;
    case '04000503':
      return statusWord3(m);
    case '04001001':
      return m.prepaid.alarm1;
    case '04001002':
      return m.prepaid.alarm2;
    case '04001003':
      return m.prepaid.overdraftLimit;
    case '04001004':
      return m.prepaid.hoardingLimit;
    case '04001005':
      return m.prepaid.closePermit;
    case '03110000':
      return m.events.powerDownCount;
    case '03300000':
      return m.events.programmingCount;
  }
  if (d3 === 0x05 && (d2 === 0x06 || d2 === 0x01) && d0 >= 1) {
    const store = d2 === 0x06 ? m.daily : m.instantFreezes;
    const s = store.last(d0);
    if (!s) return undefined;
    if (d1 === 0) return stamp(m, s.at, false);
    if (d1 === 1) return [...s.positive];
    if (d1 === 2) return [...s.reverse];
    return undefined;
  }
  if (d3 === 0x03 && d2 === 0x11 && d1 === 0 && d0 >= 1) {
    const r = m.events.powerDowns.last(d0);
    return r ? { start: stamp(m, r.at), end: stamp(m, r.end ?? r.at) } : undefined;
  }
  if (d3 === 0x03 && d2 === 0x30 && d1 === 0 && d0 >= 1) {
    const r = m.events.programming.last(d0);
    if (!r) return undefined;
    const out: Record<string, ItemValue> = { time: stamp(m, r.at), operator: r.operator ?? '00000000' };
    for (let i = 1; i <= 10; i++) out[`di${i}`] = 'FFFFFFFF';
    return out;
  }
  if ((d3 === 0x1d || d3 === 0x1e) && d2 === 0 && d1 === 0 && d0 >= 1) {
    return relayRecord(m, (d3 === 0x1d ? m.events.trips : m.events.closes).last(d0));
  }
  return undefined;
}

/** The same for DL/T 645-1997 (4 hex digits, DI1 first). */
export function value1997(m: ElectricityMeter, di: string): ItemValue | undefined {
  m.advance();
  const now = m.meterNow();
  const inst = m.instantaneous();
  const energyMatch = /^9([0-9A-F])([0-9A-F])([0-4F])$/.exec(di);
  if (energyMatch) {
    const group = Number.parseInt(energyMatch[1], 16);
    const kind = Number.parseInt(energyMatch[2], 16);
    const rr = energyMatch[3] === 'F' ? 0xff : Number(energyMatch[3]);
    const month = group === 0 ? 0 : group === 4 ? 1 : group === 8 ? 2 : -1;
    if (month < 0 || (kind !== 1 && kind !== 2)) return undefined;
    const s = month === 0 ? m.snapshot() : m.monthly.last(month);
    if (!s) return undefined;
    const v = energyOf(s, kind, rr);
    return Array.isArray(v) ? v.slice(0, 5) : v;
  }
  const phase = (row: number[], d: string): ItemValue | undefined => {
    if (d === 'F') return row;
    const i = Number(d);
    return i >= 1 && i <= 3 ? row[i - 1] : undefined;
  };
  if (/^B61[1-3F]$/.test(di)) return phase(inst.voltage.map(Math.round), di[3]);
  if (/^B62[1-3F]$/.test(di))
    return phase(
      inst.current.map((x) => Math.round(x * 100) / 100),
      di[3],
    );
  if (di === 'B630') return Math.abs(inst.activePower);
  switch (di) {
    case 'B212':
      return m.events.programmingCount;
    case 'C010': {
      const w = toWallTime(now, m.utcOffsetMin);
      return { date: stamp(m, now).slice(0, 10), weekday: w.weekday };
    }
    case 'C011':
      return stamp(m, now).slice(11);
    case 'C032':
      return m.address;
  }
  return undefined;
}
