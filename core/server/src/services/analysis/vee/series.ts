import type { VeeReading } from './types.ts';

const DAY = 86_400_000;

/** The UTC day of an instant, YYYY-MM-DD; an interval belongs to the day of its end. */
export function dayOf(ts: Date): string {
  return new Date(ts.getTime() - 1).toISOString().slice(0, 10);
}

/** Readings with a main value, ascending. */
export function withValue(readings: readonly VeeReading[]): (VeeReading & { value: number })[] {
  return readings.filter((r): r is VeeReading & { value: number } => r.value !== null);
}

/** Usage of the main register per UTC day, from consecutive readings (negative steps excluded). */
export function dailyUsage(readings: readonly VeeReading[]): Map<string, number> {
  const out = new Map<string, number>();
  const vs = withValue(readings);
  for (let i = 1; i < vs.length; i++) {
    const prev = vs[i - 1] as VeeReading & { value: number };
    const cur = vs[i] as VeeReading & { value: number };
    const d = cur.value - prev.value;
    if (d < 0) continue;
    const day = dayOf(cur.ts);
    out.set(day, (out.get(day) ?? 0) + d);
  }
  return out;
}

/** The last `n` complete UTC days before `now`, oldest first. */
export function lastDays(now: Date, n: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out: string[] = [];
  for (let i = n; i >= 1; i--) out.push(new Date(today - i * DAY).toISOString().slice(0, 10));
  return out;
}

/** A numeric register of a reading, or undefined. */
export function num(r: VeeReading, key: string): number | undefined {
  const v = r.registers[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export const iso = (r: VeeReading): string => r.ts.toISOString();

export const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
