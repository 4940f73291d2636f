import { num, round } from '../series.ts';
import type { VeeReading, VeeRule } from '../types.ts';
import { hit } from './consumption.ts';

const PHASES = ['A', 'B', 'C'] as const;

/** Of the last `lookback` readings, those where `bad` holds; fires when at least `minCount` do. */
function persistent(
  rs: readonly VeeReading[],
  lookback: number,
  minCount: number,
  bad: (r: VeeReading) => boolean,
) {
  const hits = rs.slice(-lookback).filter(bad);
  return hits.length >= minCount ? hits : null;
}

/**
 * Over/under voltage: a phase voltage outside nominal −`underPct` % … +`overPct` % (GB/T 12325:
 * 220 V −10 % … +7 %) in at least `minCount` of the last `lookback` readings. A phase reading 0 V is
 * a missing phase on a single-phase meter and ignored.
 */
export const voltage: VeeRule<{
  nominal: number;
  overPct: number;
  underPct: number;
  lookback: number;
  minCount: number;
}> = {
  id: 'voltage',
  media: ['electricity'],
  severity: 'warning',
  defaults: { nominal: 220, overPct: 7, underPct: 10, lookback: 24, minCount: 3 },
  evaluate(w, p) {
    const hi = p.nominal * (1 + p.overPct / 100);
    const lo = p.nominal * (1 - p.underPct / 100);
    const out = (r: VeeReading) =>
      PHASES.some((ph) => {
        const v = num(r, `voltage${ph}`);
        return v !== undefined && v > 0 && (v > hi || v < lo);
      });
    const hits = persistent(w.readings, p.lookback, p.minCount, out);
    if (!hits) return null;
    const vs = hits.flatMap((r) => PHASES.map((ph) => num(r, `voltage${ph}`) ?? 0)).filter((v) => v > 0);
    return hit('voltage', 'warning', `voltage out of ${round(lo, 1)}–${round(hi, 1)} V`, hits, {
      min: Math.min(...vs),
      max: Math.max(...vs),
    });
  },
};

/**
 * Current imbalance: (max − min) / max of the three phase currents above `maxRatio` while the
 * largest is above `minCurrent` A, in at least `minCount` of the last `lookback` readings.
 */
export const currentImbalance: VeeRule<{
  maxRatio: number;
  minCurrent: number;
  lookback: number;
  minCount: number;
}> = {
  id: 'current-imbalance',
  media: ['electricity'],
  severity: 'warning',
  defaults: { maxRatio: 0.5, minCurrent: 5, lookback: 24, minCount: 3 },
  evaluate(w, p) {
    const ratio = (r: VeeReading) => {
      const is = PHASES.map((ph) => num(r, `current${ph}`));
      if (is.some((i) => i === undefined)) return 0;
      const abs = (is as number[]).map(Math.abs);
      const max = Math.max(...abs);
      return max < p.minCurrent ? 0 : (max - Math.min(...abs)) / max;
    };
    const hits = persistent(w.readings, p.lookback, p.minCount, (r) => ratio(r) > p.maxRatio);
    if (!hits) return null;
    return hit('current-imbalance', 'warning', `phase currents imbalanced`, hits, {
      maxRatio: round(Math.max(...hits.map(ratio))),
    });
  },
};

/**
 * Heat: supply temperature not above return by more than `minDifference` K while water flows
 * (the volume moved), in at least `minCount` of the last `lookback` readings: sensors swapped or
 * misplaced, or no heat delivered.
 */
export const heatTemperature: VeeRule<{ minDifference: number; lookback: number; minCount: number }> = {
  id: 'heat-temperature',
  media: ['heat'],
  severity: 'warning',
  defaults: { minDifference: 0, lookback: 24, minCount: 3 },
  evaluate(w, p) {
    const bad = (r: VeeReading) => {
      const s = num(r, 'supplyTemperature');
      const t = num(r, 'returnTemperature');
      return s !== undefined && t !== undefined && s - t <= p.minDifference;
    };
    const hits = persistent(w.readings, p.lookback, p.minCount, bad);
    if (!hits) return null;
    const last = hits.at(-1) as VeeReading;
    return hit(
      'heat-temperature',
      'warning',
      `supply ${num(last, 'supplyTemperature')} °C not above return ${num(last, 'returnTemperature')} °C`,
      hits,
    );
  },
};
