import { partsOf } from './dates.ts';
import { D } from './decimal.ts';
import type { Band } from './schema-parts.ts';
import type { Tou } from './schema-usage-charge.ts';

type Season = Tou['seasons'][number];

/** The TOU season in force in month `m` (1–12). */
export function seasonIn(tou: Tou, m: number): Season {
  return tou.seasons.find((s) => !s.months || s.months.includes(m))!;
}

/** The season of a segment (segments never cross a season change). */
export const seasonOnDay = (tou: Tou, day: number): Season => seasonIn(tou, partsOf(day).m);

/** Each band's price in a season: as given, or ratio × base price rounded to priceScale. */
export function bandPrices(tou: Tou, season: Season, tier1: string | undefined): Partial<Record<Band, D>> {
  if (season.prices)
    return Object.fromEntries(Object.entries(season.prices).map(([b, p]) => [b, new D(p as string)]));
  const base = new D((tou.basePrice ?? tier1)!);
  return Object.fromEntries(
    Object.entries(season.ratios!).map(([b, r]) => {
      const p = base.times(r as string);
      return [b, tou.priceScale === undefined ? p : p.toDecimalPlaces(tou.priceScale, D.ROUND_HALF_UP)];
    }),
  );
}

/**
 * The band in force at `time` ('HH:MM') in month `m`: the range with from ≤ time < to, a range
 * whose `to` is not after its `from` wrapping past midnight (22:00–06:00).
 */
export function bandAt(tou: Tou, m: number, time: string): Band {
  const t = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  for (const r of seasonIn(tou, m).ranges) {
    const a = Number(r.from.slice(0, 2)) * 60 + Number(r.from.slice(3));
    const b = Number(r.to.slice(0, 2)) * 60 + Number(r.to.slice(3));
    if (b > a ? t >= a && t < b : t >= a || t < b) return r.band;
  }
  throw new Error(`no band at ${time}`); // unreachable: the schema checks the ranges cover the day
}
