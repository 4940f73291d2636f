import type { MeterFacts, MeterWindow, VeeReading } from '../types.ts';

export const NOW = new Date('2026-11-30T00:00:00Z');
const HOUR = 3_600_000;

export function facts(over: Partial<MeterFacts> = {}): MeterFacts {
  return {
    id: 'm1',
    medium: 'water',
    areaId: 'a1',
    occupied: true,
    concentratorId: 'c1',
    replacedAt: [],
    commanded: null,
    exports: false,
    ...over,
  };
}

export interface Point {
  value?: number | null;
  registers?: Record<string, number | string>;
  status?: Record<string, boolean | string>;
}

/** Hourly readings for `hours` hours up to NOW; `at(ago)` gives each one (null: no reading). */
export function hourly(hours: number, at: (ago: number) => Point | null): VeeReading[] {
  const out: VeeReading[] = [];
  for (let ago = hours - 1; ago >= 0; ago--) {
    const p = at(ago);
    if (!p) continue;
    out.push({
      ts: new Date(NOW.getTime() - ago * HOUR),
      value: p.value ?? null,
      registers: p.registers ?? {},
      status: p.status ?? {},
    });
  }
  return out;
}

/** A counter that grows `perHour` every hour, from `start`. */
export const counter =
  (perHour: number, start = 100, hours = 24 * 30) =>
  (ago: number): number =>
    start + (hours - ago) * perHour;

export function win(
  meter: Partial<MeterFacts>,
  readings: VeeReading[],
  extra: Partial<MeterWindow> = {},
): MeterWindow {
  return { meter: facts(meter), readings, now: NOW, ...extra };
}
