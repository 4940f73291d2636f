import { AppError } from '@quadmeter/sdk';
import { monthPieces } from './dates.ts';
import { D, max, min, ZERO } from './decimal.ts';
import type { Tiers } from './schema-usage-charge.ts';
import type { Usage } from './usage-schema.ts';

/** The household size a rule needs, or TARIFF_USAGE_INVALID naming the component. */
export function householdSize(u: Usage, component: string): number {
  if (u.householdSize === undefined)
    throw new AppError(
      'TARIFF_USAGE_INVALID',
      `component ${component} shifts its tiers by household size: give householdSize`,
      [{ path: 'householdSize', message: 'required by the tariff' }],
    );
  return u.householdSize;
}

/** One cycle's thresholds after the household rule. */
function adjusted(base: readonly string[], t: Tiers, u: Usage, component: string): D[] {
  const h = t.household;
  const out = base.map((x) => new D(x));
  if (!h) return out;
  const size = householdSize(u, component);
  if (h.rule === 'per-person') return out.map((x) => x.times(size));
  const shift =
    h.rule === 'per-extra-person'
      ? new D(h.perPerson).times(Math.max(0, size - h.basePersons))
      : size >= h.persons
        ? new D(h.shift)
        : ZERO;
  return out.map((x, k) => (!h.thresholds || h.thresholds.includes(k + 1) ? x.plus(shift) : x));
}

/**
 * Thresholds (cumulative upper bounds of tiers 1…n) for the days [from, to). Yearly cycle: the
 * cycle's thresholds as they are (the segment never crosses a cycle start). Monthly cycle: each
 * month's thresholds (its season's) times the share of that month covered, summed — a whole
 * calendar month counts once, half of a 30-day month half.
 */
export function thresholdsFor(t: Tiers, from: number, to: number, u: Usage, component: string): D[] {
  if (t.cycle === 'year') return monotone(adjusted(t.thresholds!, t, u, component));
  let acc: D[] | undefined;
  for (const piece of monthPieces(from, to)) {
    const set = t.seasons ? t.seasons.find((s) => s.months.includes(piece.month))!.thresholds : t.thresholds!;
    const f = new D(piece.days).dividedBy(piece.ofMonth);
    const scaled = adjusted(set, t, u, component).map((x) => x.times(f));
    acc = acc ? acc.map((x, k) => x.plus(scaled[k])) : scaled;
  }
  return monotone(acc!);
}

/** A threshold shifted past the next one closes the tier between them instead of inverting it. */
function monotone(ts: D[]): D[] {
  return ts.map((_, k) => ts.slice(0, k + 1).reduce((a, b) => max(a, b)));
}

/**
 * Volume in each tier (n thresholds → n+1 tiers) of `q` units used after `start` units of the
 * cycle were already counted.
 */
export function tierVolumes(thresholds: readonly D[], start: D, q: D): D[] {
  const end = start.plus(q);
  return [...thresholds, undefined].map((hi, k) => {
    const lo = k === 0 ? ZERO : thresholds[k - 1];
    const top = hi === undefined ? end : min(hi, end);
    const v = top.minus(max(lo, start));
    return v.isNegative() ? ZERO : v;
  });
}
