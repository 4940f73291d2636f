import { lastDays, num, round, withValue } from '../series.ts';
import type { VeeReading, VeeRule } from '../types.ts';
import { hit } from './consumption.ts';

const HOUR = 3_600_000;
const REVERSE_REGISTER: Record<string, string> = {
  water: 'reverseVolume',
  electricity: 'activeExportTotal',
};

/**
 * The reverse register (water reverse volume, power export energy) grew by more than `minDelta`
 * over the last `days` days: a meter fitted backwards or a reversed CT. A meter recorded as
 * exporting (solar) is exempt.
 */
export const reverseFlow: VeeRule<{ days: number; minDelta: number }> = {
  id: 'reverse-flow',
  media: ['water', 'electricity'],
  severity: 'critical',
  defaults: { days: 3, minDelta: 0.5 },
  evaluate(w, p) {
    const key = REVERSE_REGISTER[w.meter.medium];
    if (!key || w.meter.exports) return null;
    const from = w.now.getTime() - p.days * 24 * HOUR;
    const rs = w.readings.filter((r) => num(r, key) !== undefined);
    const before = rs.filter((r) => r.ts.getTime() < from).at(-1) ?? rs[0];
    const last = rs.at(-1);
    if (!before || !last || before === last) return null;
    const delta = (num(last, key) as number) - (num(before, key) as number);
    if (delta < p.minDelta) return null;
    return hit(
      'reverse-flow',
      'critical',
      `${key} grew by ${round(delta)} in ${p.days} days`,
      [before, last],
      {
        register: key,
        delta: round(delta),
      },
    );
  },
};

/**
 * Continuous night flow: on each of the last `nights` nights the lowest hourly rate between
 * `fromHour` and `toHour` (UTC offset `utcOffset` hours) stayed above `minRate` — water never
 * stopped running, a leak.
 */
export const nightFlow: VeeRule<{
  nights: number;
  fromHour: number;
  toHour: number;
  minRate: number;
  utcOffset: number;
}> = {
  id: 'night-flow',
  // heating runs all night by design: water and gas only
  media: ['water', 'gas'],
  severity: 'warning',
  defaults: { nights: 3, fromHour: 1, toHour: 5, minRate: 0.005, utcOffset: 8 },
  evaluate(w, p) {
    // a master meter always sees its sub-meters' night use; its losses are the balance's business
    if (w.subUsageByDay) return null;
    const vs = withValue(w.readings);
    const local = (r: VeeReading) => new Date(r.ts.getTime() + p.utcOffset * HOUR);
    // the nights whose window has passed, in local time: tonight's too once `toHour` is over
    const localNow = new Date(w.now.getTime() + p.utcOffset * HOUR);
    const passed = localNow.getUTCHours() >= p.toHour ? 1 : 0;
    const nights = lastDays(new Date(localNow.getTime() + passed * 24 * HOUR), p.nights);
    const evidence: VeeReading[] = [];
    const minima: number[] = [];
    for (const night of nights) {
      let min = Number.POSITIVE_INFINITY;
      let steps = 0;
      for (let i = 1; i < vs.length; i++) {
        const prev = vs[i - 1] as VeeReading & { value: number };
        const cur = vs[i] as VeeReading & { value: number };
        const t = local(cur);
        const h = t.getUTCHours();
        if (!t.toISOString().startsWith(night) || h <= p.fromHour || h > p.toHour) continue;
        const hours = (cur.ts.getTime() - prev.ts.getTime()) / HOUR;
        if (hours <= 0 || hours > 2) continue;
        min = Math.min(min, (cur.value - prev.value) / hours);
        steps++;
        if (evidence.length < 24) evidence.push(cur);
      }
      if (steps < 2 || min <= p.minRate) return null;
      minima.push(round(min, 4));
    }
    return hit(
      'night-flow',
      'warning',
      `night flow never below ${Math.min(...minima)}/h for ${p.nights} nights`,
      evidence,
      { nightMinima: minima },
    );
  },
};
